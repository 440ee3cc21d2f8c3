// Every hook event taskhooks handles, once: each is one definition (spec, filters, runner, rescue, watchdog) in its
// own file; install's settings entries, the monitor's served routes and hook runners, and the plugin's
// hooks/hooks.json (checked by a test) follow from this list, and the build takes each hooks/<name>.ts as an entry.
import { postToolBatchHook } from './post-tool-batch.js';
import { postToolUseHook } from './post-tool-use.js';
import { preToolUseHook } from './pre-tool-use.js';
import { sessionEndHook } from './session-end.js';
import { sessionStartHook } from './session-start.js';
import { subagentStartHook } from './subagent-start.js';
import { userPromptSubmitHook } from './user-prompt-submit.js';

export const HOOK_EVENTS = [
  sessionStartHook,
  preToolUseHook,
  postToolUseHook,
  postToolBatchHook,
  userPromptSubmitHook,
  sessionEndHook,
  subagentStartHook,
] as const;

/** A hook event's name as the entries, scripts and routes use it. */
export type HookName = (typeof HOOK_EVENTS)[number]['name'];
/** Claude Code's name of one of taskhooks' events. */
export type ClaudeHookEvent = (typeof HOOK_EVENTS)[number]['event'];
export const HOOK_NAMES: readonly HookName[] = HOOK_EVENTS.map((e) => e.name);
/** Each event's definition by its name: what the monitor's served routes run. */
export const HOOKS_BY_NAME = Object.fromEntries(HOOK_EVENTS.map((e) => [e.name, e])) as Record<
  HookName,
  (typeof HOOK_EVENTS)[number]
>;
