// A hook or the status line answers on stdout and exits at once: the answer must be written whole before the exit,
// and loading process.stdout's stream machinery would cost more than the answer.
import { writeSync } from 'node:fs';

/** Writes all of `text` to stdout synchronously. */
export function writeOut(text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buf.length) {
    try {
      offset += writeSync(1, buf, offset);
    } catch (err) {
      // A non-blocking stdout pipe that is momentarily full: try again; anything else means nobody is reading.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}
