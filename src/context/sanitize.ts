// Task text comes from a server and git from whoever wrote the commits: both are untrusted. Nothing in them may
// break out of the context Claude Code builds around additionalContext, hide text a person cannot see but a model
// reads, smuggle in terminal control, or carry a secret (scrubbed here, after normalising, whatever else did).
import { CONTROL, PLAIN, PLAIN_LINES } from '../log/normalize.js';
import { scrubString } from '../log/redact.js';

// The character classes and the normalising are the log scrubber's (src/log/normalize.ts): text is scrubbed of
// secrets in that form first, then cleaned for display.
// Angle brackets are how Claude Code marks its own structure (<system-reminder>, <function_calls>,
// <command-message>): lookalikes keep the text readable and make every such tag inert.
const ANGLE = /[<>]/g;
const LOOKALIKE: Record<string, string> = { '<': '‹', '>': '›' };
// The hooks quote untrusted text in straight double quotes (`T-1 "title"`). A typographic quote keeps a quoted word
// in a title readable and can never close them; an escape (\") would rely on the model reading backslashes as a
// shell does, and the backslash itself would need escaping.
const QUOTE = /"/g;
// The hooks' own lines start with this marker; inside untrusted text it is shown in round brackets.
const MARKER = /\[taskhooks\]/gi;

/**
 * Text without secrets, escape sequences or invisible characters; other controls become spaces, except (with
 * `multiline`) newlines and tabs, which a person's terminal shows as they are meant.
 */
export function stripControls(raw: string, { multiline = false }: { multiline?: boolean } = {}): string {
  // scrubString normalises first (normalizeText): escape sequences and invisible characters are gone already.
  const visible = scrubString(raw);
  if ((multiline ? PLAIN_LINES : PLAIN).test(visible)) return visible;
  if (!multiline) return visible.replace(CONTROL, ' ');
  return visible.replace(/\r\n/g, '\n').replace(CONTROL, (c) => (c === '\n' || c === '\t' ? c : ' '));
}

/**
 * One clean line of at most `max` characters (an ellipsis marks a cut), safe inside the hooks' double quotes. A line
 * that stands alone, outside any quote of the hooks (a `Note:`), may keep straight quotes (`quotes`): there they close
 * nothing, and a command a note suggests (`taskhooks tasks add "A title"` on Windows) stays one a person can paste.
 */
export function sanitize(text: string | null | undefined, max = 200, { quotes = false } = {}): string {
  if (!text) return '';
  const clean = stripControls(text)
    .replace(ANGLE, (c) => LOOKALIKE[c] ?? c)
    .replace(QUOTE, (q) => (quotes ? q : '”'))
    .replace(MARKER, '(taskhooks)')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  return `${[...clean]
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}
