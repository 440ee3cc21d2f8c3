// The hook events, listed in ./event-list.ts (derived from their definitions), and what follows from the list.
import { HOOK_EVENTS } from './event-list.js';

export { HOOK_EVENTS };
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
