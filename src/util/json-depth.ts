// How deeply a JSON text nests, counted as its bytes arrive and before any JSON.parse: a body of ten million brackets
// is cheap to send but took JSON.parse seconds and hundreds of MB, while every other request of the process waited.
// What taskhooks reads (hook inputs, JSON-RPC calls, board actions) nests a few levels, so a bound far above them
// refuses such a body from a cheap single pass instead. Only bytes are looked at: in UTF-8 no byte of a multi-byte
// character is a quote, backslash or bracket, so a chunk may end anywhere.
import { Transform } from 'node:stream';

/** Far above any input taskhooks reads (a hook input nests about five levels, a JSON-RPC tool call about eight). */
export const MAX_JSON_DEPTH = 64;

/** The bytes that matter: quotes and backslashes bound strings, brackets outside them nest, newlines end a line. */
const BYTE = {
  quote: 0x22,
  backslash: 0x5c,
  openArray: 0x5b,
  openObject: 0x7b,
  closeArray: 0x5d,
  closeObject: 0x7d,
  newline: 0x0a,
} as const;

export interface JsonDepthScan {
  /**
   * Reads `bytes[from, to)` as the next part of the text: the index of the first byte past `maxDepth` (an opening
   * bracket), or -1 while the text stays within it.
   */
  scan(bytes: Uint8Array, from?: number, to?: number): number;
  /** The deepest nesting seen so far. */
  readonly deepest: number;
  /** Starts over, for the next text (a stream's next line). */
  reset(): void;
}

/** A scanner of one JSON text, bracket depth counted outside strings. */
export function jsonDepthScan(maxDepth = MAX_JSON_DEPTH): JsonDepthScan {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  /** The last byte of the previous part was a backslash that escapes the first byte of this one. */
  let escaped = false;
  return {
    scan(bytes, from = 0, to = bytes.length) {
      let i = from;
      while (i < to) {
        if (inString) {
          const ended = stringEnd(bytes, i, to, escaped);
          escaped = ended.escaped;
          if (ended.at === -1) return -1;
          inString = false;
          i = ended.at + 1;
          continue;
        }
        const b = bytes[i];
        if (b === BYTE.quote) inString = true;
        else if (b === BYTE.openArray || b === BYTE.openObject) {
          depth++;
          if (depth > deepest) deepest = depth;
          if (depth > maxDepth) return i;
        } else if (b === BYTE.closeArray || b === BYTE.closeObject) depth--;
        i++;
      }
      return -1;
    },
    get deepest() {
      return deepest;
    },
    reset() {
      depth = 0;
      deepest = 0;
      inString = false;
      escaped = false;
    },
  };
}

/**
 * Where the string that `bytes[from]` is inside of ends (its closing quote), or -1 when not before `to`; with whether
 * the next part starts escaped. Found with indexOf, which reads a long string (a Write's content) at memchr's speed.
 */
function stringEnd(bytes: Uint8Array, from: number, to: number, escaped: boolean): { at: number; escaped: boolean } {
  let i = escaped ? from + 1 : from;
  if (i > to) return { at: -1, escaped: true };
  while (i < to) {
    const q = bytes.indexOf(BYTE.quote, i);
    if (q === -1 || q >= to) return { at: -1, escaped: oddBackslashesBefore(bytes, to, i) };
    if (!oddBackslashesBefore(bytes, q, i)) return { at: q, escaped: false };
    i = q + 1;
  }
  return { at: -1, escaped: false };
}

/** Whether the run of backslashes that ends right before `end` (not reaching before `floor`) is odd. */
function oddBackslashesBefore(bytes: Uint8Array, end: number, floor: number): boolean {
  let k = end - 1;
  while (k >= floor && bytes[k] === BYTE.backslash) k--;
  return (end - 1 - k) % 2 === 1;
}

/**
 * A stream of JSON lines (MCP over stdio) passed on as it comes, but a line nested past `maxDepth` is cut where it
 * goes too deep, ended there with a newline (the reader's parser then refuses it as truncated, at once) and the rest of
 * it dropped; `refused` is told, to answer it. Nothing is held beyond the chunk at hand.
 */
export function boundLineDepth(refused: () => void, maxDepth = MAX_JSON_DEPTH): Transform {
  const depth = jsonDepthScan(maxDepth);
  let dropping = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out: Buffer[] = [];
      for (let i = 0; i < chunk.length; ) {
        const nl = chunk.indexOf(BYTE.newline, i);
        const end = nl === -1 ? chunk.length : nl;
        const next = nl === -1 ? chunk.length : nl + 1;
        const over = dropping ? -1 : depth.scan(chunk, i, end);
        if (over !== -1) {
          out.push(chunk.subarray(i, over), LINE_END);
          dropping = true;
          refused();
        } else if (!dropping) out.push(chunk.subarray(i, next));
        if (nl !== -1) {
          dropping = false;
          depth.reset();
        }
        i = next;
      }
      done(null, Buffer.concat(out));
    },
  });
}

const LINE_END = Buffer.from('\n');

/** The words a refusal says, the same for every server; `what` names what was refused. */
export function tooDeepReason(maxDepth = MAX_JSON_DEPTH, what = 'the JSON'): string {
  return `${what} nests deeper than ${maxDepth} levels, far more than any input taskhooks reads; send it flatter`;
}
