// The CLI's stdout and stderr, made only when used. A pipe, a socket or a file on stdout is written with writeSync,
// so a command that prints a few lines never makes process.stdout: for a pipe that stream loads node:net, some 7 ms a
// run, as much as `tasks add` spends writing its store. A terminal, and anything else stdout may be, goes through
// process.stdout as before; stderr is made at its first use, which most runs never reach.
import { fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { writeOutUntilFailed } from '../util/write-out.js';
import { stdoutFailed } from './process-end.js';

export interface CommandStdout {
  stdout: Writable;
  isTTY: boolean;
}

/**
 * process[name], made at its first use, with `own` in place of its methods of those names: everything else (end,
 * events, columns) is the stream's own.
 */
export function streamWhenUsed(name: 'stdout' | 'stderr', own: Partial<Pick<Writable, 'write'>> = {}): Writable {
  const stream = (): Writable => process[name];
  return new Proxy(Object.create(null) as Writable, {
    get(_target, key) {
      if (Object.hasOwn(own, key)) return own[key as keyof typeof own];
      const value: unknown = Reflect.get(stream(), key);
      return typeof value === 'function' ? value.bind(stream()) : value;
    },
    set: (_target, key, value) => Reflect.set(stream(), key, value),
    has: (_target, key) => Reflect.has(stream(), key),
  });
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
    const failed = writeOutUntilFailed(bytes);
    if (failed?.err.code === 'EAGAIN') {
      handedOver = true;
      return process.stdout.write(bytes.subarray(failed.written), done);
    }
    if (failed) stdoutFailed(failed.err);
    else if (done) process.nextTick(done);
    return true;
  };
  return { stdout: streamWhenUsed('stdout', { write: write as Writable['write'] }), isTTY: false };
}
