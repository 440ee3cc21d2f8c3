// A real monitor answering hooks while tasks.db's write-ahead log is large and folded (by `taskhooks tasks add`, by
// the monitor's own worker), and while another process holds cache.db's write lock: every hook is answered, by its guard.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/sqlite/index.js';
import { describe, expect, it } from 'vitest';
import { homeFiles } from '../../src/home/files.js';
import { unfoldedWalFrames, WAL_FOLD_BYTES } from '../../src/sqlite/wal.js';
import { hookEnv, preToolUseInput } from '../helpers/hooks.js';
import { makeRepoFor } from './fixtures.js';
import { CLI, perTest, waitFor } from './helpers.js';

const t = perTest();
/** Large enough that its fold takes a while on a slow disk, small enough to write in a few seconds on two cores. */
const WAL_MB = 96;

/** A monitor over the built-in store following a repository whose guard refuses edits under secrets/. */
// The monitor looks at its logs once a minute; these tests cannot wait that long for it.
process.env.TASKHOOKS_FOLD_LOOK_MS = '500';

function startMonitor() {
  const repo = makeRepoFor('fold');
  t.undo(repo.cleanup);
  const m = t.home({ hooks: { guards: { protectedPaths: ['secrets/**'] } } });
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  expect(m.cli(['tasks', 'add', 'Seed'], repo.dir).code).toBe(0);
  const info = m.info();
  if (!info) throw new Error('no monitor.json after monitor start');
  const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
  let n = 0;
  /** One PreToolUse on a protected file, with Claude Code's 5 s timeout: its answer, or what went wrong. */
  const post = async (): Promise<string> => {
    const input = preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'secrets/key') }, `s-${n++}`);
    try {
      const res = await fetch(`http://127.0.0.1:${info.hookPort}/hooks/pre-tool-use`, {
        method: 'POST',
        body: JSON.stringify(input),
        headers: { 'x-taskhooks-token': token },
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { hookSpecificOutput?: { permissionDecision?: string } };
      return `${res.status} ${body.hookSpecificOutput?.permissionDecision ?? 'nothing'}`;
    } catch (err) {
      const cause = (err as Error & { cause?: { code?: string } }).cause?.code;
      return `failed: ${(err as Error).message}${cause ? ` (${cause})` : ''}`;
    }
  };
  /** Posts from four callers until `done` settles; every answer, in order. */
  const postUntil = async (done: Promise<unknown>): Promise<string[]> => {
    let over = false;
    void done.finally(() => (over = true));
    const answers: string[] = [];
    const caller = async () => {
      while (!over) answers.push(await post());
    };
    await Promise.all([caller(), caller(), caller(), caller(), done]);
    return answers;
  };
  return { m, repo, postUntil };
}

/**
 * A log of WAL_MB in tasks.db, written in one transaction that no commit folds. The connection is closed (the
 * monitor's stays open, so closing folds nothing): this process then holds no lock on tasks.db that reading its -shm
 * (unfoldedWalFrames) could drop.
 */
function largeLog(home: string): void {
  const db = openDatabase(homeFiles(home).tasks);
  try {
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE IF NOT EXISTS filler (b BLOB)');
    const insert = db.prepare('INSERT INTO filler (b) VALUES (randomblob(1048576))');
    db.transaction(() => {
      for (let i = 0; i < WAL_MB; i++) insert.run();
    })();
  } finally {
    db.close();
  }
}

describe('a large write-ahead log of tasks.db', () => {
  it('folded by tasks add while hooks are posted: every hook is answered by its guard, and the log ends folded', async () => {
    const { m, repo, postUntil } = startMonitor();
    largeLog(m.home);
    const tasks = homeFiles(m.home).tasks;
    expect(statSync(`${tasks}-wal`).size).toBeGreaterThan(WAL_MB * 1024 * 1024);
    const added = new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'tasks', 'add', 'Folded'], {
        cwd: repo.dir,
        env: hookEnv(m.home),
        stdio: 'ignore',
      });
      child.once('exit', resolve);
    });
    const answers = await postUntil(added);
    expect(await added).toBe(0);
    expect(answers.length).toBeGreaterThan(0);
    expect(new Set(answers)).toEqual(new Set(['200 deny']));
    // Folded by the command, or by the monitor's folding process where the two met (neither waits for the other). A
    // write after a full fold starts the log over, cut to WAL_FOLD_BYTES: a few frames there are no large log left.
    const folded = () => unfoldedWalFrames(tasks) === 0 || statSync(`${tasks}-wal`).size <= WAL_FOLD_BYTES;
    await waitFor('the log folded', folded, 30_000);
    expect(m.cli(['tasks', 'list'], repo.dir).stdout).toContain('Folded');
  });

  it("left by another process is folded by the monitor's folding process, while hooks are answered", async () => {
    const { m, postUntil } = startMonitor();
    largeLog(m.home);
    const tasks = homeFiles(m.home).tasks;
    const folded = waitFor('the monitor to fold the log', () => unfoldedWalFrames(tasks) === 0, 40_000);
    const answers = await postUntil(folded);
    expect(new Set(answers)).toEqual(new Set(['200 deny']));
  });
});

describe("cache.db's write lock held by another process", () => {
  it("past the monitor's short wait: a hook is answered by its guard all the same", async () => {
    const { m, postUntil } = startMonitor();
    const holder = openDatabase(homeFiles(m.home).cache);
    t.undo(() => holder.close());
    holder.exec('BEGIN IMMEDIATE');
    const logFile = path.join(homeFiles(m.home).logs, 'monitor.log');
    const locked = (): boolean => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('database is locked');
    // Posted until the monitor has given up waiting for the lock (and logged it), not for a fixed while.
    const answers = await postUntil(waitFor('the monitor to meet the held lock', locked));
    holder.exec('ROLLBACK');
    expect(answers.length).toBeGreaterThan(0);
    expect(new Set(answers)).toEqual(new Set(['200 deny']));
    expect(locked()).toBe(true);
  });
});
