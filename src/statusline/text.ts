// Untrusted text made fit for one terminal row: nothing in it may move the cursor, recolour the screen, reorder what
// follows or hide itself, and it is measured in the columns a terminal gives it, not in UTF-16 code units.
import { eastAsianWidth } from 'get-east-asian-width';
import { sanitize } from '../context/sanitize.js';
import { PLAIN } from '../log/normalize.js';

// What sanitize leaves (it removes format characters, other default-ignorables and lone surrogates already) that a
// terminal row still should not show: private-use characters, a glyph only some fonts have and the rest draw as a box.
const PRIVATE_USE = /\p{Co}/gu;
// Combining marks stack on the character before them: a few are real accents, hundreds draw over the rows around.
const MARK_PILE = /([\p{Mn}\p{Me}]{3})[\p{Mn}\p{Me}]+/gu;
const ZERO_WIDTH = /[\p{Mn}\p{Me}]/u;

const ELLIPSIS = '…';

/** One printable line from untrusted text: escapes, controls and invisible characters gone, whitespace collapsed. */
export function cleanText(text: string | null | undefined): string {
  const line = sanitize(text, Number.POSITIVE_INFINITY);
  // Plain already (sanitize turns quotes and angle brackets into lookalikes, so not always): nothing left to compile.
  if (PLAIN.test(line)) return line;
  return line.replace(PRIVATE_USE, '').replace(MARK_PILE, '$1').replace(/ {2,}/g, ' ').trim();
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
