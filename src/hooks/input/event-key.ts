// What makes one hook event the same event for every registration that runs it: the session, the event, and the
// input's own identity. Without one (no session, no tool_use_id) there is nothing to agree on, and every run answers.

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The key of this event for every registration of taskhooks, or undefined when the input cannot name one. */
export function eventKey(input: Record<string, unknown>): string | undefined {
  const session = str(input.session_id);
  const event = str(input.hook_event_name);
  if (!session || !event) return undefined;
  let identity: string | undefined;
  switch (event) {
    case 'PreToolUse':
    case 'PostToolUse':
      identity = str(input.tool_use_id);
      break;
    case 'PostToolBatch': {
      // The batch is the calls it follows: their ids name it.
      const calls = Array.isArray(input.tool_calls) ? (input.tool_calls as unknown[]) : [];
      const ids = calls.map((c) => str((c as { tool_use_id?: unknown } | null)?.tool_use_id)).filter(Boolean);
      identity = ids.length > 0 ? ids.join(',') : undefined;
      break;
    }
    case 'SessionStart':
      // startup, resume, clear or compact: a later /compact in the same session comes after the lease has lapsed.
      identity = str(input.source) ?? 'startup';
      break;
    case 'UserPromptSubmit':
      // Only Claude Code's own id tells a second registration from the same words sent again ("go on", twice).
      identity = str(input.prompt_id);
      break;
    case 'SubagentStart':
      identity = str(input.agent_id);
      break;
    case 'SessionEnd':
      identity = str(input.reason) ?? 'end';
      break;
  }
  return identity === undefined ? undefined : `${session}\0${event}\0${identity}`;
}

/**
 * The key a run after a late monitor takes instead: the event is still told once among such runs, and never lost to a
 * monitor whose answer nobody reads (told twice, when another registration also answered, beats told nothing).
 */
const afterLateMonitor = (key: string): string => `${key}\0after-late-monitor`;

/** The lease a run takes: the event's own key, or after a late monitor (`monitorLate`) the one such runs share. */
export function leaseKey(input: Record<string, unknown>, monitorLate: boolean | undefined): string | undefined {
  const own = eventKey(input);
  return own !== undefined && monitorLate ? afterLateMonitor(own) : own;
}
