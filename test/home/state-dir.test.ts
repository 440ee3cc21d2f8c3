// A state directory that cannot be written: the CLI still runs, logs to stderr and says in one line what is wrong
// and how to fix it; the hooks still exit 0 with valid output. Read-only is a read-only bind mount when root (root
// writes through permission bits), a chmod-555 folder otherwise; a full disk is a tiny tmpfs filled up (root only:
// CI runs as root).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { makeRepo } from '../helpers/git.js';
import {
  demoProject,
  hookEnv,
  postToolUseInput,
  preToolUseInput,
  ROOT,
  runHook,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  unmarked,
  type HookRun,
} from '../helpers/hooks.js';

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

/** Fills what is left of the file system under `home`, a block at a time, until it says no (into `home/filler`). */
function fillUp(home: string): void {
  mkdirSync(path.join(home, 'filler'));
  for (let n = 0; ; n++) {
    try {
      writeFileSync(path.join(home, 'filler', String(n)), Buffer.alloc(4096, 1));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      return;
    }
  }
}

/** A tmpfs of `size` mounted on a new temp folder, unmounted and removed after the test. */
function tinyDisk(prefix: string, size: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  cleanups.push(() => execFileSync('umount', [dir]));
  return dir;
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
  it('lets the CLI run and fail with one line naming the directory and the fix, logging nothing it cannot write', async () => {
    const { home, repo } = usedHome();
    makeReadOnly(home);

    // The log file is opened at the first line logged: doctor logs none, and says the problem on stdout instead.
    const doctor = cli(['doctor'], home, repo);
    expect(doctor.stderr).toBe('');
    expect(doctor.stdout).toMatch(/✗ state dir and cache .*cannot write the state directory/);
    expect(doctor.stdout).toContain('fix: make the directory writable or set TASKHOOKS_HOME');
    expect(doctor.stdout).not.toMatch(/EROFS|Error:/);

    const add = cli(['tasks', 'add', 'After the mount'], home, repo);
    expect(add.code).toBe(1);
    const lines = add.stderr.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('{'))).toEqual([
      expect.stringMatching(
        /^taskhooks: cannot write the state directory .* \(.*\); make the directory writable or set TASKHOOKS_HOME$/,
      ),
    ]);
    expect(add.stderr).not.toMatch(/SqliteError|at .*\.js:\d+/);

    await hooksStillAnswer(home, repo);
  }, 180_000);
});

describe('a state directory others may read (mode 755)', () => {
  it('is narrowed to its owner by the next command, and the steps after it still run', () => {
    const { home, repo } = usedHome();
    chmodSync(home, 0o755);
    const doctor = cli(['doctor'], home, repo);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(doctor.stdout).toMatch(/✓ state dir and cache /);
    expect(doctor.stdout).toMatch(/✓ pending tasks .*1 pending/);
  }, 120_000);
});

describe.runIf(isRoot)('a full disk under the state directory', () => {
  it('is one line with the fix, never a raw SQLite error', async () => {
    const repo = makeRepo({ name: 'demo', commits: ['initial'] });
    cleanups.push(repo.cleanup);
    const home = tinyDisk('th-full-', '2m');
    const added = cli(['tasks', 'add', 'Before the disk filled'], home, repo.dir);
    expect(added.code, added.stderr).toBe(0);
    fillUp(home);
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

// The hooks on a read-only state directory answer from what they can read: the cache as it was (copied into memory),
// or, when it cannot be read, the git context and one line saying why.
const SOURCE = 'http://127.0.0.1:9/mcp';

function statusLine(home: string, cwd: string): { code: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/hooks/status-line.js')], {
    input: JSON.stringify({ session_id: 'session-a', cwd, workspace: { current_dir: cwd } }),
    env: hookEnv(home, { COLUMNS: '200' }),
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout };
}

function context(run: HookRun, event: string): string {
  expect([event, run.code, run.signal]).toEqual([event, 0, null]);
  expect(run.output?.hookSpecificOutput.hookEventName).toBe(event);
  return unmarked(run.output?.hookSpecificOutput.additionalContext ?? '');
}

const prompt = (cwd: string) => ({
  session_id: 'session-a',
  transcript_path: '/dev/null',
  cwd,
  hook_event_name: 'UserPromptSubmit',
  prompt: 'go on',
});

/** What SessionStart tells session `id` in `repo`, run by `runner`. */
async function toldAtStart(home: string, repo: string, id: string, runner = runHookHere): Promise<string> {
  return context(await runner('session-start', sessionStartInput(repo, id), { home }), 'SessionStart');
}

/** Every other event still exits 0 with nothing or one valid answer. */
async function othersAnswer(home: string, repo: string): Promise<void> {
  const runs = {
    PostToolUse: await runHook('post-tool-use', postToolUseInput(repo, 'Bash', { command: 'ls' }, 'x'), { home }),
    SubagentStart: await runHook(
      'subagent-start',
      { session_id: 'session-a', cwd: repo, hook_event_name: 'SubagentStart', agent_type: 'general' },
      { home },
    ),
    SessionEnd: await runHook(
      'session-end',
      { session_id: 'session-a', cwd: repo, hook_event_name: 'SessionEnd' },
      {
        home,
      },
    ),
  };
  for (const [event, run] of Object.entries(runs)) {
    expect([event, run.code, run.signal]).toEqual([event, 0, null]);
    if (run.output) expect(run.output.hookSpecificOutput.hookEventName).toBe(event);
  }
}

describe.each([
  ['closed, its write-ahead log folded in', false],
  ['held open elsewhere, its write-ahead log beside it', true],
])('hooks on a read-only state directory whose cache was filled first (%s)', (_name, heldOpen) => {
  it('still tell the tasks at SessionStart, PreToolUse, UserPromptSubmit and in the status line', async () => {
    const p = demoProject({ config: { source: { servers: [SOURCE] } } });
    cleanups.push(p.cleanup);
    const { home } = p;
    const repo = p.repo.dir;
    const key = { sourceKey: SOURCE, project: 'demo', branch: 'main' };
    // A cache this process holds open is run against by hooks in processes of their own: SQLite's locks are a
    // process's, and a connection of the hook's here would share and drop the holder's.
    const run = heldOpen ? runHook : runHookHere;
    const parser = task('T-1', { status: 'in_progress', title: 'Refactor the parser' });
    seedSnapshot(home, { ...key, tasks: [parser, task('T-2', { title: 'Write the docs' })] });
    // The session's first prompt records what it knows; the outage is news after it.
    expect((await run('user-prompt-submit', prompt(repo), { home })).output).toBeNull();
    const outage = task('T-3', { priority: 'critical', title: 'Fix the outage' });
    seedSnapshot(home, { ...key, tasks: [parser, task('T-2', { title: 'Write the docs' }), outage] });
    if (heldOpen) {
      const holder = openCache({ home });
      holder.db.prepare('SELECT count(*) FROM task_snapshots').get();
      cleanups.push(() => holder.close());
      expect(existsSync(path.join(home, 'cache.db-shm'))).toBe(true);
    }
    makeReadOnly(home);

    const start = await toldAtStart(home, repo, 'session-a', run);
    expect(start).toContain('Refactor the parser');
    expect(start).toContain('Fix the outage');
    expect(start).toMatch(
      /tasks as last cached, not refreshed: cannot write the state directory .* \(.*\); make the directory writable or set TASKHOOKS_HOME/,
    );
    const edit = await run(
      'pre-tool-use',
      preToolUseInput(repo, 'Edit', { file_path: path.join(repo, 'a.ts') }, 'session-a'),
      { home },
    );
    expect(context(edit, 'PreToolUse')).toContain('Task in progress on branch main: T-1 "Refactor the parser"');
    expect(context(await run('user-prompt-submit', prompt(repo), { home }), 'UserPromptSubmit')).toContain(
      'Fix the outage',
    );
    const row = statusLine(home, repo);
    expect(row.code).toBe(0);
    expect(row.stdout).toMatch(/^T-1 Refactor the parser · 3 pending · /);
    await othersAnswer(home, repo);
  }, 180_000);
});

describe.runIf(isRoot)('hooks on a full state directory whose cache was filled first', () => {
  it('still tell the tasks at SessionStart and PreToolUse, and log one line when space returns', async () => {
    const p = demoProject({ config: { source: { servers: [SOURCE] } } });
    cleanups.push(p.cleanup);
    const repo = p.repo.dir;
    // The state directory on a tiny file system of its own, its config and cache as a session left them. The hooks run
    // in processes of their own: what one leaves open on the disk ends with it, as a session's does.
    const home = tinyDisk('th-full-hooks-', '3m');
    execFileSync('cp', ['-a', `${p.home}/.`, home]);
    const key = { sourceKey: SOURCE, project: 'demo', branch: 'main' };
    const parser = task('T-1', { status: 'in_progress', title: 'Refactor the parser' });
    seedSnapshot(home, { ...key, tasks: [parser, task('T-2', { title: 'Write the docs' })] });
    expect((await runHook('session-start', sessionStartInput(repo, 'session-a'), { home })).code).toBe(0);
    fillUp(home);

    const start = await toldAtStart(home, repo, 'session-b', runHook);
    expect(start).toContain('Refactor the parser');
    expect(start).toContain('Write the docs');
    expect(start).toMatch(/free some space or set TASKHOOKS_HOME to a directory with room/);
    const edit = await runHook(
      'pre-tool-use',
      preToolUseInput(repo, 'Edit', { file_path: path.join(repo, 'a.ts') }, 'session-a'),
      { home },
    );
    expect(context(edit, 'PreToolUse')).toContain('Task in progress on branch main: T-1 "Refactor the parser"');

    rmSync(path.join(home, 'filler'), { recursive: true });
    const log = path.join(home, 'logs', 'hooks.log');
    const returned = (): string[] =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l.includes('space returned'))
        : [];
    for (const id of ['session-c', 'session-d']) {
      const again = await toldAtStart(home, repo, id, runHook);
      expect(again).toContain('Refactor the parser');
      expect(again).not.toMatch(/free some space/);
    }
    expect(returned()).toHaveLength(1);
  }, 180_000);
});

describe('hooks on a read-only state directory with no cache in it', () => {
  it('tell the git context and one line saying the cache could not be read, why, and the fix', async () => {
    const p = demoProject({ config: { source: { servers: [SOURCE] } } });
    cleanups.push(p.cleanup);
    const { home } = p;
    const repo = p.repo.dir;
    makeReadOnly(home);

    const start = await toldAtStart(home, repo, 'session-a');
    expect(start).toContain('Git: branch main');
    expect(start).toMatch(
      /the cache could not be read \(there is no cache\.db yet\): cannot write the state directory .* \((read-only file system|permission denied)\); make the directory writable or set TASKHOOKS_HOME/,
    );
    const edit = await runHookHere(
      'pre-tool-use',
      preToolUseInput(repo, 'Edit', { file_path: path.join(repo, 'a.ts') }),
      { home },
    );
    // No task is known to remind of, and no guard is set: nothing to say.
    expect([edit.code, edit.signal, edit.stdout]).toEqual([0, null, '']);
    await othersAnswer(home, repo);
    expect(statusLine(home, repo)).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^tasks: the cache could not be read \(there is no cache\.db yet\): cannot write /),
    });
  }, 180_000);
});
