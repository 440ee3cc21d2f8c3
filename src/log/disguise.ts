// A copy of text as a secret scanner should read it, with the way back to the text: a token can be disguised so a
// pattern misses it while a person or a model still reads it whole (a combining mark or an invisible character inside
// it, `%5F` or `&#95;` for its underscore, a line break in its middle). The copy undoes that; a secret found in the
// copy is masked in the text over the whole range it came from, so no fragment of it survives. The text itself is
// never rewritten: prose, URLs and code only change where a secret was.
import { entityValue, percentValue } from './escapes.js';

export interface DisguiseView {
  /** The copy: marks and invisible characters dropped, letters folded (NFKD), escapes decoded, split tokens joined. */
  text: string;
  /** Where the source of each character of the copy starts in the text, and where it ends. */
  from: Int32Array;
  to: Int32Array;
  /** What was dropped just before a character: 0 nothing, INVISIBLE a mark or format character, JOINED whitespace. */
  gap: Uint8Array;
  /** 1 where a character of the copy is not the text's character (decoded or folded). */
  altered: Uint8Array;
}

const INVISIBLE = 1;
export const JOINED = 2;

// What a person cannot see, or sees only as an accent on the letter before: dropped from the copy.
const UNSEEN = /^[\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]+$/u;
const MARKS = /\p{M}/gu;
// A split worth joining: spaces or tabs around at most one line break, as a wrapped or hand-broken token shows.
const SPLIT = /[ \t]{0,8}(?:\r?\n)?[ \t]{0,8}/y;
// Pieces a split is joined beside: one at least this long that looks like a token's (tokenish). A token cut in two
// has a piece of half its length, 10 characters for the shortest (an AWS key id).
const PIECE = 8;
// Characters of a token (base64 and JWT ones too: `+/=.`): a split is only joined between two of them.
const TOKEN_CODES = new Set([...'_+/=.-'].map((c) => c.charCodeAt(0)));
const isTokenCode = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || TOKEN_CODES.has(c);
// What takes the slow path of the copy: `%`, `&`, whitespace, and everything not ASCII.
const SLOW = new Set([37, 38, 32, 9, 10, 13]);
/** A character SLOW holds, or any beyond ASCII: the ones addSlow reads. Derived, so the two cannot differ. */
const NOT_PLAIN = new RegExp(
  `[\\u0080-\\uffff${[...SLOW].map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]`,
);

/** Reads a piece of a token a character at a time: whether it looks like one rather than a word (see tokenish). */
class Piece {
  length = 0;
  lower = false;
  marked = false;

  reset(): void {
    this.length = 0;
    this.lower = false;
    this.marked = false;
  }

  add(c: number): void {
    this.length++;
    if ((c >= 48 && c <= 57) || c === 95) this.marked = true;
    else if (c >= 97 && c <= 122) this.lower = true;
    else if (this.lower && c >= 65 && c <= 90) this.marked = true;
  }
}

/**
 * Whether a piece of a token looks like one rather than a word: a digit or an underscore in it, or a capital after a
 * small letter. A split is joined only beside such a piece, so prose stays as it is in the copy too.
 */
export function tokenish(piece: string): boolean {
  const p = new Piece();
  for (let i = 0; i < piece.length && !p.marked; i++) p.add(piece.charCodeAt(i));
  return p.marked;
}

/** Whether the raw run of token characters at `at` is a piece a split is joined beside. */
function joinableAt(text: string, at: number): boolean {
  const p = new Piece();
  for (let i = at; i < text.length && i - at < 64 && isTokenCode(text.charCodeAt(i)); i++) p.add(text.charCodeAt(i));
  return p.marked && p.length >= PIECE;
}

const folded = new Map<string, string>();
/** One character as the copy has it: '' for a mark or an invisible one, its NFKD letters without marks otherwise. */
function fold(c: string): string {
  let out = folded.get(c);
  if (out === undefined) {
    out = UNSEEN.test(c) ? '' : c.normalize('NFKD').replace(MARKS, '');
    folded.set(c, out);
  }
  return out;
}

/** The copy, grown a character at a time into typed arrays: linear however long the text. */
class Builder {
  codes: Uint16Array;
  from: Int32Array;
  to: Int32Array;
  gap: Uint8Array;
  altered: Uint8Array;
  length = 0;
  changed = false;
  pendingGap = 0;
  /** The piece of a token the copy ends in. */
  piece = new Piece();

  constructor(size: number) {
    this.codes = new Uint16Array(size);
    this.from = new Int32Array(size);
    this.to = new Int32Array(size);
    this.gap = new Uint8Array(size);
    this.altered = new Uint8Array(size);
  }

  push(c: number, from: number, to: number, altered: number): void {
    if (this.length === this.codes.length) this.grow();
    const n = this.length++;
    this.codes[n] = c;
    this.from[n] = from;
    this.to[n] = to;
    this.gap[n] = this.pendingGap;
    this.altered[n] = altered;
    if (!isTokenCode(c) || this.pendingGap === JOINED) this.piece.reset();
    if (isTokenCode(c)) this.piece.add(c);
    this.pendingGap = 0;
  }

  pushAll(chars: string, from: number, to: number, altered: boolean): void {
    for (let k = 0; k < chars.length; k++) this.push(chars.charCodeAt(k), from, to, altered ? 1 : 0);
    if (altered) this.changed = true;
  }

  drop(kind: number): void {
    this.pendingGap = Math.max(this.pendingGap, kind);
    this.changed = true;
  }

  /** Whether a split here would join a piece of a token: the copy ends in a token character. */
  endsInToken(): boolean {
    return this.length > 0 && this.pendingGap !== JOINED && isTokenCode(this.codes[this.length - 1] as number);
  }

  view(): DisguiseView {
    let text = '';
    for (let at = 0; at < this.length; at += 8192)
      text += String.fromCharCode(...this.codes.subarray(at, Math.min(this.length, at + 8192)));
    return { text, from: this.from, to: this.to, gap: this.gap, altered: this.altered };
  }

  private grow(): void {
    const size = this.codes.length * 2;
    const codes = new Uint16Array(size);
    codes.set(this.codes);
    this.codes = codes;
    for (const key of ['from', 'to'] as const) {
      const next = new Int32Array(size);
      next.set(this[key]);
      this[key] = next;
    }
    for (const key of ['gap', 'altered'] as const) {
      const next = new Uint8Array(size);
      next.set(this[key]);
      this[key] = next;
    }
  }
}

/** Where a split at `at` ends, when it lies between two token characters and beside a piece that looks like a token's. */
function splitEnd(text: string, at: number, b: Builder): number | undefined {
  if (!b.endsInToken()) return undefined;
  SPLIT.lastIndex = at;
  const end = at + (SPLIT.exec(text)?.[0].length ?? 0);
  if (end === at || end >= text.length || !isTokenCode(text.charCodeAt(end))) return undefined;
  const before = b.piece.marked && b.piece.length >= PIECE;
  return before || joinableAt(text, end) ? end : undefined;
}

/** Adds the character at `at` (or the whitespace, escape or mark that starts there) to the copy; where it ends. */
function addSlow(text: string, at: number, b: Builder): number {
  const code = text.charCodeAt(at);
  if (code === 32 || code === 9 || code === 10 || code === 13) {
    const end = splitEnd(text, at, b);
    if (end !== undefined) {
      b.drop(JOINED);
      return end;
    }
  }
  const decoded = code === 37 ? percentValue(text, at) : code === 38 ? entityValue(text, at) : undefined;
  const point = text.codePointAt(at) as number;
  const [raw, end] = decoded ?? [String.fromCodePoint(point), at + (point > 0xffff ? 2 : 1)];
  const shown = raw.length === 1 && raw.charCodeAt(0) < 0x80 ? raw : fold(raw);
  if (shown === '') b.drop(INVISIBLE);
  else b.pushAll(shown, at, end, decoded !== undefined || shown !== raw);
  return end;
}

/** The copy of `text` a secret scanner reads (see DisguiseView), or undefined when it would be the text itself. */
export function disguiseView(text: string): DisguiseView | undefined {
  // Plain ASCII with no space, `%` or `&` (an id, a date, a status) has nothing to undo: said without a copy.
  if (!NOT_PLAIN.test(text)) return undefined;
  const b = new Builder(text.length + 16);
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code < 0x80 && !SLOW.has(code)) {
      b.push(code, i, i + 1, 0);
      i++;
    } else i = addSlow(text, i, b);
  }
  return b.changed ? b.view() : undefined;
}

/** The range of the text that characters `start` to `end` of the copy came from. */
export function sourceOf(view: DisguiseView, start: number, end: number): [number, number] {
  return [view.from[start] as number, view.to[end - 1] as number];
}

/** Whether characters `start` to `end` of the copy differ from the text they came from: a disguise was undone. */
export function undisguised(view: DisguiseView, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (view.altered[i] || (i > start && view.gap[i])) return true;
  return false;
}

const WORD = /[A-Za-z0-9]/;
/** Whether `start` to `end` of the copy stands alone in the text: no letter or digit of a word on either side. */
export function standsAlone(view: DisguiseView, start: number, end: number): boolean {
  const before = start === 0 || view.gap[start] === JOINED || !WORD.test(view.text.charAt(start - 1));
  const after = end >= view.text.length || view.gap[end] === JOINED || !WORD.test(view.text.charAt(end));
  return before && after;
}
