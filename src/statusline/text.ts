// Untrusted text made fit for one terminal row: nothing in it may move the cursor, recolour the screen, reorder what
// follows or hide itself, and it is measured in the columns a terminal gives it, not in UTF-16 code units.
import { eastAsianWidth } from 'get-east-asian-width';
import { sanitize } from '../context/sanitize.js';

// What sanitize leaves that a terminal still does not print as itself: format characters (soft hyphen, Arabic letter
// mark, tag characters, joiners), other default-ignorables (variation selectors, Hangul fillers that render as blank
// wide cells), private-use characters and lone surrogates.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Co}\p{Cs}]/gu;
// Combining marks stack on the character before them: a few are real accents, hundreds draw over the rows around.
const MARK_PILE = /([\p{Mn}\p{Me}]{3})[\p{Mn}\p{Me}]+/gu;
const ZERO_WIDTH = /[\p{Mn}\p{Me}]/u;
/** Printable ASCII, as most task text is: nothing to strip, and no Unicode property class to compile (~0.3 ms each). */
const PLAIN = /^[\u0020-\u007e]*$/;

export const ELLIPSIS = '…';

/** One printable line from untrusted text: escapes, controls and invisible characters gone, whitespace collapsed. */
export function cleanText(text: string | null | undefined): string {
  const line = sanitize(text, Number.POSITIVE_INFINITY);
  if (PLAIN.test(line)) return line;
  return line.replace(INVISIBLE, '').replace(MARK_PILE, '$1').replace(/ {2,}/g, ' ').trim();
}

/**
 * Columns one code point takes, as Claude Code's own layout counts them (ambiguous characters narrow): wide and
 * fullwidth ones (CJK, emoji) two, combining marks none. Code point by code point, without grapheme segmentation
 * (Intl.Segmenter costs a cold process ~15 ms): a joined emoji sequence is over-counted, never under-counted.
 */
function codePointWidth(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  // Below the combining marks (U+0300) every printable character is narrow; cleanText has removed the rest.
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(char)) return 0;
  return eastAsianWidth(cp);
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char);
  return width;
}

/** `text` within `columns`: as it is when it fits, else cut at a character boundary and ended with an ellipsis. */
export function fitWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  if (columns < 1) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = codePointWidth(char);
    if (used + w > columns - 1) break;
    out += char;
    used += w;
  }
  return `${out.trimEnd()}${ELLIPSIS}`;
}
