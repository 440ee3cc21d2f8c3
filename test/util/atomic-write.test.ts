// An atomic write's rename over a file a reader holds open: Windows refuses it until the reader closes the file, which
// a hook reading monitor.json does within milliseconds; elsewhere a refusal is a real one.
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AtomicWriteIo, writeFileAtomic } from '../../src/util/atomic-write.js';

let dir: string | undefined;
const platform = process.platform;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  Object.defineProperty(process, 'platform', { value: platform });
});
/** This process taken for one on `os` until the test ends. */
const on = (os: NodeJS.Platform) => Object.defineProperty(process, 'platform', { value: os });

/** The real calls, with the first `refusals` renames refused as Windows refuses one over an open file. */
function heldOpen(refusals: number): { io: AtomicWriteIo; renames: () => number } {
  let renames = 0;
  const io: AtomicWriteIo = {
    ...fs,
    renameSync: (from, to) => {
      renames++;
      if (renames <= refusals)
        throw Object.assign(new Error(`EPERM: operation not permitted, rename '${from}' -> '${to}'`), {
          code: 'EPERM',
        });
      fs.renameSync(from, to);
    },
  };
  return { io, renames: () => renames };
}

const target = (): string => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'th-atomic-'));
  const file = path.join(dir, 'monitor.json');
  fs.writeFileSync(file, '{"old":true}');
  return file;
};

describe('writeFileAtomic', () => {
  it('on Windows, tries the rename again while a reader holds the file, and writes it whole', () => {
    const file = target();
    const { io, renames } = heldOpen(3);
    on('win32');
    writeFileAtomic(file, '{"new":true}', 0o600, io);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"new":true}');
    expect(renames()).toBe(4);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['monitor.json']);
  });

  it('on Windows, gives up after about a second and a quarter, the old file kept and no temp file left', () => {
    const file = target();
    const { io, renames } = heldOpen(Number.POSITIVE_INFINITY);
    on('win32');
    expect(() => writeFileAtomic(file, '{"new":true}', 0o600, io)).toThrow(/EPERM/);
    expect(renames()).toBe(9);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"old":true}');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['monitor.json']);
  });

  it('elsewhere, takes a refused rename as the failure it is, at once', () => {
    const file = target();
    const { io, renames } = heldOpen(1);
    on('linux');
    expect(() => writeFileAtomic(file, '{"new":true}', 0o600, io)).toThrow(/EPERM/);
    expect(renames()).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"old":true}');
  });
});
