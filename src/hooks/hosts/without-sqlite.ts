// What a hook answers where no SQLite library loads (a Node older than 22.13, outside a clone): a rare path, so a file
// of its own that no hook bundle carries.
import type { Logger } from '../../log/logger.js';
import { PLUGIN_NO_DRIVER_FIX, type NoSqliteError } from '../../sqlite/no-driver.js';
import type { HookInput } from '../input/fields.js';
import type { HookEventName, HookOutput, HookResult } from '../types.js';

/** The events whose answer the model reads. */
const CONTEXT_EVENTS: ReadonlySet<string> = new Set<HookEventName>([
  'SessionStart',
  'PreToolUse',
  'PostToolUse',
  'PostToolBatch',
  'UserPromptSubmit',
  'SubagentStart',
]);

/**
 * No SQLite library here (src/sqlite/driver.ts): the one line saying what is missing and the fix for the route in use
 * (the plugin's data folder names the plugin route), where the model reads it, and once to the person at the session's
 * start.
 */
export function withoutSqlite(input: HookInput, err: NoSqliteError, log: Logger): HookResult {
  log.error({ err }, 'taskhooks cannot open its cache');
  const event = input.hook_event_name;
  const plugin = Boolean(process.env.CLAUDE_PLUGIN_DATA?.trim());
  const line = `taskhooks: ${plugin ? `no SQLite library: ${err.detail}; ${PLUGIN_NO_DRIVER_FIX}` : err.message}`;
  const output: HookOutput | null =
    event && CONTEXT_EVENTS.has(event)
      ? {
          ...(event === 'SessionStart' ? { systemMessage: line } : {}),
          hookSpecificOutput: { hookEventName: event as HookEventName, additionalContext: line },
        }
      : null;
  return { output, trace: [{ kind: 'no-sqlite', reason: line }] };
}
