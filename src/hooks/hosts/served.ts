// The served host: the monitor answers a hook event posted over loopback HTTP, its Unix socket or its MCP socket, so a
// tool call costs a request instead of a node start. It runs the same pipeline as the command host, with the
// daemon's long-lived cache and logger, no watchdog, and a caller that may be another agent. The monitor only wires
// it (src/monitor/services.ts): the transport and its checks stay in src/monitor/serve/served-hooks.ts.
import { AGENT_HOOKS, fromAgentInput } from '../../agents/hooks.js';
import type { AgentId } from '../../agents/agent.js';
import path from 'node:path';
import type { Cache } from '../../cache/cache.js';
import { listProjects } from '../../cache/registered-projects.js';
import { isJsonObject } from '../../util/object.js';
import { isWithin } from '../../util/dir.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import { HOOKS_BY_NAME, type HookName } from '../events/events.js';
import { passesGates } from './gates.js';
import { runHookPipeline, type HookHost } from './pipeline.js';
import { failedAnswer } from './refusal.js';
import type { HookOutput } from '../types.js';
import { servedDeadline } from './served-deadline.js';

/**
 * What a caller may say of itself: the agent whose input it sends (in the agent's own shape, translated here) and,
 * on the Unix socket, the agent process it runs for (the hook shell's $PPID).
 */
export interface ServedCaller {
  agentPid?: number;
  agent?: AgentId;
  /** The agent's own name of the event, for an agent whose input does not name it (Copilot CLI's `--event=`). */
  agentEvent?: string;
  /**
   * Posted to the loopback port with the hook token, which every session's environment holds (and a session's model
   * can read), rather than on the owner-only socket: answered for registered projects only.
   */
  viaToken?: true;
}

/** What the monitor hands each served run: its open cache and logger, its environment, and who called. */
export interface ServedRun {
  cache: Cache;
  log: Logger;
  env: NodeJS.ProcessEnv;
  caller?: ServedCaller | undefined;
}

/**
 * The pipeline's host for one served run: the monitor never starts itself, and a fetch here costs no new process.
 * `read` is told the settings once they are read.
 */
function servedHost(
  event: HookName,
  run: ServedRun,
  agent: HookHost['deps']['agent'],
  read: (settings: Settings) => void,
): HookHost {
  const { cache, log, env, caller } = run;
  return {
    log: () => log,
    logFields: { event },
    // The same settings loader as a command hook, so an edited config file is seen at once.
    settings: async (cwd) => {
      const { settings, configCacheError } = await loadSettings({ cwd, env });
      if (configCacheError) log.warn({ event }, configCacheError);
      read(settings);
      return settings;
    },
    openCache: () => cache,
    deps: {
      ensureMonitor: false,
      // A served hook may fetch what a writer marked stale: here that starts no process and loads nothing.
      allowNetwork: true,
      // The monitor has no agent among its ancestors: a caller on the home's socket names its agent's process.
      ...(caller?.agentPid ? { callerPid: () => caller.agentPid } : {}),
      ...(agent ? { agent } : {}),
    },
  };
}

/** Whether the input's folder lies in a project registered by install or a SessionStart on an owner-only route. */
function inRegisteredProject(cache: Cache, input: unknown): boolean {
  const cwd = isJsonObject(input) && typeof input.cwd === 'string' ? path.resolve(input.cwd) : undefined;
  return cwd !== undefined && listProjects(cache).some((p) => isWithin(cwd, p.root));
}

/**
 * Runs one hook event for the monitor; null means "nothing to say". Another agent's input is read in Claude Code's
 * shape and answered in the agent's own, as its command entry does.
 */
export async function runServedHook(event: HookName, raw: unknown, run: ServedRun): Promise<object | null> {
  const hook = HOOKS_BY_NAME[event];
  const agent = run.caller?.agent ? AGENT_HOOKS[run.caller.agent] : undefined;
  const { value: input, agentEvent = '' } = agent ? fromAgentInput(agent, raw, run.caller?.agentEvent) : { value: raw };
  // The entry's cheap checks come first, as a command entry makes them: most tool calls have nothing to say.
  if (!passesGates(hook, input, run.env)) return null;
  // PreToolUse still runs for its guards, which refuse rather than allow when they cannot decide.
  if (run.caller?.viaToken && event !== 'pre-tool-use' && !inRegisteredProject(run.cache, input)) {
    run.log.warn({ event }, 'served hook over the token for a folder of no registered project: not answered');
    return null;
  }
  const reach = agent ? { id: agent.id, reach: agent.reach(agentEvent) } : undefined;
  const deadline = hook.event === 'PreToolUse' ? servedDeadline(hook, run.log) : undefined;
  let output: HookOutput | null;
  try {
    const pipeline = runHookPipeline(
      hook,
      input,
      servedHost(event, run, reach, (s) => deadline?.read(s)),
    );
    output = deadline ? await deadline.race(pipeline) : (await pipeline).output;
  } catch (err) {
    // A PreToolUse that failed past its rescue refuses (its settings may not have been read: any guard may apply).
    output = failedAnswer(hook, undefined, 'failed');
    if (!output) throw err;
    run.log.error({ err, event }, `${hook.name} failed; the call is refused`);
  }
  return output && agent ? agent.fromCommon(output, agentEvent) : output;
}
