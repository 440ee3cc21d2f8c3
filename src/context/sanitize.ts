// Task text comes from a server and git from whoever wrote the commits: both are untrusted. Nothing in them may
// break out of the context Claude Code builds around additionalContext, or smuggle in terminal control.

// CSI and OSC escape sequences first, so their parameters do not survive as visible junk.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
// C0/C1 controls (tab and newline included: everything becomes one line), DEL, zero-width and bidi overrides.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Angle brackets are how Claude Code marks its own structure (<system-reminder>, <function_calls>,
// <command-message>): lookalikes keep the text readable and make every such tag inert.
const ANGLE = /[<>]/g;
const LOOKALIKE: Record<string, string> = { '<': '‹', '>': '›' };

/** One clean line of at most `max` characters (an ellipsis marks a cut). */
export function sanitize(text: string | null | undefined, max = 200): string {
  if (!text) return '';
  const clean = text
    .replace(ANSI, '')
    .replace(CONTROL, ' ')
    .replace(ANGLE, (c) => LOOKALIKE[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  return `${[...clean].slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}
