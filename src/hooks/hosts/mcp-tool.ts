// The MCP-tool host: `taskhooks mcp`, the server Claude Code keeps for the whole session, runs a hook event when an
// `mcp_tool` hook calls its hook tool, so a tool call starts no process. The event's own definition runs through the
// one pipeline, as in the command hook and the monitor's served hook; this host differs in where its state lives: one
// cache connection per state directory for the process's life, a watchdog per call instead of per process, and no exit.
import { openCacheOrCopy } from '../../cache/copy.js';
import type { Cache } from '../../cache/cache.js';
import { loadSettings } from '../../config/settings.js';
import { resolveHome } from '../../home/dir.js';
import type { Logger } from '../../log/logger.js';
import { HOOKS_BY_NAME, type HookName } from '../events/events.js';
import { claudeCodePid } from '../live-session.js';
import { mayHaveNews } from '../news/news-gate.js';
import { runHookPipeline } from './pipeline.js';
import { mayBeWatched } from '../guards/prefilter.js';
import { hookLogger } from './run.js';
import { mayChangeTasks } from '../events/task-tools.js';
import type { CommandHook, HookOutput } from '../types.js';
import { hookInputFromArgs } from './mcp-tool-input.js';

/** As the command hook: a writer holding the cache longer than this makes the call answer without it. */
const CACHE_BUSY_TIMEOUT_MS = 1000;
/** How long a rescue may take after the run failed or ran out of time. */
const RESCUE_MS = 500;

/** The entries' gates by module and export: the same cheap checks the command entries make before loading more. */
const GATES: Record<string, (raw: unknown, env: NodeJS.ProcessEnv) => boolean> = {
  'prefilter.mayBeWatched': (raw) => mayBeWatched(raw),
  'task-tools.mayChangeTasks': (raw) => mayChangeTasks(raw),
  'news-gate.mayHaveNews': mayHaveNews,
};

function passesGates(hook: CommandHook, raw: unknown, env: NodeJS.ProcessEnv): boolean {
  const gates = hook.gates ?? [];
  return gates.length === 0 || gates.some((g) => GATES[`${g.module}.${g.check}`]?.(raw, env) ?? true);
}

const TIMED_OUT = Symbol('timed out');

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

export function mcpToolHost(env: NodeJS.ProcessEnv): McpToolHost {
  const caches = new Map<string, Cache>();
  const logs = new Map<string, Logger>();
  const logFor = (home: string, level = env.TASKHOOKS_LOG_LEVEL ?? 'info'): Logger => {
    let log = logs.get(home);
    if (!log) {
      log = hookLogger('mcp-tool', home, level);
      logs.set(home, log);
    }
    return log;
  };
  // Claude Code started this server: it is this process's caller for every call, found once.
  let caller: number | undefined | null = null;
  const callerPid = (): number | undefined => {
    if (caller === null) caller = claudeCodePid(env);
    return caller;
  };

  async function run(hook: CommandHook, raw: unknown): Promise<HookOutput | null> {
    let log = logFor(resolveHome(env));
    let rescue: (() => Promise<HookOutput | null>) | undefined;
    // The watchdog: the definition's default until the settings are read, then the configured deadline's.
    let timer: NodeJS.Timeout | undefined;
    let budget = 0;
    let fire: () => void = () => undefined;
    const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
      fire = () => resolve(TIMED_OUT);
    });
    const arm = (ms: number): void => {
      clearTimeout(timer);
      budget = ms;
      timer = setTimeout(fire, ms);
    };
    arm(hook.watchdogMs());
    const pipeline = runHookPipeline(hook, raw, {
      log: () => log,
      logFields: { host: 'mcp-tool' },
      defaultCwd: () => env.CLAUDE_PROJECT_DIR || process.cwd(),
      settings: async (cwd) => {
        const { settings, configCacheError } = await loadSettings({ cwd, env });
        log = logFor(settings.home, settings.logLevel);
        if (configCacheError) log.warn(`${configCacheError}; the config is validated afresh each time meanwhile`);
        return settings;
      },
      beforeRun: (rescueRun, settings) => {
        rescue = rescueRun;
        arm(hook.watchdogMs(settings) - (rescueRun ? RESCUE_MS : 0));
      },
      openCache: (settings) => {
        let cache = caches.get(settings.home);
        if (!cache) {
          cache = openCacheOrCopy({ home: settings.home, log, busyTimeoutMs: CACHE_BUSY_TIMEOUT_MS });
          caches.set(settings.home, cache);
        }
        return cache;
      },
      deps: { startedAt: Date.now(), ensureMonitor: true, callerPid },
    }).then(
      (result) => ({ output: result.output }),
      (err: unknown) => ({ err }),
    );
    const settled = await Promise.race([pipeline, timedOut]).finally(() => clearTimeout(timer));
    if (settled !== TIMED_OUT && !('err' in settled)) return settled.output;
    const why = settled === TIMED_OUT ? `gave up after ${budget} ms` : 'failed';
    log.error(
      { err: settled === TIMED_OUT ? undefined : settled.err },
      `${hook.name}: ${why}; ${rescue ? 'answering from the settings alone' : 'nothing injected'}`,
    );
    return rescue ? within(rescue(), RESCUE_MS, () => null) : null;
  }

  return {
    async call(args) {
      const { event, input } = hookInputFromArgs(args);
      if (!isHookName(event)) {
        logFor(resolveHome(env)).warn({ event: String(event) }, 'mcp-tool: no such hook event; nothing injected');
        return '{}';
      }
      const hook = HOOKS_BY_NAME[event];
      if (!passesGates(hook, input, env)) return '{}';
      const output = await run(hook, input);
      return output ? JSON.stringify(output) : '{}';
    },
    close() {
      for (const cache of caches.values()) cache.close();
      caches.clear();
    },
  };
}
