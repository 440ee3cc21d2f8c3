// Every hook event taskhooks handles, once: install's settings entries, the monitor's served routes and the plugin's
// hooks/hooks.json (checked by a test) follow from this list, and the build takes each hooks/<name>.ts as an entry.
import { TASK_CHANGING_MATCHER } from './task-tools.js';

export interface HookEventSpec {
  /** The entry (hooks/<name>.ts), its script (dist/hooks/<name>.js) and its served route (/hooks/<name>). */
  name: string;
  /** Claude Code's name of the event, the key in a settings file. */
  event: string;
  /** Which calls Claude Code runs it for. */
  matcher: string;
  /**
   * Seconds (Claude Code's unit), a ceiling above the hook's own deadline so that the hook, not Claude Code, says what
   * went wrong.
   */
  timeout: number;
  /** Installed as an http hook under the http transport (else always a command). */
  http: boolean;
  /** A command hook Claude never waits for (Claude Code has no async http hooks). */
  async: boolean;
}

export const HOOK_EVENTS = [
  // A command in both transports: it is what starts the monitor when it is down. It may fetch once when the cache is
  // cold: the timeout is above the longest deadline the config allows.
  {
    name: 'session-start',
    event: 'SessionStart',
    matcher: 'startup|resume|clear|compact',
    timeout: 35,
    http: false,
    async: false,
  },
  // Exact names: a plain `A|B` list matches whole tool names only. Reads the cache and, after a change made the
  // snapshot stale, fetches live under a deadline the schema caps below this: a PreToolUse that gives up lets the
  // tool call through, and every edit waits for it meanwhile, so it stays short.
  {
    name: 'pre-tool-use',
    event: 'PreToolUse',
    matcher: 'Edit|Write|MultiEdit|NotebookEdit|Bash',
    timeout: 5,
    http: true,
    async: false,
  },
  // Only brings the cache up to date: async as a command; over http the running monitor answers in milliseconds.
  { name: 'post-tool-use', event: 'PostToolUse', matcher: TASK_CHANGING_MATCHER, timeout: 5, http: true, async: true },
  // The prompt waits on it, so it is bounded like PreToolUse. A command in both transports: with nothing new (nearly
  // every prompt) it answers from two small files, cheaper than a request to the monitor.
  { name: 'user-prompt-submit', event: 'UserPromptSubmit', matcher: '', timeout: 5, http: false, async: false },
  // Nothing to answer, and Claude Code shows nothing it prints: a command that forgets the session.
  { name: 'session-end', event: 'SessionEnd', matcher: '', timeout: 5, http: false, async: false },
  // One line for a starting subagent from the cache: a command, it is rare and has no tool call to wait on.
  { name: 'subagent-start', event: 'SubagentStart', matcher: '', timeout: 5, http: false, async: false },
] as const satisfies readonly HookEventSpec[];

/** A hook event's name as the entries, scripts and routes use it. */
export type HookName = (typeof HOOK_EVENTS)[number]['name'];
/** Claude Code's name of one of taskhooks' events. */
export type ClaudeHookEvent = (typeof HOOK_EVENTS)[number]['event'];
export const HOOK_NAMES: readonly HookName[] = HOOK_EVENTS.map((e) => e.name);
