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
// Characters of a token (base64 and JWT ones too: `+/=.`): a split is only joined between two of them. As a class of
// the regular expressions below, and as a table derived from it: the copy asks for many characters, and the monitor
// runs it without a compiler (src/home/launch.ts). Beyond ASCII, the lookup is undefined: no token character.
const TOKEN_CLASS = 'A-Za-z0-9_+/=.\\-';
const TOKEN_TABLE = new Uint8Array(128);
const TOKEN_CHAR = new RegExp(`[${TOKEN_CLASS}]`);
for (let c = 0; c < 128; c++) TOKEN_TABLE[c] = TOKEN_CHAR.test(String.fromCharCode(c)) ? 1 : 0;
const isTokenCode = (c: number): boolean => TOKEN_TABLE[c] === 1;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

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

  /** What adding each of `chars`, all a token's, would do; read by regular expressions, each linear. */
  addAll(chars: string): void {
    this.length += chars.length;
    if (!this.marked) this.marked = MARK.test(chars) || (this.lower ? CAPITAL : CAPITAL_AFTER_SMALL).test(chars);
    if (!this.lower) this.lower = SMALL.test(chars);
  }
}
const MARK = /[0-9_]/;
const SMALL = /[a-z]/;
const CAPITAL = /[A-Z]/;
const CAPITAL_AFTER_SMALL = /^[^a-z]*[a-z][^A-Z]*[A-Z]/;

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

// Index k holds k: a run of plain characters is mapped to its source by copying a slice, not a character at a time.
// Kept for texts up to INDEXES_KEPT characters (256 KB); a longer one gets its own for the one copy.
const INDEXES_KEPT = 65_536;
let kept = new Int32Array(0);
/** Indexes up to `size`: kept ones, or for a longer text its own, which the copy asks for once. */
function indexes(size: number): Int32Array {
  if (kept.length >= size) return kept;
  const made = new Int32Array(Math.max(size, Math.min(INDEXES_KEPT, kept.length * 2)));
  for (let k = 0; k < made.length; k++) made[k] = k;
  if (made.length <= INDEXES_KEPT) kept = made;
  return made;
}

/** The copy, grown into typed arrays, a run of plain characters at a time: linear however long the text. */
class Builder {
  parts: string[] = [];
  from: Int32Array;
  to: Int32Array;
  gap: Uint8Array;
  altered: Uint8Array;
  length = 0;
  changed = false;
  pendingGap = 0;
  /** The code of the copy's last character; -1 while it has none. */
  last = -1;
  /** The piece of a token the copy ends in. */
  piece = new Piece();
  /** indexes() for the text. */
  private readonly index: Int32Array;

  constructor(textLength: number) {
    this.index = indexes(textLength + 1);
    const size = textLength + 16;
    this.from = new Int32Array(size);
    this.to = new Int32Array(size);
    this.gap = new Uint8Array(size);
    this.altered = new Uint8Array(size);
  }

  push(c: number, from: number, to: number, altered: number): void {
    if (this.length === this.from.length) this.grow();
    const n = this.length++;
    this.parts.push(String.fromCharCode(c));
    this.from[n] = from;
    this.to[n] = to;
    this.gap[n] = this.pendingGap;
    this.altered[n] = altered;
    const token = TOKEN_TABLE[c] === 1;
    if (!token || this.pendingGap === JOINED) this.piece.reset();
    if (token) this.piece.add(c);
    this.last = c;
    this.pendingGap = 0;
  }

  /**
   * Characters `from` to `to` of `text`, all ASCII and none the copy changes, as they are: what pushing each would
   * do, with the piece read from the run's end back to its last character that is no token's.
   */
  pushPlain(text: string, from: number, to: number): void {
    while (this.length + to - from > this.from.length) this.grow();
    const n = this.length;
    this.parts.push(text.slice(from, to));
    this.from.set(this.index.subarray(from, to), n);
    this.to.set(this.index.subarray(from + 1, to + 1), n);
    this.gap[n] = this.pendingGap;
    let start = to;
    while (start > from && TOKEN_TABLE[text.charCodeAt(start - 1)] === 1) start--;
    if (start > from || this.pendingGap === JOINED) this.piece.reset();
    this.piece.addAll(text.slice(start, to));
    this.length += to - from;
    this.last = text.charCodeAt(to - 1);
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
    return this.pendingGap !== JOINED && TOKEN_TABLE[this.last] === 1;
  }

  view(): DisguiseView {
    return { text: this.parts.join(''), from: this.from, to: this.to, gap: this.gap, altered: this.altered };
  }

  private grow(): void {
    const size = this.from.length * 2;
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
  if (isSpace(code)) {
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

// Where the copy could differ from the text, found by one regular expression (native code, where a loop over the
// characters runs in the monitor's interpreter): a character beyond ASCII, an escape, and a split beside a piece of a
// token (Piece) on either side, its whitespace found after the piece (group `before`) or after one token character
// (group `after`). Each finds at least what the copy would undo; it may find more.
// A run Piece marks, from its start: a digit or `_` before any small letter, or a capital, digit or `_` after one.
const MARKED_RUN = '(?=[A-Z+/=.\\-]*(?:[0-9_]|[a-z][a-z+/=.\\-]*[A-Z0-9_]))';
// SPLIT at its longest: 8 spaces or tabs, a CR LF, 8 more.
const SPLIT_RUN = '[ \\t\\r\\n]{1,18}';
const MAY_DIFFER = new RegExp(
  [
    '(?<beyond>[^\\0-\\x7f])',
    '%[0-9A-Fa-f]{2}',
    '&(?:#|[A-Za-z]{2,14};)',
    `(?<![${TOKEN_CLASS}])(?=[${TOKEN_CLASS}]{${PIECE}})${MARKED_RUN}(?<before>[${TOKEN_CLASS}]+)${SPLIT_RUN}[${TOKEN_CLASS}]`,
    `(?<after>[${TOKEN_CLASS}])${SPLIT_RUN}(?=[${TOKEN_CLASS}]{${PIECE}})${MARKED_RUN}`,
  ].join('|'),
  'gu',
);
/** Where a match of MAY_DIFFER asks for the slow path: a split's whitespace, else where it starts. */
const slowAt = (m: RegExpExecArray): number => (m.index ?? 0) + (m.groups?.before?.length ?? (m.groups?.after ? 1 : 0));

/** Whether the copy of `text` may differ from it: false only where copying would change nothing. */
export function mayAlter(text: string): boolean {
  // Each match is at least a character long: the loop ends.
  MAY_DIFFER.lastIndex = 0;
  for (let m = MAY_DIFFER.exec(text); m; m = MAY_DIFFER.exec(text))
    if (m.groups?.beyond === undefined || fold(m[0]) !== m[0]) return true;
  return false;
}

/** The copy of `text` a secret scanner reads (see DisguiseView), or undefined when it would be the text itself. */
export function disguiseView(text: string): DisguiseView | undefined {
  // Most text (an id, a status, prose) has nothing to undo: it is looked over at native speed, and gets no copy.
  return mayAlter(text) ? copied(text) : undefined;
}

const TOKEN_RUN = new RegExp(`[${TOKEN_CLASS}]+`, 'y');

/** Where the copy of `text` goes the slow way next, from `i` on: MAY_DIFFER's next place. */
function nextPlace(text: string, i: number): number {
  MAY_DIFFER.lastIndex = i;
  const m = MAY_DIFFER.exec(text);
  return m ? slowAt(m) : text.length;
}

/**
 * After a slow step ending at `i`: what it pushed may belong to the piece the next split is judged by, which
 * MAY_DIFFER reads in the text alone, so the rest of the piece is copied and the split after it goes the slow way too.
 */
function pastPiece(text: string, i: number, b: Builder): number {
  TOKEN_RUN.lastIndex = i;
  const end = i + (TOKEN_RUN.exec(text)?.[0].length ?? 0);
  if (end > i) b.pushPlain(text, i, end);
  return end < text.length && isSpace(text.charCodeAt(end)) ? addSlow(text, end, b) : end;
}

/**
 * The copy of `text`; undefined when it is the text itself. What lies between two of MAY_DIFFER's places is copied as
 * it is, in one step; each place goes the slow way, a character at a time.
 */
export function copied(text: string): DisguiseView | undefined {
  return copiedBy(text, true);
}

/** The copy made the slow way at every character: what copied() must equal, which tests hold it to. */
export function copiedSlowly(text: string): DisguiseView | undefined {
  return copiedBy(text, false);
}

function copiedBy(text: string, fast: boolean): DisguiseView | undefined {
  const b = new Builder(text.length);
  let i = 0;
  while (i < text.length) {
    const at = fast ? nextPlace(text, i) : i;
    if (at > i) b.pushPlain(text, i, at);
    if (at >= text.length) break;
    i = addSlow(text, at, b);
    if (fast) i = pastPiece(text, i, b);
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
