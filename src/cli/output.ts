// Terminal output for people: aligned tables, colour only on a TTY (and never in hook output, which does not use this).
// Everything a command prints passes through maskedOut's streams: no credential reaches a terminal or a script.
import type { Writable } from 'node:stream';
import { scrubData, scrubStrings } from '../log/redact.js';

export interface Out {
  stdout: Writable;
  stderr: Writable;
  /** Colour and progress are for terminals only; NO_COLOR turns colour off too. */
  color: boolean;
  /**
   * stdout unmasked: for JSON that printJson masked value by value, and the one secret a command is run to show (the
   * dashboard's one-time link); nothing else.
   */
  unmasked?: Writable;
}

/** The terminal codes this file writes (colour, clearing a line): kept, while the text between them is masked. */
const OWN_CODES = /(\u001b\[[0-9;]*[mK])/;

/**
 * `text` as a command may print it: credentials masked as in every log line (src/log/redact.ts: URL user parts and
 * query tokens, registered secrets, tokens of known formats), the codes this file writes kept.
 */
export function maskedText(text: string): string {
  const pieces = text.split(OWN_CODES);
  const clean = scrubStrings(pieces.filter((_, i) => i % 2 === 0));
  return pieces.map((piece, i) => (i % 2 === 0 ? (clean[i / 2] ?? '') : piece)).join('');
}

/** `stream` with each string written to it (by write or end) masked (maskedText); all else of it is its own. */
function masked(stream: Writable): Writable {
  const maskedCall =
    (method: 'write' | 'end') =>
    (chunk: unknown, ...rest: unknown[]): unknown =>
      (stream[method] as (chunk: unknown, ...rest: unknown[]) => unknown).call(
        stream,
        typeof chunk === 'string' ? maskedText(chunk) : chunk,
        ...rest,
      );
  const calls = new Map<string | symbol, unknown>([
    ['write', maskedCall('write')],
    ['end', maskedCall('end')],
  ]);
  return new Proxy(stream, {
    get(target, key) {
      if (calls.has(key)) return calls.get(key);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The output every command writes to: stdout and stderr masked, and stdout as it is in `unmasked`. */
export function maskedOut(stdout: Writable, stderr: Writable, color: boolean): Out {
  return { stdout: masked(stdout), stderr: masked(stderr), color, unmasked: stdout };
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1, cyan: 36 } as const;
export type Colour = keyof typeof CODES;

export function paint(out: Out, colour: Colour, text: string): string {
  return out.color ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string): number => [...s.replace(ANSI, '')].length;

/** Renders rows as columns padded to their widest cell; the header is dimmed on a TTY. */
export function table(out: Out, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return `${[paint(out, 'dim', line(header)), ...rows.map(line)].join('\n')}\n`;
}

// JSON.stringify leaves C1 controls, format and other invisible characters as they are; escaped, they are the same
// JSON and the same strings, but a terminal shows them as \uXXXX instead of obeying them.
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029\u2800]/gu;
const jsonEscape = (c: string): string =>
  c
    .split('')
    .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('');

/** A line on stderr the person should read but that changes nothing about the answer: `note: …`. */
export function printNote(out: Out, text: string): void {
  out.stderr.write(`${paint(out, 'yellow', 'note:')} ${text}\n`);
}

/**
 * `value` as JSON on stdout, scrubbed as every log line is: a branch name or task text may hold a token. Its strings are
 * masked one by one (scrubData), so the JSON is not masked again as a whole: a long list would take twice as long.
 */
export function printJson(out: Out, value: unknown): void {
  const json = `${JSON.stringify(scrubData(value), null, 2).replace(JSON_UNSAFE, jsonEscape)}\n`;
  (out.unmasked ?? out.stdout).write(json);
}

/**
 * `text` folded at spaces into lines of at most `width` visible characters (a longer word, a path, stays whole on its
 * own line); its own line breaks are kept.
 */
export function foldLines(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => {
    const lines: string[] = [];
    let current = '';
    for (const word of line.split(' ')) {
      if (current !== '' && visibleLength(current) + 1 + visibleLength(word) > width) {
        lines.push(current);
        current = word;
      } else current = current === '' ? word : `${current} ${word}`;
    }
    return [...lines, current];
  });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Shows a spinner-free progress line on a TTY for steps that may take over a second; a no-op elsewhere.
 * Returns a function that clears it.
 */
export function progress(out: Out, label: string): () => void {
  if (!out.color) return () => undefined;
  const timer = setTimeout(() => out.stderr.write(`${paint(out, 'dim', `… ${label}`)}\r`), 1000);
  return () => {
    clearTimeout(timer);
    out.stderr.write('\u001b[2K\r');
  };
}
