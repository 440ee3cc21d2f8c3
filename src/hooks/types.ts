import type { Settings } from '../config/settings.js';
import type { Store } from '../cache/store.js';
import type { Logger } from '../log/logger.js';

/** What a hook runner needs; the command hooks and the monitor's served hooks build it their own way. */
export interface HookDeps {
  settings: Settings;
  store: Store;
  log: Logger;
  now?: () => number;
  /**
   * When this invocation began: the process start for command hooks, so SessionStart's deadline bounds the whole
   * hook rather than only its fetch. Defaults to now.
   */
  startedAt?: number;
  /** SessionStart may refresh a stale snapshot live; served hooks and previews may forbid it. */
  allowNetwork: boolean;
  /** SessionStart makes sure the monitor runs (never in tests that must not spawn one, nor in the monitor itself). */
  ensureMonitor: boolean;
  /** A preview (`taskhooks context`): nothing is marked as shown or remembered for the session. */
  dryRun?: boolean;
}

export type HookEventName = 'SessionStart' | 'PreToolUse' | 'UserPromptSubmit';
export type PermissionDecision = 'allow' | 'deny' | 'ask';

/** The one JSON object a hook prints. */
export interface HookOutput {
  hookSpecificOutput: {
    hookEventName: HookEventName;
    additionalContext?: string;
    permissionDecision?: PermissionDecision;
    permissionDecisionReason?: string;
  };
}

/** A runner's output plus, for people, why it is what it is (`taskhooks context` prints these lines). */
export interface HookResult {
  output: HookOutput | null;
  why: string[];
}
