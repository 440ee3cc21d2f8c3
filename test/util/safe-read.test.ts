// The reader every repository and state-directory file goes through, and the repository refusal built on it: a FIFO,
// a device or an oversized file is refused in one line without being opened for a blocking read, and git is not run
// in a repository whose `.git` is one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findGitRoot, findRepo, gitRefusal, readHeadBranch } from '../../src/git/repo.js';
import { readRepoStamp } from '../../src/git/metadata.js';
import { safeGit, spawnGitRunner } from '../../src/git/safe.js';
import { simpleGitRunner } from '../../src/git/simple.js';
import {
  pathKind,
  readTextCapped,
  readTextIfPresent,
  RefusedFileError,
  refuseSpecialFile,
} from '../../src/util/safe-read.js';
import { makeRepo } from '../helpers/git.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-safe-read-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const mkfifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

describe('readTextCapped', () => {
  it('reads a regular file, and one reached through a symlink', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.json'), '{"a":1}');
    symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'link.json'));
    expect(readTextCapped(path.join(dir, 'a.json'), 100)).toBe('{"a":1}');
    expect(readTextCapped(path.join(dir, 'link.json'), 100)).toBe('{"a":1}');
    expect(readTextCapped(path.join(dir, 'a.json'), 7)).toBe('{"a":1}');
  });

  it.each([
    ['a FIFO', (f: string) => mkfifo(f), 'ENOTREG', /is a FIFO, not a regular file/],
    ['a link to /dev/zero', (f: string) => symlinkSync('/dev/zero', f), 'ENOTREG', /is a character device/],
    ['a link to /dev/urandom', (f: string) => symlinkSync('/dev/urandom', f), 'ENOTREG', /is a character device/],
    ['a folder', (f: string) => mkdirSync(f), 'EISDIR', /is a directory/],
    ['a file over the cap', (f: string) => writeFileSync(f, 'x'.repeat(101)), 'EFBIG', /101 bytes, over the 100-byte/],
  ])('refuses %s in one line, naming it', (_label, make, code, message) => {
    const file = path.join(tempDir(), 'hostile.json');
    make(file);
    let err: unknown;
    try {
      readTextCapped(file, 100);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RefusedFileError);
    expect((err as RefusedFileError).code).toBe(code);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).not.toContain('\n');
  });

  it('passes fs errors through: a missing file is ENOENT', () => {
    expect(() => readTextCapped(path.join(tempDir(), 'none'), 100)).toThrow(
      expect.objectContaining({ code: 'ENOENT' }),
    );
  });

  it('tells the kind of a path without opening it', () => {
    const dir = tempDir();
    mkfifo(path.join(dir, 'fifo'));
    expect(pathKind(path.join(dir, 'fifo'))).toBe('FIFO');
    expect(pathKind('/dev/zero')).toBe('character device');
    expect(pathKind(dir)).toBe('directory');
    expect(pathKind(path.join(dir, 'none', 'deeper'))).toBe('missing');
  });
});

describe('readTextIfPresent', () => {
  it('answers nothing for a missing file or folder, and refuses what readTextCapped refuses', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.json'), '{"a":1}');
    mkfifo(path.join(dir, 'fifo'));
    expect(readTextIfPresent(path.join(dir, 'a.json'), 100)).toBe('{"a":1}');
    expect(readTextIfPresent(path.join(dir, 'none'), 100)).toBeUndefined();
    expect(readTextIfPresent(path.join(dir, 'none', 'deeper'), 100)).toBeUndefined();
    expect(() => readTextIfPresent(path.join(dir, 'fifo'), 100)).toThrow(RefusedFileError);
    expect(() => readTextIfPresent(dir, 100)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
    expect(() => readTextIfPresent(path.join(dir, 'a.json'), 3)).toThrow(expect.objectContaining({ code: 'EFBIG' }));
  });
});

describe('refuseSpecialFile', () => {
  it('refuses a FIFO, a device or a link in the place of a file, and leaves a file, a folder or nothing there', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file'), '');
    mkfifo(path.join(dir, 'fifo'));
    symlinkSync(path.join(dir, 'file'), path.join(dir, 'link'));
    for (const name of ['file', 'none']) expect(() => refuseSpecialFile(path.join(dir, name))).not.toThrow();
    expect(() => refuseSpecialFile(dir)).not.toThrow();
    const refusal = (file: string, kind: string) =>
      expect.objectContaining({ file, code: 'ENOTREG', reason: `a ${kind}, not a regular file` });
    // Looked at, not followed: a link to a sound file is refused as a link.
    for (const [file, kind] of [
      [path.join(dir, 'fifo'), 'FIFO'],
      [path.join(dir, 'link'), 'symbolic link'],
      ['/dev/null', 'character device'],
    ] as const)
      expect(() => refuseSpecialFile(file)).toThrow(refusal(file, kind));
  });
});

describe('a repository whose .git is not a file or a folder', () => {
  it.each([
    ['a FIFO', (f: string) => mkfifo(f), 'FIFO'],
    ['a link to /dev/zero', (f: string) => symlinkSync('/dev/zero', f), 'character device'],
    ['a link to /dev/urandom', (f: string) => symlinkSync('/dev/urandom', f), 'character device'],
  ])('is refused when .git is %s, here or in a parent, and git is never run there', async (_label, make, kind) => {
    const root = tempDir();
    const sub = path.join(root, 'a', 'b');
    mkdirSync(sub, { recursive: true });
    make(path.join(root, '.git'));
    for (const cwd of [root, sub]) {
      expect(findRepo(cwd)).toEqual({ root, refused: expect.stringContaining(`.git is a ${kind}`) });
      expect(findGitRoot(cwd)).toBeUndefined();
      expect(gitRefusal(cwd)).toMatch(/the repository is ignored$/);
      expect(readHeadBranch(cwd)).toBeNull();
      expect(readRepoStamp(cwd)).toBeUndefined();
      for (const runner of [spawnGitRunner, simpleGitRunner]) {
        const r = await runner.run(cwd, safeGit(['status']));
        expect(r).toEqual({ ok: false, error: expect.stringMatching(/^git status not run: .*\.git is a /) });
      }
    }
  });

  it('refuses a repository whose HEAD or gitdir target is a FIFO, and leaves a sound one alone', async () => {
    const repo = makeRepo({ commits: ['one'] });
    cleanups.push(repo.cleanup);
    expect(gitRefusal(repo.dir)).toBeUndefined();
    expect(await spawnGitRunner.run(repo.dir, safeGit(['status']))).toMatchObject({ ok: true });

    const worktree = tempDir();
    const target = path.join(tempDir(), 'gitdir');
    mkfifo(target);
    writeFileSync(path.join(worktree, '.git'), `gitdir: ${target}\n`);
    expect(gitRefusal(worktree)).toBe(`${target} is a FIFO, not a directory: the repository is ignored`);

    const bare = tempDir();
    mkdirSync(path.join(bare, '.git'));
    mkfifo(path.join(bare, '.git', 'HEAD'));
    expect(gitRefusal(bare)).toMatch(/HEAD is a FIFO, not a file/);
    expect(readHeadBranch(bare)).toBeNull();
  });
});
