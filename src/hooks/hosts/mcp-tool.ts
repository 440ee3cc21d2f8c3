// The MCP-tool host: `taskhooks mcp`, the server Claude Code keeps for the whole session, runs a hook event when an
// `mcp_tool` hook calls its hook tool, so a tool call starts no process. The event's own definition runs through the
// one pipeline, as in the command hook and the monitor's served hook; this host differs in where its state lives: one
// cache connection per state directory for the process's life, a watchdog per call instead of per process, and no exit.
import { openCacheOrCopy } from '../../cache/copy.js';
import type { Cache } from '../../cache/cache.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import { failedAnswer } from './refusal.js';
import { resolveHome } from '../../home/dir.js';
import { hookLogger, type Logger } from '../../log/logger.js';
import { HOOK_EVENTS, HOOKS_BY_NAME, type HookName } from '../events/events.js';
import { agentPid } from '../live-session.js';
import { runHookPipeline, type HookHost } from './pipeline.js';
import { passesGates } from './gates.js';
import type { CommandHook, HookOutput } from '../types.js';
import { hookInputFromArgs } from './mcp-tool-input.js';
import { firstPrompt } from './first-prompt.js';
import { CACHE_BUSY_TIMEOUT_MS, RESCUE_MS, watchdog, type Watchdog } from './watchdog.js';

const isHookName = (name: unknown): name is HookName => typeof name === 'string' && Object.hasOwn(HOOKS_BY_NAME, name);

export interface McpToolHost {
  /** Runs the event the arguments name; the hook's JSON output as text, `{}` when it has nothing to say. */
  call(args: Record<string, unknown>): Promise<string>;
  close(): void;
}

/** `value` within `ms`, else `fallback()`; the late value is dropped (a run cannot be stopped half-way). */
function within<T>(value: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), ms);
  });
  return Promise.race([value, late]).finally(() => clearTimeout(timer));
}

/** What the host keeps for the process's life: a logger and a cache connection per state directory, and its caller. */
interface HostState {
  readonly env: NodeJS.ProcessEnv;
  logFor(home: string, level?: string): Logger;
  cacheFor(home: string, log: Logger): Cache;
  callerPid(): number | undefined;
  close(): void;
}

function hostState(env: NodeJS.ProcessEnv): HostState {
  const caches = new Map<string, Cache>();
  const logs = new Map<string, Logger>();
  // Claude Code started this server: it is this process's caller for every call, found once.
  let caller: number | undefined | null = null;
  return {
    env,
    logFor(home, level = env.TASKHOOKS_LOG_LEVEL ?? 'info') {
      let log = logs.get(home);
      if (!log) {
        log = hookLogger('mcp-tool', home, level);
        logs.set(home, log);
      }
      return log;
    },
    cacheFor(home, log) {
      let cache = caches.get(home);
      if (!cache) {
        cache = openCacheOrCopy({ home, log, busyTimeoutMs: CACHE_BUSY_TIMEOUT_MS });
        caches.set(home, cache);
      }
      return cache;
    },
    callerPid() {
      if (caller === null) caller = agentPid(env);
      return caller;
    },
    close() {
      for (const cache of caches.values()) cache.close();
      caches.clear();
    },
  };
}

/** One call: its logger (the state directory's, then the configured one's) and the rescue it falls back on. */
interface HookCall {
  readonly hook: CommandHook;
  readonly watchdog: Watchdog;
  log: Logger;
  rescue?: (() => Promise<HookOutput | null>) | undefined;
  /** The settings, once read: whether a failed PreToolUse must refuse. */
  settings?: Settings;
}

/** The pipeline's host for one call: the process's loggers and caches, the call's watchdog. */
function callHost(state: HostState, call: HookCall): HookHost {
  const { env } = state;
  return {
    log: () => call.log,
    logFields: { host: 'mcp-tool' },
    defaultCwd: () => env.CLAUDE_PROJECT_DIR || process.cwd(),
    settings: async (cwd) => {
      const { settings, configCacheError } = await loadSettings({ cwd, env });
      call.log = state.logFor(settings.home, settings.logLevel);
      if (configCacheError) call.log.warn(`${configCacheError}; the config is validated afresh each time meanwhile`);
      return settings;
    },
    beforeRun: (rescue, settings) => {
      call.rescue = rescue;
      call.settings = settings;
      call.watchdog.arm(call.hook.watchdogMs(settings) - (rescue ? RESCUE_MS : 0));
    },
    openCache: (settings) => state.cacheFor(settings.home, call.log),
    deps: { startedAt: Date.now(), ensureMonitor: true, callerPid: state.callerPid },
  };
}

/**
 * Runs the hook within its watchdog; a run that fails or runs out of time answers from its rescue. Without one, or
 * when the rescue fails too, PreToolUse refuses while a guard may apply and every other event says nothing.
 */
async function runCall(state: HostState, hook: CommandHook, raw: unknown): Promise<HookOutput | null> {
  let timeUp: (ms: number) => void = () => undefined;
  const timedOut = new Promise<{ gaveUpAfter: number }>((resolve) => {
    timeUp = (ms) => resolve({ gaveUpAfter: ms });
  });
  const call: HookCall = { hook, watchdog: watchdog((ms) => timeUp(ms)), log: state.logFor(resolveHome(state.env)) };
  call.watchdog.arm(hook.watchdogMs());
  const pipeline = runHookPipeline(hook, raw, callHost(state, call)).then(
    (result) => ({ output: result.output }),
    (err: unknown) => ({ err }),
  );
  const settled = await Promise.race([pipeline, timedOut]).finally(() => call.watchdog.clear());
  if ('output' in settled) return settled.output;
  const why = 'gaveUpAfter' in settled ? `gave up after ${settled.gaveUpAfter} ms` : 'failed';
  call.log.error(
    { err: 'err' in settled ? settled.err : undefined },
    `${hook.name}: ${why}; ${call.rescue ? 'answering from the settings alone' : 'no settings to answer from'}`,
  );
  if (!call.rescue) return failedAnswer(hook, call.settings, why);
  const rescued = call.rescue().catch((err: unknown) => {
    call.log.error({ err }, `${hook.name}: the answer from the settings alone failed too`);
    return failedAnswer(hook, call.settings, 'failed');
  });
  return within(rescued, RESCUE_MS, () => failedAnswer(hook, call.settings, 'timed out'));
}

/**
 * The event and hook input an `mcp_tool` hook's arguments name, or an error saying why it is refused: only the events
 * install wires as mcp_tool hooks (SessionStart and SessionEnd register and release a session, which a client that
 * ignores the tool's visibility must not do for another session or directory).
 */
export function hookToolCall(
  args: Record<string, unknown>,
): { event: HookName; hook: CommandHook; input: unknown } | { refused: Error } {
  const { event, input } = hookInputFromArgs(args);
  if (isHookName(event) && HOOKS_BY_NAME[event].mcpTool) return { event, hook: HOOKS_BY_NAME[event], input };
  return {
    refused: new Error(
      `taskhooks' hook tool runs only ${HOOK_EVENTS.filter((e) => e.mcpTool)
        .map((e) => e.name)
        .join(', ')}: "${String(event)}" was refused`,
    ),
  };
}

/** The host of the server Claude Code started in `cwd` for one session (no first-prompt start where unknown). */
export function mcpToolHost(env: NodeJS.ProcessEnv, cwd?: string): McpToolHost {
  const state = hostState(env);
  const first = firstPrompt(cwd);
  return {
    async call(args) {
      if (first.compacted(args)) return '{}';
      const call = hookToolCall(args);
      if ('refused' in call) {
        state
          .logFor(resolveHome(env))
          .warn({ event: String(args.event) }, 'mcp-tool: refused an event it does not serve');
        throw call.refused;
      }
      const run = async (event: HookName, input: unknown) =>
        passesGates(HOOKS_BY_NAME[event], input, env) ? runCall(state, HOOKS_BY_NAME[event], input) : null;
      const output = await first.answer(call, run, (err) =>
        state.logFor(resolveHome(env)).error({ err }, 'mcp-tool: the start told at a first prompt failed'),
      );
      return output ? JSON.stringify(output) : '{}';
    },
    close: () => state.close(),
  };
}
