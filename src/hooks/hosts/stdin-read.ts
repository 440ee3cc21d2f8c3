// A hook's stdin read to its end, once per process: the entry file may read it to ask the monitor first
// (src/hooks/hosts/ask-monitor.ts) and then hand the run to the hook's bundle, a module graph of its own, which reads
// the same text from here.
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The largest hook input read, by the monitor and the node hook alike (hooks/socket-post.pl sends no more): well above
 * what a model writes in one call, and small enough that parsing one holds the monitor's thread at most ~50 ms
 * (JSON.parse, measured at 6 ms per MiB). PreToolUse refuses a larger one.
 */
export const MAX_HOOK_INPUT_BYTES = 8 * 1024 * 1024;

/** What stdin held: its text, unless it was over MAX_HOOK_INPUT_BYTES (`text` absent) or unreadable (`error`). */
export interface RawStdin {
  bytes: number;
  text?: string;
  error?: string;
}

/** Shared by every module graph of the process, so a second reader gets what the first took. */
const READ = Symbol.for('taskhooks.hook-stdin');
type Holder = { [READ]?: RawStdin };

/** Reads `fd` to its end into `chunks`; false as soon as more than MAX_HOOK_INPUT_BYTES came (the rest left unread). */
function readInto(fd: number, chunks: Buffer[], size: { bytes: number }): boolean {
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) return true;
    size.bytes += n;
    if (size.bytes > MAX_HOOK_INPUT_BYTES) return false;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
}

/** The input, or undefined past MAX_HOOK_INPUT_BYTES: a larger one is not read, let alone parsed. */
function readAll(size: { bytes: number }): string | undefined {
  const chunks: Buffer[] = [];
  let whole: boolean;
  try {
    whole = readInto(0, chunks, size);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    // A non-blocking pipe reports EAGAIN instead of blocking; the device file reads it blocking.
    const fd = openSync('/dev/stdin', 'r');
    try {
      whole = readInto(fd, chunks, size);
    } finally {
      closeSync(fd);
    }
  }
  return whole ? Buffer.concat(chunks).toString('utf8') : undefined;
}

function readNow(): RawStdin {
  const size = { bytes: 0 };
  try {
    const text = readAll(size);
    return text === undefined ? { bytes: size.bytes } : { bytes: size.bytes, text };
  } catch (err) {
    return { bytes: size.bytes, error: `stdin unreadable: ${(err as Error).message}` };
  }
}

/** This process's stdin, read on the first call; never throws. */
export function readStdinOnce(): RawStdin {
  const holder = globalThis as Holder;
  return (holder[READ] ??= readNow());
}
