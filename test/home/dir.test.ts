// The state directory made or found: it holds tokens, so it is its owner's alone however it came to be, as an agent's
// plugin data folder made under the agent's umask comes to be.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureHome } from '../../src/home/dir.js';
import { demoProject, runHook, sessionStartInput } from '../helpers/hooks.js';
import { NOBODY } from '../helpers/second-user.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function folder(mode: number): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'th-dir-'));
  cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
  const dir = path.join(parent, 'data');
  mkdirSync(dir);
  chmodSync(dir, mode);
  return dir;
}

const modeOf = (dir: string) => statSync(dir).mode & 0o777;

describe('ensureHome', () => {
  it('makes a missing state directory 0700', () => {
    const dir = path.join(folder(0o700), 'home');
    ensureHome(dir);
    expect(modeOf(dir)).toBe(0o700);
  });

  it('narrows one made by another program to its owner, keeping what the owner had', () => {
    const open = folder(0o777);
    ensureHome(open);
    expect(modeOf(open)).toBe(0o700);
    // Made read-only on purpose: it stays so, for others as for the owner.
    const readOnly = folder(0o555);
    ensureHome(readOnly);
    expect(modeOf(readOnly)).toBe(0o500);
  });

  it.runIf(process.getuid?.() === 0)("leaves another user's folder as it is: not this user's to narrow", () => {
    const theirs = folder(0o777);
    chownSync(theirs, NOBODY, NOBODY);
    ensureHome(theirs);
    expect(modeOf(theirs)).toBe(0o777);
  });

  it('is narrowed by the first SessionStart, before a monitor makes its sockets there', async () => {
    const { home, repo, cleanup } = demoProject();
    cleanups.push(cleanup);
    chmodSync(home, 0o777);
    const run = await runHook('session-start', sessionStartInput(repo.dir, 'narrowed'), { home });
    expect(run.code).toBe(0);
    expect(modeOf(home)).toBe(0o700);
  });
});
