// An upgrade that takes: a monitor of another build (a copy of dist/ with another build id, in another folder) serving
// the state directory is replaced by this build's `monitor start`, `install` and SessionStart's fallback, each saying
// so; and no command migrates tasks.db or cache.db under it.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/sqlite/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepoFor } from './fixtures.js';
import { built as builtAs, gone, perTest, waitFor, type MonitorHome } from './helpers.js';
import { schemaVersionOf } from '../helpers/cache.js';
import { hookEnv, ROOT, runHook, sessionStartInput } from '../helpers/hooks.js';

const t = perTest();
const OTHER_ID = 'ffffffffffff';
const built = builtAs();

/** Every .js file under `dir`. */
function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Another build of this version in a folder of its own: this dist/ with its build id changed, the same modules. Made
 * once for the file: each test runs it for a home of its own, and no monitor writes into its code.
 */
let otherRoot: string | undefined;
afterAll(() => {
  if (otherRoot) rmSync(otherRoot, { recursive: true, force: true });
});
function otherBuild(): string {
  if (otherRoot) return otherRoot;
  const root = mkdtempSync(path.join(os.tmpdir(), 'th-other-build-'));
  otherRoot = root;
  cpSync(path.join(ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'taskhooks', version: built.version }));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  for (const file of scripts(path.join(root, 'dist'))) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(built.buildId)) writeFileSync(file, text.replaceAll(built.buildId, OTHER_ID));
  }
  return root;
}

/** `taskhooks …` of the code in `root` for `m`'s home, with monitors allowed to start (as a person's shell has). */
function cliOf(root: string, m: MonitorHome, args: string[], cwd = m.home) {
  const env = { ...hookEnv(m.home), TASKHOOKS_NO_AUTOSTART: '0' };
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], {
    env,
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const pid = m.info()?.pid;
  if (pid) m.pids.add(pid);
  return r;
}

/** The other build's monitor, started and running for `m`'s home. */
function startOther(m: MonitorHome): { root: string; pid: number } {
  const root = otherBuild();
  const start = cliOf(root, m, ['monitor', 'start']);
  expect(start.status, start.stderr).toBe(0);
  const info = m.info();
  expect(info).toMatchObject({ buildId: OTHER_ID, codeRoot: root });
  return { root, pid: info?.pid ?? 0 };
}

type Step = { name: string; ok: boolean; detail: string };

const replacedLine = (pid: number) =>
  `replaced the monitor of another build (pid ${pid}, taskhooks ${built.version} (build ${OTHER_ID}`;

describe('a monitor of another build', () => {
  it('is named by monitor.json, and `monitor start` replaces it, saying so in one line', () => {
    const m = t.home({});
    const other = startOther(m);
    const start = cliOf(ROOT, m, ['monitor', 'start']);
    expect(start.status, start.stderr).toBe(0);
    const lines = start.stdout.split('\n');
    const said = lines.filter((l) => l.startsWith('replaced the monitor'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(replacedLine(other.pid));
    expect(said[0]).toMatch(new RegExp(`from ${other.root}\\) with this build's\\.$`));
    const info = m.info();
    expect(info).toMatchObject({ version: built.version, buildId: built.buildId, codeRoot: ROOT });
    expect(info?.pid).not.toBe(other.pid);
    expect(gone(other.pid)).toBe(true);
    // The same build again is left alone, as before; doctor names it and passes its monitor step.
    expect(cliOf(ROOT, m, ['monitor', 'start']).status).toBe(1);
    const doctor = JSON.parse(cliOf(ROOT, m, ['doctor', '--json']).stdout) as { steps: Step[] };
    expect(doctor.steps.find((s) => s.name === 'monitor')).toMatchObject({
      ok: true,
      detail: expect.stringContaining(`(pid ${info?.pid}, taskhooks ${built.version} (build ${built.buildId}`),
    });
  });

  it('is replaced by `install`, whose hooks then reach this build’s monitor with their token', async () => {
    const m = t.home({});
    const repo = makeRepoFor('shop');
    t.undo(repo.cleanup);
    const other = startOther(m);
    const install = cliOf(ROOT, m, ['install', '--dir', repo.dir], repo.dir);
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout.split('\n').filter((l) => l.includes('replaced the monitor'))).toEqual([
      expect.stringContaining(replacedLine(other.pid)),
    ]);
    expect(m.info()).toMatchObject({ buildId: built.buildId, codeRoot: ROOT });
    expect(gone(other.pid)).toBe(true);
    const settings = JSON.parse(readFileSync(path.join(repo.dir, '.claude', 'settings.local.json'), 'utf8')) as {
      hooks: Record<string, Array<{ hooks: Array<{ type: string; url?: string; headers?: Record<string, string> }> }>>;
    };
    const hook = settings.hooks.PreToolUse?.flatMap((e) => e.hooks).find((h) => h.type === 'http');
    expect(hook?.url).toContain(`127.0.0.1:${m.info()?.hookPort}/`);
    expect(hook?.headers?.['X-Taskhooks-Token']).toMatch(/^\$TASKHOOKS_HOOK_TOKEN_[0-9A-F]{8}$/);
    const answer = await fetch(hook?.url ?? '', {
      method: 'POST',
      // The header names the token's variable; Claude Code sends the value the person's settings give it.
      headers: {
        'content-type': 'application/json',
        'X-Taskhooks-Token': readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim(),
      },
      body: JSON.stringify({
        ...sessionStartInput(repo.dir),
        hook_event_name: 'PreToolUse',
        tool_name: 'Read',
        tool_input: {},
      }),
    });
    expect(answer.status).toBe(200);
  });

  it("is replaced by a SessionStart hook's fallback of this build", async () => {
    const m = t.home({});
    const repo = makeRepoFor('shop');
    t.undo(repo.cleanup);
    const other = startOther(m);
    const run = await runHook('session-start', sessionStartInput(repo.dir), {
      home: m.home,
      cwd: repo.dir,
      env: { TASKHOOKS_NO_AUTOSTART: '0', TASKHOOKS_LOG_LEVEL: 'debug' },
    });
    expect(run.code).toBe(0);
    const info = await waitFor('this build’s monitor', () => {
      const i = m.info();
      return i?.buildId === built.buildId ? i : undefined;
    });
    m.pids.add(info.pid);
    expect(gone(other.pid)).toBe(true);
    const log = readFileSync(path.join(m.home, 'logs', 'hooks.log'), 'utf8');
    expect(log).toContain('the monitor runs another build: replacing it with this one');
    expect(log).toContain(`"build":"${built.buildId}"`);
  });
});

/** Takes `file` one schema version back, as a file an earlier build wrote would be. */
function oneVersionBack(file: string): number {
  const db = openDatabase(file);
  try {
    const { v } = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number };
    db.prepare('DELETE FROM schema_version WHERE version = ?').run(v);
    return v;
  } finally {
    db.close();
  }
}

function putBack(file: string, version: number): void {
  const db = openDatabase(file);
  db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(version, Date.now());
  db.close();
}

describe('no migration under a monitor of another build', () => {
  it('`tasks add` and doctor refuse, naming the monitor and `taskhooks monitor start`, and migrate nothing', () => {
    const m = t.home({});
    expect(cliOf(ROOT, m, ['tasks', 'add', 'First']).status).toBe(0);
    const other = startOther(m);
    const tasksDb = path.join(m.home, 'tasks.db');
    const cacheDb = path.join(m.home, 'cache.db');
    const tasksAt = oneVersionBack(tasksDb);
    const add = cliOf(ROOT, m, ['tasks', 'add', 'Second']);
    expect(add.status).not.toBe(0);
    expect(add.stderr).toContain(`tasks.db is at schema ${tasksAt - 1} and this build moves it to ${tasksAt}`);
    expect(add.stderr).toContain(
      `a monitor of another build holds it (pid ${other.pid}, taskhooks ${built.version} (build ${OTHER_ID}`,
    );
    expect(add.stderr).toContain('Run `taskhooks monitor start`');
    expect(schemaVersionOf(tasksDb)).toBe(tasksAt - 1);
    const backups = path.join(m.home, 'backups');
    expect(existsSync(backups) ? readdirSync(backups).filter((f) => f.includes('migration')) : []).toEqual([]);
    putBack(tasksDb, tasksAt);

    const cacheAt = oneVersionBack(cacheDb);
    const doctor = cliOf(ROOT, m, ['doctor', '--json']);
    const report = JSON.parse(doctor.stdout) as {
      ok: boolean;
      steps: Array<{ name: string; ok: boolean; detail: string }>;
    };
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.name === 'monitor')).toMatchObject({
      ok: false,
      detail: expect.stringContaining(`(pid ${other.pid}, taskhooks ${built.version} (build ${OTHER_ID}`),
    });
    expect(JSON.stringify(report.steps)).toContain(
      `cache.db is at schema ${cacheAt - 1} and this build moves it to ${cacheAt}`,
    );
    expect(schemaVersionOf(cacheDb)).toBe(cacheAt - 1);
    putBack(cacheDb, cacheAt);

    expect(cliOf(ROOT, m, ['monitor', 'start']).status).toBe(0);
    expect(cliOf(ROOT, m, ['tasks', 'add', 'Second']).stdout).toContain('Added TASK-002 (every branch): Second');
  });
});
