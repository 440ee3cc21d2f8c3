// A state directory that cannot be written: the CLI still runs, logs to stderr and says in one line what is wrong
// and how to fix it; the hooks still exit 0 with valid output. Read-only is a read-only bind mount when root (root
// writes through permission bits), a chmod-555 folder otherwise; a full disk is a tiny tmpfs filled up (root only:
// CI runs as root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, preToolUseInput, ROOT, runHook, sessionStartInput } from '../helpers/hooks.js';

const isRoot = process.getuid?.() === 0;
const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function cli(args: string[], home: string, cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], {
    cwd,
    env: hookEnv(home, { NO_COLOR: '1' }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository and a state directory that has been used once (cache and task store made). */
function usedHome(): { home: string; repo: string } {
  const repo = makeRepo({ name: 'demo', commits: ['initial'] });
  cleanups.push(repo.cleanup);
  const home = mkdtempSync(path.join(os.tmpdir(), 'th-state-dir-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const added = cli(['tasks', 'add', 'Before the mount'], home, repo.dir);
  expect(added.code, added.stderr).toBe(0);
  return { home, repo: repo.dir };
}

function makeReadOnly(dir: string): void {
  if (isRoot) {
    execFileSync('mount', ['--bind', dir, dir]);
    cleanups.push(() => execFileSync('umount', [dir]));
    execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
  } else {
    chmodSync(dir, 0o555);
    cleanups.push(() => chmodSync(dir, 0o700));
  }
}

async function hooksStillAnswer(home: string, repo: string): Promise<void> {
  for (const [name, input] of [
    ['session-start', sessionStartInput(repo)],
    ['pre-tool-use', preToolUseInput(repo, 'Edit', { file_path: path.join(repo, 'a.ts') })],
  ] as const) {
    const run = await runHook(name, input, { home, cwd: repo });
    expect([name, run.code, run.signal]).toEqual([name, 0, null]);
    if (run.output) expect(run.output.hookSpecificOutput.hookEventName).toBe(input.hook_event_name);
  }
}

describe('a read-only state directory', () => {
  it('lets the CLI run, logging to stderr, with one line naming the file and the fix', async () => {
    const { home, repo } = usedHome();
    makeReadOnly(home);
    const log = path.join(home, 'logs', 'cli.log');
    const fallback = `cannot write ${log} (`;

    const doctor = cli(['doctor'], home, repo);
    expect(doctor.stderr).toContain(fallback);
    expect(doctor.stderr).toMatch(/logging to stderr; make the directory writable or set TASKHOOKS_HOME/);
    expect(doctor.stdout).toMatch(/✗ state dir and cache .*cannot write the state directory/);
    expect(doctor.stdout).toContain('fix: make the directory writable or set TASKHOOKS_HOME');
    expect(doctor.stdout).not.toMatch(/EROFS|Error:/);

    const add = cli(['tasks', 'add', 'After the mount'], home, repo);
    expect(add.code).toBe(1);
    const lines = add.stderr.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('{'))).toEqual([
      expect.stringContaining(fallback),
      expect.stringMatching(
        /^taskhooks: cannot write the state directory .* \(.*\); make the directory writable or set TASKHOOKS_HOME$/,
      ),
    ]);
    expect(add.stderr).not.toMatch(/SqliteError|at .*\.js:\d+/);

    await hooksStillAnswer(home, repo);
  }, 180_000);
});

describe('a state directory others may read (mode 755)', () => {
  it('is told to be chmod 700, not to be made writable, and the steps after it still run', () => {
    const { home, repo } = usedHome();
    chmodSync(home, 0o755);
    const doctor = cli(['doctor'], home, repo);
    expect(doctor.stdout).toMatch(/✗ state dir and cache .*readable by others \(mode 755\)/);
    expect(doctor.stdout).toContain(`fix: chmod 700 ${home}`);
    expect(doctor.stdout).not.toContain('writable');
    expect(doctor.stdout).toMatch(/✓ pending tasks .*1 pending/);
  }, 120_000);
});

describe.runIf(isRoot)('a full disk under the state directory', () => {
  it('is one line with the fix, never a raw SQLite error', async () => {
    const repo = makeRepo({ name: 'demo', commits: ['initial'] });
    cleanups.push(repo.cleanup);
    const home = mkdtempSync(path.join(os.tmpdir(), 'th-full-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', home]);
    cleanups.push(() => execFileSync('umount', [home]));
    const added = cli(['tasks', 'add', 'Before the disk filled'], home, repo.dir);
    expect(added.code, added.stderr).toBe(0);
    // Fill what is left, a block at a time, until the file system says no.
    mkdirSync(path.join(home, 'filler'));
    for (let n = 0; ; n++) {
      try {
        writeFileSync(path.join(home, 'filler', String(n)), Buffer.alloc(4096, 1));
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
        break;
      }
    }
    const add = cli(['tasks', 'add', 'x'.repeat(20_000)], home, repo.dir);
    expect(add.code).toBe(1);
    const said = add.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('{'));
    expect(said.at(-1)).toMatch(
      /^taskhooks: cannot write the state directory .* \((no space left on the device|the disk is full|disk I\/O error: the disk may be full)\); free some space or set TASKHOOKS_HOME to a directory with room$/,
    );
    expect(add.stderr).not.toMatch(/SqliteError|at .*\.js:\d+/);

    await hooksStillAnswer(home, repo.dir);
  }, 180_000);
});
