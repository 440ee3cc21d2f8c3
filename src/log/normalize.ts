// Untrusted text in the one form every check reads it in: what a person cannot see but a model reads (escape
// sequences, invisible characters, controls) removed, and letters and digits in another dress (fullwidth forms,
// mathematical alphanumerics, Latin ligatures) folded to their plain form by NFKC. A secret split by a zero-width
// space, or written in fullwidth letters, is whole again here, so redaction, which runs on this form, finds it.

// Escape sequences first, so their parameters do not survive as visible junk: CSI and OSC, the DCS/SOS/PM/APC
// strings, each in its 7-bit (ESC …) and 8-bit (C1) form, then any other ESC sequence.
const ESCAPES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u009d[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[PX^_][^\u001b\u009c]*(?:\u001b\\|\u009c)?|[\u0090\u0098\u009e\u009f][^\u001b\u009c]*(?:\u001b\\|\u009c)?|\u001b[ -/]*[0-~]/g;
// C0 and C1 controls and DEL (tab and newline included), and the line and paragraph separators.
export const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
// Characters that show nothing but that a model still reads: every format character (Unicode tags U+E0000–E007F,
// which models read as ASCII; bidi marks, embeddings and isolates; zero-width space and joiners; U+061C; the soft
// hyphen; the BOM), every other
// default-ignorable code point (variation selectors, Hangul fillers, the combining grapheme joiner, Mongolian vowel
// separator and free variation selectors, and the unassigned ones in those blocks), lone surrogates, and the blank
// braille pattern U+2800. Private-use and other unassigned characters stay: they show as a glyph or a box, a model
// has no reading for them, and new emoji arrive as characters this Node's Unicode tables do not know yet.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}\u2800]/gu;
/**
 * Printable ASCII, as most task text is: nothing in it to strip, and no Unicode property class to compile (~0.3 ms
 * each in a cold hook). PLAIN_LINES lets newlines and tabs through too.
 */
export const PLAIN = /^[\u0020-\u007e]*$/;
export const PLAIN_LINES = /^[\t\n\u0020-\u007e]*$/;
// Controls that carry no layout: removed outright, so a token with one inside is one token again. Tab, newline and
// carriage return stay for the callers that keep lines.
const SILENT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Where NFKC is safe: compatibility characters that are ASCII letters, digits and punctuation in another dress. Other
// compatibility forms (superscripts, fractions, CJK and Arabic presentation forms) keep their meaning and stay.
const ASCII_LOOKALIKE = /[\uFB00-\uFB06\uFF01-\uFF5E\u{1D400}-\u{1D7FF}]/gu;

/** `text` with escapes, invisible characters and silent controls removed and ASCII lookalikes folded (NFKC). */
export function normalizeText(text: string): string {
  if (PLAIN_LINES.test(text)) return text;
  return text
    .replace(ESCAPES, '')
    .replace(INVISIBLE, '')
    .replace(SILENT_CONTROL, '')
    .replace(ASCII_LOOKALIKE, (c) => c.normalize('NFKC'));
}
