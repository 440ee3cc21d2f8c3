// The lock each rewrite of a file holds, in the state directory: one whose process died never holds a run, and one a
// live process holds is refused in one line naming the file and the fix. The user's files install changes, and the
// state directory's own records (trust, the folders install made), are rewritten only under theirs. Each test has a
// world of its own and runs the built CLI, so the waits of the refused runs pass side by side.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockOf } from '../../src/files/write-lock.js';
import { describeRun, runBuiltCli, type CliRun } from '../helpers/cli.js';
import { makeWorld, type World } from './cli.js';

/** `file`'s lock in `w`'s state directory, taken as process `pid` would hold it. */
function hold(w: World, file: string, pid: number): string {
  const lock = lockOf(path.join(w.thHome, 'file-locks'), file);
  mkdirSync(path.dirname(lock), { recursive: true });
  writeFileSync(lock, String(pid));
  return lock;
}

/** Runs `fn` in a world of its own, removed afterwards. */
async function inWorld(fn: (w: World, run: (args: string[]) => Promise<CliRun>) => Promise<void>): Promise<void> {
  const w = makeWorld();
  try {
    await fn(w, (args) => runBuiltCli(args, { cwd: w.project, env: w.env }));
  } finally {
    w.cleanup();
  }
}

/** The run was refused, in one line, for `file`'s lock held by this process. */
function expectRefused(r: CliRun, file: string, lock: string): void {
  expect(r.code, describeRun(r)).toBe(1);
  expect(r.stderr.split('\n').filter(Boolean)).toEqual([
    expect.stringContaining(
      `${file} is being written by another taskhooks process (pid ${process.pid}): run again once it has finished, or delete ${lock} if none is running`,
    ),
  ]);
}

const settings = (w: World) => path.join(w.home, '.claude', 'settings.json');

describe.concurrent('the lock of a file taskhooks rewrites', () => {
  it('left by a process that died does not hold an install', () =>
    inWorld(async (w, run) => {
      const lock = hold(w, settings(w), spawnSync(process.execPath, ['-e', '']).pid as number);
      const r = await run(['install', '--agent', 'claude', '--scope', 'user']);
      expect(r.code, describeRun(r)).toBe(0);
      expect(JSON.parse(readFileSync(settings(w), 'utf8'))).toHaveProperty('hooks.SessionStart');
      expect(existsSync(lock)).toBe(false);
    }));

  it(
    'held by a live process refuses an install in one line, changing nothing',
    () =>
      inWorld(async (w, run) => {
        const lock = hold(w, settings(w), process.pid);
        const before = w.snapshot();
        expectRefused(await run(['install', '--agent', 'claude', '--scope', 'user']), settings(w), lock);
        expect(w.snapshot()).toEqual(before);
        expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
      }),
    60_000,
  );

  it(
    'trust: trusted.json is rewritten only under its lock',
    () =>
      inWorld(async (w, run) => {
        w.write('.claude/taskhooks.json', '{"project":"shop"}\n');
        const trusted = path.join(w.thHome, 'trusted.json');
        const lock = hold(w, trusted, process.pid);
        expectRefused(await run(['trust']), trusted, lock);
        expect(existsSync(trusted)).toBe(false);
      }),
    60_000,
  );

  it(
    'install: the record of the folders it made is rewritten only under its lock',
    () =>
      inWorld(async (w, run) => {
        const record = path.join(w.thHome, 'install-folders.json');
        const lock = hold(w, record, process.pid);
        expectRefused(await run(['install', '--agent', 'codex']), record, lock);
        expect(existsSync(record)).toBe(false);
      }),
    60_000,
  );
});
