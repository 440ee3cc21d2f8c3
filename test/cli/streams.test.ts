// The CLI's stdout (src/cli/streams.ts): a pipe is written directly, so a command's process never loads the stream
// machinery; a pipe that fills hands the rest to process.stdout in order; a reader gone is the quiet end it was.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanEnv, cliPath, tempDir } from '../foundation/helpers.js';

const fsCalls = vi.hoisted(() => ({ writes: [] as string[], failAt: -1, code: 'EAGAIN', kind: 'fifo' }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  const fstatSync = (fd: number) =>
    fd === 1 ? { isFIFO: () => fsCalls.kind === 'fifo', isSocket: () => false, isFile: () => false } : fs.fstatSync(fd);
  // Takes at most 4 bytes a call, as a pipe near full does; the call numbered failAt fails with `code`.
  const writeSync = (fd: number, bytes: Uint8Array, offset = 0) => {
    if (fd !== 1) return fs.writeSync(fd, bytes, offset);
    if (fsCalls.writes.length === fsCalls.failAt) {
      fsCalls.failAt = -1;
      throw Object.assign(new Error(`write ${fsCalls.code}`), { code: fsCalls.code });
    }
    const part = Buffer.from(bytes.subarray(offset, offset + 4)).toString();
    fsCalls.writes.push(part);
    return part.length;
  };
  return { ...fs, default: { ...fs, fstatSync, writeSync }, fstatSync, writeSync };
});
const failed = vi.hoisted(() => [] as string[]);
vi.mock('../../src/cli/process-end.js', () => ({
  stdoutFailed: (err: NodeJS.ErrnoException) => failed.push(String(err.code)),
}));

const { commandStdout } = await import('../../src/cli/streams.js');

describe('written directly', () => {
  let streamed: string[];
  beforeEach(() => {
    Object.assign(fsCalls, { writes: [], failAt: -1, code: 'EAGAIN', kind: 'fifo' });
    failed.length = 0;
    streamed = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      streamed.push(Buffer.from(chunk).toString());
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes a pipe whole with writeSync and calls back, never through process.stdout', async () => {
    const { stdout, isTTY } = commandStdout();
    const called = new Promise<void>((resolve) => stdout.write('Added TASK-001\n', () => resolve()));
    await called;
    expect(isTTY).toBe(false);
    expect(fsCalls.writes.join('')).toBe('Added TASK-001\n');
    expect(streamed).toEqual([]);
  });

  it('hands a full pipe (EAGAIN) to process.stdout from where it stopped, and every later write after it', () => {
    fsCalls.failAt = 2;
    const { stdout } = commandStdout();
    stdout.write('first line\n');
    stdout.write('second\n');
    expect(fsCalls.writes.join('')).toBe('first li');
    expect(streamed).toEqual(['ne\n', 'second\n']);
    expect(failed).toEqual([]);
  });

  it('a reader gone (EPIPE) is told to the end handler, not thrown', () => {
    fsCalls.failAt = 0;
    fsCalls.code = 'EPIPE';
    const { stdout } = commandStdout();
    expect(stdout.write('lost\n')).toBe(true);
    expect(failed).toEqual(['EPIPE']);
    expect(streamed).toEqual([]);
  });

  it('leaves a terminal, or anything not a pipe or file, to process.stdout', () => {
    fsCalls.kind = 'other';
    const { stdout } = commandStdout();
    expect(stdout).toBe(process.stdout);
  });
});

describe('the built CLI through a pipe', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('prints what it added without loading node:net, which the stream process.stdout makes of a pipe needs', () => {
    const env = cleanEnv({ TASKHOOKS_HOME: path.join(tmp.dir, 'state') });
    const loaded = path.join(tmp.dir, 'loaded.json');
    const preload = path.join(tmp.dir, 'loaded.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));`,
    );
    spawnSync('git', ['init', '-q'], { cwd: tmp.dir, env });
    // The project's first write asks git who it is, through pipes of its own: the second shows a command's own.
    spawnSync(process.execPath, [cliPath, 'tasks', 'add', 'First task'], { cwd: tmp.dir, env });
    const r = spawnSync(process.execPath, ['-r', preload, cliPath, 'tasks', 'add', 'Piped task'], {
      cwd: tmp.dir,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Added TASK-002 .*: Piped task\n$/);
    const modules = JSON.parse(readFileSync(loaded, 'utf8')) as string[];
    expect(modules).not.toContain('NativeModule net');
  });
});
