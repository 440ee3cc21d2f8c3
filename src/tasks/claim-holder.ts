// Who a task's claim names, as its readers should hear it. A claim reads `person/session` on a team server that knows
// its caller, the bare session id where taskhooks claims for a session (the built-in store, a server without sign-in),
// and a person alone where a tracker's assignee is the claim or a person claimed without naming a session.

/** The agents' session ids: UUIDs (Claude Code, Codex, Gemini CLI, Qwen Code, Copilot CLI) and OpenCode's `ses_…`. */
const SESSION_ID = /^([\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}|ses_\w{8,})$/i;

/**
 * Who holds a claim, as a session should hear it: a person's name; '' for `sessionId`, the reader's own session;
 * undefined for another session, which has no name to say.
 */
export function claimHolder(claimedBy: string, sessionId?: string): string | undefined {
  const [person, session = person] = claimedBy.split('/');
  return session === sessionId ? '' : person !== session || !SESSION_ID.test(claimedBy) ? person : undefined;
}
