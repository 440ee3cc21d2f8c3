// Task text comes from a server and git from whoever wrote the commits: both are untrusted. Nothing in them may
// break out of the context Claude Code builds around additionalContext, hide text a person cannot see but a model
// reads, or smuggle in terminal control.

// Escape sequences first, so their parameters do not survive as visible junk: CSI and OSC, the DCS/SOS/PM/APC
// strings, each in its 7-bit (ESC …) and 8-bit (C1) form, then any other ESC sequence.
const ESCAPES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u009d[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?|[\u0090\u0098\u009e\u009f][^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[ -/]*[0-~]/g;
// C0 and C1 controls and DEL (tab and newline included), and the line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
// What shows nothing yet is read: every format character (Unicode tags U+E0000–E007F, which models read as ASCII;
// bidi marks, embeddings and isolates; zero-width space and joiners; U+061C; the soft hyphen; the BOM), every other
// default-ignorable code point (variation selectors, Hangul fillers, the combining grapheme joiner, Mongolian vowel
// separator and free variation selectors, and the unassigned ones in those blocks), lone surrogates, and the blank
// braille pattern U+2800. Private-use and other unassigned characters stay: they show as a glyph or a box, a model
// has no reading for them, and new emoji arrive as characters this Node's Unicode tables do not know yet.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}\u2800]/gu;
/**
 * Printable ASCII, as most task text is: nothing in it to strip, and no Unicode property class to compile (~0.3 ms
 * each in a cold hook). With `multiline`, newlines and tabs are kept as they are, so they fit too.
 */
export const PLAIN = /^[\u0020-\u007e]*$/;
const PLAIN_LINES = /^[\t\n\u0020-\u007e]*$/;
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
 * Text without escape sequences or invisible characters; other controls become spaces, except (with `multiline`)
 * newlines and tabs, which a person's terminal shows as they are meant.
 */
export function stripControls(text: string, { multiline = false }: { multiline?: boolean } = {}): string {
  if ((multiline ? PLAIN_LINES : PLAIN).test(text)) return text;
  const visible = text.replace(ESCAPES, '').replace(INVISIBLE, '');
  if (!multiline) return visible.replace(CONTROL, ' ');
  return visible.replace(/\r\n/g, '\n').replace(CONTROL, (c) => (c === '\n' || c === '\t' ? c : ' '));
}

/** One clean line of at most `max` characters (an ellipsis marks a cut), safe inside the hooks' double quotes. */
export function sanitize(text: string | null | undefined, max = 200): string {
  if (!text) return '';
  const clean = stripControls(text)
    .replace(ANGLE, (c) => LOOKALIKE[c] ?? c)
    .replace(QUOTE, '”')
    .replace(MARKER, '(taskhooks)')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  return `${[...clean]
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}
