// Set for the node hook a socket-first command (or OpenCode's plugin) falls back on when the monitor was reached but
// gave no answer in time: the monitor may hold the event's key (src/hooks/input/event-key.ts) and have told its news
// into a closed connection, so that run answers the event again and looks for news from before the monitor's look.
export const MONITOR_LATE_ENV = 'TASKHOOKS_MONITOR_LATE';

/** Whether `env` is such a run's. */
export const monitorLateIn = (env: NodeJS.ProcessEnv): boolean => env[MONITOR_LATE_ENV] === '1';

/**
 * Tells the node hook to ask the monitor for its answer before answering itself: the exec-form fast path (Windows') of
 * the hooks Claude Code cannot post (SessionStart, SessionEnd, Stop), where no shell runs the socket client first
 * (src/hooks/hosts/ask-monitor.ts).
 */
export const ASK_MONITOR_ARG = '--ask-monitor';

/**
 * The hooks Claude Code runs in the background (SessionEnd, and Stop's work record; held to the definitions by
 * test/hooks/ask-monitor.test.ts): nobody waits for them, so the monitor is given BACKGROUND_WAIT_MS to do the event's
 * work before the node hook does it again after a monitor it found too slow.
 */
export const BACKGROUND_HOOKS: readonly string[] = ['session-end', 'turn-end'];
export const BACKGROUND_WAIT_MS = 3000;
