// Real repositories whose git files are not what git expects: a branch ref that is a link to /dev/zero (git would read
// it until it holds gigabytes), a FIFO (git would wait on it for ever), a ref or HEAD larger than any ref is. Each is
// refused before git runs, by both runners, in one line that names the file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitRefusal } from '../../src/git/repo.js';
import { safeGit, spawnGitRunner } from '../../src/git/safe.js';
import { simpleGitRunner } from '../../src/git/simple.js';
import { collectGitState } from '../../src/git/state.js';
import { silentLogger } from '../helpers/cache.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

type Make = (file: string) => void;
const HOSTILE: Array<[string, Make, RegExp]> = [
  ['a link to /dev/zero', (f) => symlinkSync('/dev/zero', f), /is a character device, not a file/],
  ['a FIFO', (f) => execFileSync('mkfifo', [f]), /is a FIFO, not a file/],
  ['a 100 KB file', (f) => writeFileSync(f, 'x'.repeat(100 * 1024)), /is 102400 bytes, over the 65536-byte limit/],
];

/** A repository on main whose `rel` (inside .git) is replaced by `make`'s kind of file. */
function hostile(rel: string, make: Make): { dir: string; file: string } {
  const repo = makeRepo({ name: 'widgets' });
  repos.push(repo);
  const file = path.join(repo.dir, '.git', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  make(file);
  return { dir: repo.dir, file };
}

describe.each(HOSTILE)('a ref that is %s', (_label, make, reason) => {
  it.each(['refs/heads/main', 'refs/heads/other', 'refs/heads/team/feature', 'refs/remotes/origin/main', 'HEAD'])(
    'at .git/%s: refused before git runs, naming it',
    (rel) => {
      const { dir, file } = hostile(rel, make);
      const refused = gitRefusal(dir);
      expect(refused).toContain(file);
      expect(refused).toMatch(reason);
      expect(refused?.split('\n')).toHaveLength(1);
    },
  );

  it('neither runner spawns git there, and the git state is none, said in the log', async () => {
    const { dir, file } = hostile('refs/heads/main', make);
    for (const runner of [spawnGitRunner, simpleGitRunner]) {
      const result = await runner.run(dir, safeGit(['status', '--porcelain=v2']));
      expect(result).toMatchObject({ ok: false });
      expect(result.ok ? '' : result.error).toContain(file);
    }
    const warned: unknown[] = [];
    const log = { ...silentLogger(), warn: (o: unknown) => void warned.push(o) } as ReturnType<typeof silentLogger>;
    expect(await collectGitState(dir, log, simpleGitRunner)).toBeNull();
    expect(JSON.stringify(warned)).toContain(file);
  });
});

describe('the runners bound what git may print', () => {
  it('a git whose output passes the cap is stopped and said so', async () => {
    const repo = makeRepo({ name: 'widgets', commits: ['one'] });
    repos.push(repo);
    // 3 MiB of one file's content through `git show`, over a cap of 1 MiB.
    repo.commit('big', 'big.txt', 'y'.repeat(3 * 1024 * 1024));
    for (const runner of [spawnGitRunner, simpleGitRunner]) {
      const result = await runner.run(
        repo.dir,
        safeGit(['show', 'HEAD:big.txt'], { maxOutputBytes: 1024 * 1024 }),
        20_000,
      );
      expect(result).toMatchObject({ ok: false });
      expect(result.ok ? '' : result.error).toMatch(/printed more than 1 MiB/);
    }
  });
});
