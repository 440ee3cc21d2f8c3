import type { Settings } from '../config/settings.js';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import type { HookInput } from './input/fields.js';
import type { Trace } from './trace.js';
import type { AgentId, Reach } from '../agents/agent.js';

/** What a hook runner needs; the command hooks and the monitor's served hooks build it their own way. */
export interface HookDeps {
  settings: Settings;
  cache: Cache;
  log: Logger;
  now?: () => number;
  /**
   * When this invocation began: the process start for command hooks, so SessionStart's deadline bounds the whole
   * hook rather than only its fetch. Defaults to now.
   */
  startedAt?: number;
  /** SessionStart may refresh a stale snapshot live; served hooks and previews may forbid it. */
  allowNetwork: boolean;
  /**
   * The monitor was handed this event first and gave no answer in time (src/home/monitor-late.ts): it may hold the
   * event's key and have folded news into the session's baseline, and SessionStart asks whether it answers at all.
   */
  monitorLate?: boolean;
  /** SessionStart makes sure the monitor runs (never in tests that must not spawn one, nor in the monitor itself). */
  ensureMonitor: boolean;
  /** Claude Code's process, when the host is a command hook it started: a session whose process is gone has ended. */
  callerPid?: () => number | undefined;
  /**
   * The marker this run's context carries at the end of its first line (src/context/marker.ts), made by the pipeline;
   * absent in a preview and for a session without an id.
   */
  marker?: string | undefined;
  /** A preview (`taskhooks context`): nothing is marked as shown or remembered for the session. */
  dryRun?: boolean;
  /**
   * The agent that ran the hook and what an answer at its event reaches (Gemini CLI's model never reads context
   * given before a tool, and a decision after one comes too late); Claude Code, reaching both, when absent.
   */
  agent?: { id: AgentId; reach: Reach };
}

/** Claude Code's names of the events taskhooks answers with something the model reads. */
export type HookEventName =
  | 'SessionStart'
  | 'PreToolUse'
  | 'PostToolUse'
  | 'PostToolBatch'
  | 'UserPromptSubmit'
  | 'SubagentStart';
export type PermissionDecision = 'allow' | 'deny' | 'ask';

/** The one JSON object a hook prints. */
export interface HookOutput {
  /** Stops the session (SessionStart: see stray-hooks.ts, which also ends the agent where it ignores this). */
  continue?: false;
  stopReason?: string;
  /** A line the person sees. */
  systemMessage?: string;
  hookSpecificOutput: {
    hookEventName: HookEventName;
    additionalContext?: string;
    permissionDecision?: PermissionDecision;
    permissionDecisionReason?: string;
  };
}

/** A runner's output plus what it found and decided, for people (`taskhooks context` words it: ./trace.ts). */
export interface HookResult {
  output: HookOutput | null;
  trace: Trace;
}

/** How Claude Code is told to run an event: the settings entry, the plugin's hooks.json and the served route. */
export interface HookEventSpec {
  /** The entry (hooks/<name>.ts), its script (dist/hooks/<name>.js) and its served route (/hooks/<name>). */
  name: string;
  /** Claude Code's name of the event, the key in a settings file. */
  event: string;
  /** Which calls Claude Code runs it for ('' is every one). */
  matcher: string;
  /**
   * Seconds (Claude Code's unit), a ceiling above the hook's own watchdog so that the hook, not Claude Code, says what
   * went wrong.
   */
  timeout: number;
  /** Installed as an http hook under the http transport (else always a command). */
  http: boolean;
  /**
   * Run by `taskhooks mcp` through an `mcp_tool` hook (the default route: no process per call); false where Claude
   * Code refuses one (SessionStart has no MCP client yet) or the event is once a session anyway.
   */
  mcpTool: boolean;
  /** A command hook Claude never waits for (Claude Code has no async http hooks). */
  async: boolean;
  /**
   * The checks the entry (hooks/<name>.ts, generated from this) runs on the raw input before loading anything else:
   * the run goes on when any says yes. None: every input goes on.
   */
  gates?: readonly EntryGate[];
}

/** An entry's first check: an export of a light module of src/hooks, which loads no zod, config or SQLite. */
export interface EntryGate {
  /** The module's path under src/hooks, without extension (`guards/prefilter`). */
  module: string;
  /** Its export: `(raw: unknown) => boolean`, or `(raw: unknown, env: NodeJS.ProcessEnv) => boolean` with `env`. */
  check: string;
  env?: true;
}

/** One hook event, whole: how Claude Code runs it and what taskhooks does with it (events/event-list.ts lists them). */
export interface CommandHook extends HookEventSpec {
  /** The event's runner, handed the input parsed once by runHookPipeline. */
  run(input: HookInput, deps: HookDeps): Promise<HookResult>;
  /** false: nothing to say about this input, so neither config nor cache is opened (PreToolUse on a Read). */
  wants(input: HookInput): boolean;
  /** false: nothing to do under these settings, so the cache is not opened (another source's tool). */
  wantsWith?(input: HookInput, settings: Settings): boolean;
  /** What the hook can still answer when its run failed or ran out of time, from the input and settings alone. */
  rescue?(input: HookInput, settings: Settings, callerPid?: () => number | undefined): Promise<HookOutput | null>;
  /** How long the whole process may take; the watchdog answers with nothing (or the rescue) after that. */
  watchdogMs(settings?: Settings): number;
  allowNetwork: boolean;
}
