// A hook or the status line answers on stdout and exits at once: the answer must be written whole before the exit,
// and loading process.stdout's stream machinery would cost more than the answer.
import { writeSync } from 'node:fs';

/**
 * Writes `bytes` to stdout synchronously until all are out, or until a write fails: then how many went out, and why
 * the rest did not.
 */
export function writeOutUntilFailed(bytes: Uint8Array): { written: number; err: NodeJS.ErrnoException } | undefined {
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (err) {
    return { written, err: err as NodeJS.ErrnoException };
  }
  return undefined;
}

/** Writes all of `text` to stdout synchronously. */
export function writeOut(text: string): void {
  let rest: Uint8Array = Buffer.from(text, 'utf8');
  for (let failed = writeOutUntilFailed(rest); failed; failed = writeOutUntilFailed(rest)) {
    // A non-blocking stdout pipe that is momentarily full: try again; anything else means nobody is reading.
    if (failed.err.code !== 'EAGAIN') return;
    rest = rest.subarray(failed.written);
  }
}
