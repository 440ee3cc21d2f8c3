// How deeply a JSON text nests, counted as its bytes arrive and before any JSON.parse: a body of ten million brackets
// is cheap to send but took JSON.parse seconds and hundreds of MB, while every other request of the process waited.
// What taskhooks reads (hook inputs, JSON-RPC calls, board actions) nests a few levels, so a bound far above them
// refuses such a body from a cheap single pass instead. Only bytes are looked at: in UTF-8 no byte of a multi-byte
// character is a quote, backslash or bracket, so a chunk may end anywhere.

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
  colon: 0x3a,
  comma: 0x2c,
  newline: 0x0a,
} as const;

/** The longest member value read (a JSON-RPC id or method): a longer one reads as unreadable (null). */
const MEMBER_MAX_BYTES = 256;

export interface JsonDepthScan {
  /**
   * Reads `bytes[from, to)` as the next part of the text: the index of the byte where it first goes past `maxDepth`
   * (an opening bracket), once per text, or -1. Reading on past it still counts depth and reads members.
   */
  scan(bytes: Uint8Array, from?: number, to?: number): number;
  /** The deepest nesting seen so far. */
  readonly deepest: number;
  /**
   * A member of the top-level object the scanner was asked to read: its value once read (a string or a scalar), null
   * when it is unreadable here (an object, an array, over 256 bytes), undefined while none has been seen.
   */
  member(name: string): unknown;
  /** Starts over, for the next text (a stream's next line). */
  reset(): void;
}

/** Where a top-level object's member is read: its key, the colon, its value, then a comma or the end. */
type Expect = 'key' | 'colon' | 'value' | 'next';

/**
 * A scanner of one JSON text, bracket depth counted outside strings; with `members`, those of the top-level object
 * are read as they pass (a JSON-RPC message's id and method), wherever they stand, without holding the rest.
 */
export function jsonDepthScan(maxDepth = MAX_JSON_DEPTH, members: readonly string[] = []): JsonDepthScan {
  return new DepthScan(maxDepth, members);
}

class DepthScan implements JsonDepthScan {
  private depth = 0;
  deepest = 0;
  private inString = false;
  /** The last byte of the previous part was a backslash that escapes the first byte of this one. */
  private escaped = false;
  private wentOver = false;
  /** Whether the text is an object whose members are read (undecided until its first bracket). */
  private top: 'unknown' | 'object' | 'other';
  private expect: Expect = 'key';
  /** The member whose value comes next, when it is one asked for. */
  private wanted: string | undefined;
  /** The raw bytes of the key or value being read, up to the bound; `kind` says which and how it ends. */
  private capture: { kind: 'key' | 'string' | 'scalar'; bytes: Buffer; size: number } | undefined;
  private readonly found = new Map<string, unknown>();

  constructor(
    private readonly maxDepth: number,
    private readonly members: readonly string[],
  ) {
    this.top = members.length > 0 ? 'unknown' : 'other';
  }

  scan(bytes: Uint8Array, from = 0, to = bytes.length): number {
    let i = from;
    while (i < to) {
      if (this.inString) {
        const next = this.readString(bytes, i, to);
        if (next === -1) return -1;
        i = next;
        continue;
      }
      const b = bytes[i];
      if (this.capture?.kind === 'scalar') {
        if (b !== undefined && !isSpace(b) && b !== BYTE.comma && b !== BYTE.closeObject) {
          this.take(bytes, i, i + 1);
          i++;
          continue;
        }
        this.scalarDone();
      }
      if (this.step(bytes, i)) return i;
      i++;
    }
    return -1;
  }

  member(name: string): unknown {
    return this.found.get(name);
  }

  reset(): void {
    this.depth = 0;
    this.deepest = 0;
    this.inString = false;
    this.escaped = false;
    this.wentOver = false;
    this.top = this.members.length > 0 ? 'unknown' : 'other';
    this.expect = 'key';
    this.wanted = undefined;
    this.capture = undefined;
    this.found.clear();
  }

  /** Reads on inside a string from `bytes[i]`: where reading resumes after its closing quote, or -1 past `to`. */
  private readString(bytes: Uint8Array, i: number, to: number): number {
    const ended = stringEnd(bytes, i, to, this.escaped);
    this.escaped = ended.escaped;
    this.take(bytes, i, ended.at === -1 ? to : ended.at);
    if (ended.at === -1) return -1;
    this.inString = false;
    if (this.capture) this.stringDone();
    return ended.at + 1;
  }

  /** One byte outside strings: true when it is the opening bracket that first goes past the bound. */
  private step(bytes: Uint8Array, i: number): boolean {
    const b = bytes[i];
    const reading = this.depth === 1 && this.top === 'object';
    if (b === BYTE.quote) {
      this.inString = true;
      if (reading && this.expect === 'key') this.startCapture('key');
      else if (reading && this.expect === 'value') {
        this.expect = 'next';
        if (this.wanted !== undefined) this.startCapture('string');
      }
    } else if (b === BYTE.openArray || b === BYTE.openObject) return this.open(b, reading);
    else if (b === BYTE.closeArray || b === BYTE.closeObject) this.depth--;
    else if (reading) this.atTop(bytes, i);
    return false;
  }

  private open(b: number, reading: boolean): boolean {
    if (this.depth === 0 && this.top === 'unknown') this.top = b === BYTE.openObject ? 'object' : 'other';
    else if (reading && this.expect === 'value') {
      if (this.wanted !== undefined) this.found.set(this.wanted, null);
      this.expect = 'next';
    }
    this.depth++;
    if (this.depth > this.deepest) this.deepest = this.depth;
    if (this.depth <= this.maxDepth || this.wentOver) return false;
    this.wentOver = true;
    return true;
  }

  private take(bytes: Uint8Array, from: number, to: number): void {
    const capture = this.capture;
    if (!capture) return;
    const n = Math.min(to - from, MEMBER_MAX_BYTES + 1 - capture.size);
    if (n > 0) capture.bytes.set(bytes.subarray(from, from + n), capture.size);
    capture.size += Math.max(0, n);
  }

  /** The captured text as JSON (a string's wrapped in its quotes), or null past the bound or unparseable. */
  private captured(quoted: boolean): unknown {
    const capture = this.capture;
    if (!capture || capture.size > MEMBER_MAX_BYTES) return null;
    const text = capture.bytes.toString('utf8', 0, capture.size);
    try {
      return JSON.parse(quoted ? `"${text}"` : text) as unknown;
    } catch {
      return null;
    }
  }

  private startCapture(kind: 'key' | 'string' | 'scalar'): void {
    this.capture = { kind, bytes: this.capture?.bytes ?? Buffer.alloc(MEMBER_MAX_BYTES + 1), size: 0 };
  }

  private stringDone(): void {
    if (this.capture?.kind === 'key') {
      const key = this.captured(true);
      this.wanted = typeof key === 'string' && this.members.includes(key) ? key : undefined;
      this.expect = 'colon';
    } else if (this.capture?.kind === 'string' && this.wanted !== undefined) {
      this.found.set(this.wanted, this.captured(true));
      this.expect = 'next';
    }
    this.capture = undefined;
  }

  private scalarDone(): void {
    if (this.wanted !== undefined) this.found.set(this.wanted, this.captured(false));
    this.capture = undefined;
    this.expect = 'next';
  }

  /** A byte outside strings and brackets at the top-level object's own depth: `bytes[i]`. */
  private atTop(bytes: Uint8Array, i: number): void {
    const b = bytes[i];
    if (b === BYTE.colon) this.expect = 'value';
    else if (b === BYTE.comma) {
      this.expect = 'key';
      this.wanted = undefined;
    } else if (this.expect === 'value' && b !== undefined && !isSpace(b)) {
      this.expect = 'next';
      if (this.wanted === undefined) return;
      this.startCapture('scalar');
      this.take(bytes, i, i + 1);
    }
  }
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

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

/** The words a refusal says, the same for every server; `what` names what was refused. */
export function tooDeepReason(maxDepth = MAX_JSON_DEPTH, what = 'the JSON'): string {
  return `${what} nests deeper than ${maxDepth} levels, far more than any input taskhooks reads; send it flatter`;
}
