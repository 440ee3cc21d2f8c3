// The CLI's standard output. A pipe, a socket or a file is written with writeSync, so a command that prints a few
// lines never makes process.stdout: for a pipe that stream loads node:net, some 7 ms a run, as much as `tasks add`
// spends writing its store. A terminal, and anything else stdout may be, goes through process.stdout as before.
import { fstatSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { stdoutFailed } from './process-end.js';

export interface CommandStdout {
  stdout: Writable;
  isTTY: boolean;
}

/** Whether fd 1 is a pipe, a socket or a file: never a terminal, and written whole by writeSync. */
function writtenDirectly(): boolean {
  try {
    const s = fstatSync(1);
    return s.isFIFO() || s.isSocket() || s.isFile();
  } catch {
    return false; // no fd 1 at all: process.stdout knows what to make of that
  }
}

/**
 * This process's stdout for a command. Written directly, a full non-blocking pipe (EAGAIN) hands the rest of the
 * output to process.stdout, which waits for the reader; every later write follows it there, so nothing is reordered.
 */
export function commandStdout(): CommandStdout {
  if (!writtenDirectly()) return { stdout: process.stdout, isTTY: Boolean(process.stdout.isTTY) };
  let handedOver = false;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const done = rest.find((r): r is () => void => typeof r === 'function');
    if (handedOver) return process.stdout.write(chunk as string, done);
    const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Uint8Array);
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(1, bytes, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') {
        stdoutFailed(err as NodeJS.ErrnoException);
        return true;
      }
      handedOver = true;
      return process.stdout.write(bytes.subarray(offset), done);
    }
    if (done) process.nextTick(done);
    return true;
  };
  // Everything but write is process.stdout's own, made when first asked for (end, events, columns).
  const stdout = new Proxy(Object.create(null) as Writable, {
    get(_target, key) {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(process.stdout, key);
      return typeof value === 'function' ? value.bind(process.stdout) : value;
    },
    has: (_target, key) => Reflect.has(process.stdout, key),
  });
  return { stdout, isTTY: false };
}
