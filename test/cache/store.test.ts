// The shared SQLite store: key/value TTLs, stats, migrations, corruption recovery, file modes and every table.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { migrate } from '../../src/sqlite/index.js';
import { MIGRATIONS } from '../../src/cache/migrations.js';
import { cacheStats, cleanupExpired, clearAll, kvDelete, kvGet, kvSet } from '../../src/cache/kv.js';
import {
  patchSnapshotTasks,
  readSnapshot,
  readSnapshotBrief,
  recordSnapshotError,
  writeSnapshot,
  type TaskSnapshot,
} from '../../src/cache/snapshots.js';
import { readGitState, writeGitState } from '../../src/cache/git-state.js';
import type { GitState } from '../../src/git/state.js';
import { deleteToken, readToken, writeToken } from '../../src/cache/tokens.js';
import { readInjection, writeInjection } from '../../src/cache/told.js';
import { dropStaleProjects, listProjects, recordRefresh, registerProject } from '../../src/cache/projects.js';
import { addAlert, takeUnshownAlerts } from '../../src/cache/alerts.js';
import { listBreakers, readBreaker, writeBreaker } from '../../src/cache/breakers.js';
import { listMetrics, recordCall } from '../../src/cache/metrics.js';
import { metricsOf, snapshotCount } from '../helpers/cache.js';
import { ensureHome } from '../../src/home/dir.js';
import { createFileLogger } from '../../src/log/index.js';
import type { Task } from '../../src/tasks/task.js';
import { modeOf, readLogs, tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let home: string;
let cache: Cache | undefined;

beforeEach(() => {
  tmp = tempDir();
  home = path.join(tmp.dir, 'state');
  ensureHome(home);
});
afterEach(() => {
  cache?.close();
  cache = undefined;
  tmp.remove();
});

const open = (): Cache => (cache = openCache({ home }));
const T0 = 1_700_000_000_000;

const task = (id: string, over: Partial<Task> = {}): Task => ({
  id,
  title: `Task ${id}`,
  description: 'desc',
  status: 'todo',
  priority: 'high',
  assignees: [],
  labels: ['x'],
  dependencies: [],
  ...over,
});

describe('key/value entries with a TTL', () => {
  it('set, get, overwrite, delete and clear custom keys holding any JSON value', () => {
    const s = open();
    kvSet(s, 'a', { nested: [1, 'two', null] });
    kvSet(s, 'b', 'text');
    kvSet(s, 'c', 42);
    expect(kvGet(s, 'a')).toEqual({ nested: [1, 'two', null] });
    expect(kvGet(s, 'b')).toBe('text');
    kvSet(s, 'b', false);
    expect(kvGet(s, 'b')).toBe(false);
    expect(kvGet(s, 'missing')).toBeUndefined();
    expect(kvDelete(s, 'a')).toBe(true);
    expect(kvDelete(s, 'a')).toBe(false);
    expect(kvGet(s, 'a')).toBeUndefined();
    expect(cacheStats(s).entries).toBe(2);
  });

  it('expires entries at their TTL (injected clock), and a new set revives them', () => {
    const s = open();
    kvSet(s, 'k', 'v', 60, T0);
    expect(kvGet(s, 'k', T0)).toBe('v');
    expect(kvGet(s, 'k', T0 + 59_999)).toBe('v');
    expect(kvGet(s, 'k', T0 + 60_000)).toBeUndefined();
    kvSet(s, 'k', 'v2', 60, T0 + 60_000);
    expect(kvGet(s, 'k', T0 + 60_001)).toBe('v2');
    kvSet(s, 'forever', 1, undefined, T0);
    expect(kvGet(s, 'forever', T0 + 10 * 365 * 86_400_000)).toBe(1);
  });

  it('stats count valid and expired entries and the bytes on disk; cleanupExpired returns how many went', () => {
    const s = open();
    for (let i = 0; i < 5; i++) kvSet(s, `short-${i}`, i, 10, T0);
    for (let i = 0; i < 3; i++) kvSet(s, `long-${i}`, i, 1000, T0);
    kvSet(s, 'forever', 'x', undefined, T0);
    expect(cacheStats(s, T0)).toMatchObject({ entries: 9, valid: 9, expired: 0 });
    const later = T0 + 11_000;
    const st = cacheStats(s, later);
    expect(st).toMatchObject({ entries: 9, valid: 4, expired: 5 });
    expect(st.bytes).toBeGreaterThan(4096);
    expect(cleanupExpired(s, later)).toBe(5);
    expect(cleanupExpired(s, later)).toBe(0);
    expect(cacheStats(s, later)).toMatchObject({ entries: 4, valid: 4, expired: 0 });
    expect(cleanupExpired(s, T0 + 2_000_000)).toBe(3);
    expect(kvGet(s, 'forever', T0 + 2_000_000)).toBe('x');
  });

  it('clearAll empties every cache table but keeps registered projects', () => {
    const s = open();
    kvSet(s, 'k', 1);
    s.write(() => writeSnapshot(s, snapshot()));
    writeToken(s, { issuer: 'i', clientId: 'c', accessToken: 'a', tokenType: 'Bearer', expiresAt: T0 });
    writeInjection(s, 'sess', 'k', 'v');
    recordCall(s, 'srv', 5, null);
    registerProject(s, { root: '/p', name: 'p', sourceKey: 'sk', registeredBy: 'test' });
    clearAll(s);
    expect(cacheStats(s).entries).toBe(0);
    expect(snapshotCount(s)).toBe(0);
    expect(readToken(s, 'i', 'c')).toBeUndefined();
    expect(readInjection(s, 'sess', 'k')).toBeUndefined();
    expect(listMetrics(s)).toEqual([]);
    expect(listProjects(s)).toHaveLength(1);
  });
});

function snapshot(over: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    sourceKey: 'http://127.0.0.1:8000/mcp',
    project: 'proj',
    branch: 'main',
    fetchedAt: T0,
    source: 'http://127.0.0.1:8001/mcp',
    tasks: [task('T-1'), task('T-2', { status: 'in_progress', branch: 'b-1', createdAt: '2024-01-01' })],
    next: task('T-2'),
    ...over,
  };
}

describe('tables round-trip', () => {
  it('snapshots: per source, project and branch; a failed refresh keeps the tasks and the next write clears the error', () => {
    const s = open();
    s.write(() => {
      writeSnapshot(s, snapshot());
      writeSnapshot(s, snapshot({ branch: 'dev', tasks: [], next: null, note: 'branch not registered' }));
    });
    expect(readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual(
      snapshot(),
    );
    expect(readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'dev' })?.note).toBe(
      'branch not registered',
    );
    expect(readSnapshot(s, { sourceKey: 'other', project: 'proj', branch: 'main' })).toBeUndefined();
    s.write(() =>
      recordSnapshotError(
        s,
        { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' },
        'connection refused',
        T0 + 5,
      ),
    );
    const failed = readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' });
    expect(failed).toMatchObject({ lastError: 'connection refused', lastErrorAt: T0 + 5, tasks: snapshot().tasks });
    s.write(() => writeSnapshot(s, snapshot({ fetchedAt: T0 + 10 })));
    expect(
      readSnapshot(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })?.lastError,
    ).toBeUndefined();
    expect(snapshotCount(s, 'http://127.0.0.1:8000/mcp')).toBe(2);
    s.write(() => recordSnapshotError(s, { sourceKey: 'new', project: 'p', branch: '' }, 'timeout', T0));
    expect(readSnapshot(s, { sourceKey: 'new', project: 'p', branch: '' })).toMatchObject({
      tasks: [],
      next: null,
      fetchedAt: 0,
      lastError: 'timeout',
    });
  });

  it('snapshot briefs: the task in progress and the next task, as the full snapshot gives them, also for older rows', () => {
    const s = open();
    const urgent = task('T-3', { status: 'in_progress', priority: 'critical' });
    s.write(() => writeSnapshot(s, snapshot({ tasks: [...snapshot().tasks, urgent], next: null })));
    // In progress, most urgent first; with no next from the server, the first pending task in reading order.
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
      inProgress: urgent,
      next: urgent,
    });
    s.write(() => writeSnapshot(s, snapshot()));
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
      inProgress: snapshot().tasks[1],
      next: snapshot().next,
    });
    // A row from before schema version 3 has no brief: it is derived from the tasks.
    s.db.prepare('UPDATE task_snapshots SET brief = NULL').run();
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
      inProgress: snapshot().tasks[1],
      next: snapshot().next,
    });
    s.write(() => writeSnapshot(s, snapshot({ tasks: [], next: null })));
    expect(readSnapshotBrief(s, { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' })).toEqual({
      fetchedAt: T0,
      stale: false,
    });
    expect(readSnapshotBrief(s, { sourceKey: 'none', project: 'proj', branch: 'main' })).toBeUndefined();
  });

  it('snapshot patches: a status change, a closed or deleted task, in one write with the brief; unknown ids mark it stale', () => {
    const s = open();
    const key = { sourceKey: 'http://127.0.0.1:8000/mcp', project: 'proj', branch: 'main' };
    const brief = () => readSnapshotBrief(s, key);
    s.write(() =>
      writeSnapshot(
        s,
        snapshot({ tasks: [task('T-1'), task('T-2', { status: 'in_progress' }), task('T-3')], next: task('T-3') }),
      ),
    );

    // T-1 starts (with the new title the answer gave), T-2 is done: the brief names T-1 in progress.
    expect(
      patchSnapshotTasks(
        s,
        key,
        [
          { id: 'T-1', status: 'in_progress', title: 'Renamed' },
          { id: 'T-2', status: 'done' },
        ],
        T0 + 1,
      ),
    ).toEqual({
      patched: ['T-1', 'T-2'],
      unknown: [],
    });
    const after = readSnapshot(s, key);
    expect(after?.tasks.map((t) => [t.id, t.status, t.title])).toEqual([
      ['T-1', 'in_progress', 'Renamed'],
      ['T-3', 'todo', 'Task T-3'],
    ]);
    expect(after?.fetchedAt).toBe(T0);
    expect(after?.staleSince).toBeUndefined();
    expect(brief()).toMatchObject({ stale: false, inProgress: { id: 'T-1', title: 'Renamed' }, next: { id: 'T-3' } });

    // The server's next task deleted: the brief falls back to the most urgent pending task.
    expect(patchSnapshotTasks(s, key, [{ id: 'T-3', removed: true }], T0 + 2)).toEqual({
      patched: ['T-3'],
      unknown: [],
    });
    expect(readSnapshot(s, key)?.next).toBeNull();
    expect(brief()?.next?.id).toBe('T-1');

    // An id it does not hold: what changed is unknown, so the snapshot is marked stale; known ids are still applied.
    expect(
      patchSnapshotTasks(
        s,
        key,
        [
          { id: 'T-9', status: 'todo' },
          { id: 'T-1', status: 'review', priority: 'low' },
        ],
        T0 + 3,
      ),
    ).toEqual({
      patched: ['T-1'],
      unknown: ['T-9'],
    });
    expect(readSnapshot(s, key)).toMatchObject({
      staleSince: T0 + 3,
      tasks: [{ id: 'T-1', status: 'review', priority: 'low' }],
    });

    // Nothing fetched yet (an error-only row or none at all): nothing to patch, and a row there is marked stale.
    const other = { ...key, branch: 'dev' };
    s.write(() => recordSnapshotError(s, other, 'timeout', T0));
    expect(patchSnapshotTasks(s, other, [{ id: 'T-1', status: 'done' }], T0 + 4)).toEqual({
      patched: [],
      unknown: ['T-1'],
    });
    expect(readSnapshot(s, other)).toMatchObject({ tasks: [], staleSince: T0 + 4 });
    expect(patchSnapshotTasks(s, { ...key, project: 'none' }, [{ id: 'T-1', status: 'done' }])).toEqual({
      patched: [],
      unknown: ['T-1'],
    });
    expect(readSnapshot(s, { sourceKey: key.sourceKey, project: 'none', branch: 'main' })).toBeUndefined();
  });

  it('git state per repository', () => {
    const s = open();
    const state: GitState = {
      repo: '/r',
      branch: 'main',
      detached: false,
      upstream: 'origin/main',
      ahead: 1,
      behind: 2,
      staged: 3,
      modified: 4,
      untracked: 5,
      conflicted: 0,
      commits: [{ hash: 'abc1234', subject: 'Fix it', committedAt: T0 - 7_200_000 }],
    };
    s.write(() => writeGitState(s, state, T0));
    expect(readGitState(s, '/r')).toEqual({ state, fetchedAt: T0 });
    expect(readGitState(s, '/other')).toBeUndefined();
  });

  it('OAuth tokens per issuer and client', () => {
    const s = open();
    writeToken(s, {
      issuer: 'http://idp',
      clientId: 'c1',
      accessToken: 'at-1',
      tokenType: 'Bearer',
      expiresAt: T0,
      scope: 'tasks',
    });
    writeToken(s, { issuer: 'http://idp', clientId: 'c2', accessToken: 'at-2', tokenType: 'Bearer', expiresAt: T0 });
    writeToken(s, {
      issuer: 'http://idp',
      clientId: 'c1',
      accessToken: 'at-3',
      tokenType: 'Bearer',
      expiresAt: T0 + 1,
    });
    expect(readToken(s, 'http://idp', 'c1')).toEqual({
      issuer: 'http://idp',
      clientId: 'c1',
      accessToken: 'at-3',
      tokenType: 'Bearer',
      expiresAt: T0 + 1,
    });
    expect(readToken(s, 'http://idp', 'c2')?.accessToken).toBe('at-2');
    deleteToken(s, 'http://idp', 'c2');
    expect(readToken(s, 'http://idp', 'c2')).toBeUndefined();
  });

  it('session injections: the last value per session and key', () => {
    const s = open();
    writeInjection(s, 's1', 'reminder', 'T-1', T0);
    writeInjection(s, 's2', 'reminder', 'T-2', T0 + 10_000);
    writeInjection(s, 's1', 'reminder', 'T-3', T0);
    expect(readInjection(s, 's1', 'reminder')).toBe('T-3');
    expect(readInjection(s, 's2', 'reminder')).toBe('T-2');
  });

  it('projects: register, refresh outcome, drop stale', () => {
    const s = open();
    registerProject(s, { root: '/a', name: 'a', sourceKey: 'k', registeredBy: 'install' }, T0);
    registerProject(s, { root: '/b', name: 'b', sourceKey: 'k', registeredBy: 'session-start' }, T0 + 20 * 86_400_000);
    s.write(() => recordRefresh(s, '/b', 'error', 'timeout', T0 + 1));
    expect(listProjects(s)).toEqual([
      { root: '/a', name: 'a', sourceKey: 'k', lastSeen: T0, registeredBy: 'install' },
      {
        root: '/b',
        name: 'b',
        sourceKey: 'k',
        lastSeen: T0 + 20 * 86_400_000,
        registeredBy: 'session-start',
        lastRefreshAt: T0 + 1,
        lastOutcome: 'error',
        lastError: 'timeout',
      },
    ]);
    expect(dropStaleProjects(s, 14, T0 + 20 * 86_400_000)).toEqual(['/a']);
    expect(listProjects(s).map((p) => p.root)).toEqual(['/b']);
  });

  it('registerProject says when the monitor is not following the project yet under this name and source', () => {
    const s = open();
    const p = { root: '/a', name: 'a', sourceKey: 'k', registeredBy: 'session-start' };
    expect(registerProject(s, p, T0)).toBe(true);
    expect(registerProject(s, p, T0 + 1)).toBe(false);
    expect(registerProject(s, { ...p, sourceKey: 'other' }, T0 + 2)).toBe(true);
    expect(registerProject(s, { ...p, sourceKey: 'other', name: 'renamed' }, T0 + 3)).toBe(true);
    expect(listProjects(s)).toEqual([
      { root: '/a', name: 'renamed', sourceKey: 'other', lastSeen: T0 + 3, registeredBy: 'session-start' },
    ]);
  });

  it('alerts are recorded once and shown once', () => {
    const s = open();
    const a = {
      sourceKey: 'k',
      project: 'p',
      kind: 'new_priority_task' as const,
      taskId: 'T-9',
      message: 'urgent task T-9',
    };
    expect(s.write(() => addAlert(s, a, T0))).toBe(true);
    expect(s.write(() => addAlert(s, a, T0))).toBe(false);
    expect(s.write(() => addAlert(s, { ...a, taskId: 'T-10' }, T0))).toBe(true);
    const shown = takeUnshownAlerts(s, 'k', 'p', T0 + 1);
    expect(shown.map((x) => x.taskId)).toEqual(['T-9', 'T-10']);
    expect(shown[0]).toMatchObject({ message: 'urgent task T-9', createdAt: T0, kind: 'new_priority_task' });
    expect(takeUnshownAlerts(s, 'k', 'p', T0 + 2)).toEqual([]);
  });

  it('breakers: closed by default, shared state round-trips', () => {
    const s = open();
    expect(readBreaker(s, 'http://a/mcp')).toEqual({ server: 'http://a/mcp', state: 'closed', failures: 0 });
    s.write(() =>
      writeBreaker(s, {
        server: 'http://a/mcp',
        state: 'open',
        failures: 3,
        openedAt: T0,
        lastError: 'refused',
        lastErrorAt: T0,
      }),
    );
    s.write(() => writeBreaker(s, { server: 'http://b/mcp', state: 'half_open', failures: 1 }));
    expect(readBreaker(s, 'http://a/mcp')).toEqual({
      server: 'http://a/mcp',
      state: 'open',
      failures: 3,
      openedAt: T0,
      lastError: 'refused',
      lastErrorAt: T0,
    });
    expect(listBreakers(s).map((b) => b.state)).toEqual(['open', 'half_open']);
  });

  it('metrics: calls, failures, mean and p95 latency', () => {
    const s = open();
    for (let i = 1; i <= 20; i++) recordCall(s, 'srv', i * 10, null, T0 + i);
    recordCall(s, 'srv', 1000, 'timeout', T0 + 100);
    const m = metricsOf(s, 'srv');
    expect(m).toMatchObject({
      server: 'srv',
      calls: 21,
      failures: 1,
      lastError: 'timeout',
      lastErrorAt: T0 + 100,
      lastSuccessAt: T0 + 20,
    });
    expect(m?.meanMs).toBeCloseTo((2100 + 1000) / 21);
    expect(m?.p95Ms).toBe(200);
    expect(metricsOf(s, 'none')).toBeUndefined();
    expect(listMetrics(s).map((x) => x.server)).toEqual(['srv']);
  });
});

describe('migrations', () => {
  const versions = (file: string): number[] => {
    const db = new Database(file, { readonly: true });
    try {
      return (
        db.prepare('SELECT version FROM schema_version ORDER BY version').all() as Array<{ version: number }>
      ).map((r) => r.version);
    } finally {
      db.close();
    }
  };

  it('an empty file becomes a current database', () => {
    writeFileSync(path.join(home, 'cache.db'), '');
    const s = open();
    kvSet(s, 'k', 'v');
    expect(kvGet(s, 'k')).toBe('v');
    s.close();
    expect(versions(path.join(home, 'cache.db'))).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
  });

  it('a version-1 file is migrated forward and keeps its data', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(1);
    const file = path.join(home, 'cache.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 1));
    old
      .prepare('INSERT INTO kv (key, value, expires_at, updated_at) VALUES (?, ?, NULL, ?)')
      .run('kept', JSON.stringify({ v: 1 }), T0);
    old
      .prepare(
        'INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task, note) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)',
      )
      .run('k', 'p', 'main', T0, 'k', JSON.stringify([task('T-1')]));
    old.close();
    expect(versions(file)).toEqual([1]);
    const s = open();
    expect(versions(file)).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
    expect(kvGet(s, 'kept')).toEqual({ v: 1 });
    expect(readSnapshot(s, { sourceKey: 'k', project: 'p', branch: 'main' })).toMatchObject({
      tasks: [task('T-1')],
      fetchedAt: T0,
    });
    expect(readSnapshot(s, { sourceKey: 'k', project: 'p', branch: 'main' })?.lastError).toBeUndefined();
    s.write(() => writeBreaker(s, { server: 'x', state: 'open', failures: 1 }));
    expect(readBreaker(s, 'x').state).toBe('open');
  });

  it('MIGRATIONS[0] alone gives the version-1 tables the test above starts from', () => {
    const db = new Database(':memory:');
    MIGRATIONS[0]?.(db);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
    ).map((r) => r.name);
    expect(tables).toEqual(['git_state', 'kv', 'oauth_tokens', 'session_injections', 'task_snapshots']);
    db.close();
  });

  it('reopening a current database changes nothing', () => {
    const s = open();
    kvSet(s, 'k', 'v');
    s.close();
    const again = open();
    expect(kvGet(again, 'k')).toBe('v');
    again.close();
    expect(versions(path.join(home, 'cache.db'))).toHaveLength(MIGRATIONS.length);
  });
});

describe('corruption recovery', () => {
  function openWithLog(): Cache {
    const { logger, flush } = createFileLogger({ home, file: 'hooks.log', sync: true, level: 'info' });
    const s = openCache({ home, log: logger });
    flush();
    return (cache = s);
  }

  function asideFiles(): string[] {
    return readdirSync(home).filter(
      (f) => f.startsWith('cache.db.corrupt-') && !f.endsWith('-wal') && !f.endsWith('-shm'),
    );
  }

  it('garbage bytes: moved aside intact, a fresh store works, the event is logged', () => {
    const garbage = Buffer.from('this is not a database, just bytes '.repeat(200));
    writeFileSync(path.join(home, 'cache.db'), garbage);
    const s = openWithLog();
    kvSet(s, 'k', 'v');
    expect(kvGet(s, 'k')).toBe('v');
    const aside = asideFiles();
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(home, aside[0] as string)).equals(garbage)).toBe(true);
    const log = readLogs(home);
    expect(log).toContain('cache database was corrupt or unreadable');
    expect(log).toContain(aside[0]);
  });

  it('a truncated real database: moved aside intact, a fresh store works, the event is logged', () => {
    const file = path.join(home, 'cache.db');
    const s0 = open();
    s0.write(() => {
      for (let i = 0; i < 300; i++) kvSet(s0, `key-${i}`, 'x'.repeat(200));
    });
    s0.db.pragma('wal_checkpoint(TRUNCATE)');
    s0.close();
    cache = undefined;
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 3));
    const truncated = readFileSync(file);
    const s = openWithLog();
    kvSet(s, 'after', 1);
    expect(kvGet(s, 'after')).toBe(1);
    expect(kvGet(s, 'key-1')).toBeUndefined();
    const aside = asideFiles();
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(home, aside[0] as string)).equals(truncated)).toBe(true);
    expect(readLogs(home)).toContain('moved aside and recreated');
  });
});

describe('opening where nothing is ready', () => {
  it('creates a missing state dir 0700 instead of failing', () => {
    const missing = path.join(tmp.dir, 'not', 'yet');
    const s = (cache = openCache({ home: missing }));
    kvSet(s, 'k', 'v');
    expect(kvGet(s, 'k')).toBe('v');
    expect(modeOf(missing)).toBe(0o700);
  });

  it('moves aside a directory sitting where cache.db belongs (unreadable), keeping its contents', () => {
    mkdirSync(path.join(home, 'cache.db'));
    writeFileSync(path.join(home, 'cache.db', 'inside.txt'), 'kept');
    const { logger, flush } = createFileLogger({ home, file: 'cli.log', sync: true });
    const s = (cache = openCache({ home, log: logger }));
    flush();
    kvSet(s, 'k', 'v');
    expect(kvGet(s, 'k')).toBe('v');
    const aside = readdirSync(home).find((f) => f.startsWith('cache.db.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(path.join(home, aside as string, 'inside.txt'), 'utf8')).toBe('kept');
    expect(readLogs(home)).toContain('SQLITE_CANTOPEN');
  });
});

describe('file modes', () => {
  it('state dir 0700, cache.db and its -wal/-shm 0600, log files 0600', () => {
    const nested = path.join(tmp.dir, 'fresh', 'state');
    ensureHome(nested);
    expect(modeOf(nested)).toBe(0o700);
    const s = openCache({ home: nested });
    cache = s;
    kvSet(s, 'k', 'v');
    for (const f of ['cache.db', 'cache.db-wal', 'cache.db-shm']) {
      const p = path.join(nested, f);
      expect(existsSync(p), f).toBe(true);
      expect(modeOf(p), f).toBe(0o600);
    }
    const { logger, file, flush } = createFileLogger({ home: nested, file: 'cli.log', sync: true });
    logger.info('hello');
    flush();
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(path.dirname(file))).toBe(0o700);
  });

  it('a pre-existing world-readable cache.db is tightened to 0600 on open', () => {
    const file = path.join(home, 'cache.db');
    mkdirSync(home, { recursive: true });
    const db = new Database(file);
    db.close();
    chmodSync(file, 0o644);
    open();
    expect(modeOf(file)).toBe(0o600);
  });
});
