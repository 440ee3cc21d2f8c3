// The task store keeps people's work: checked backups, a damaged store restored from the newest good one (and said
// so), never an empty store in its place, a store replaced under a live connection picked up, exports that round-trip
// exactly. Real files in a temp home; the processes are in store-recovery.test.ts.
import { mkdirSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/sqlite/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamagedStoreError } from '../../src/errors/damaged-store.js';
import { takeNotices } from '../../src/home/notices.js';
import {
  listBackups,
  openTaskDb,
  pruneBackups,
  readRecovery,
  restoreStore,
  type TaskDb,
} from '../../src/store/index.js';
import { openStoreFile } from '../../src/store/tasks-db/recover.js';
import { TASK_DB_MIGRATIONS } from '../../src/store/schema.js';
import { parseExport } from '../../src/store/transfer-schema.js';
import { modeOf, tempDir } from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let home: string;
let tasksFile: string;
let backups: string;
const open: TaskDb[] = [];

beforeEach(() => {
  tmp = tempDir('th-durable-');
  home = tmp.dir;
  tasksFile = path.join(home, 'tasks.db');
  backups = path.join(home, 'backups');
});

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  tmp.remove();
});

function store(): TaskDb {
  const db = openTaskDb(tasksFile, { home });
  open.push(db);
  return db;
}

/** A store with `n` tasks in project "demo" on branch "main", closed again. */
function seed(n: number, first = 0): void {
  const db = openTaskDb(tasksFile, { home });
  const project = db.ensureProject('demo');
  const branch = db.ensureBranch(project.id, 'main');
  db.createTasks(
    Array.from({ length: n }, (_, i) => ({
      projectId: project.id,
      gitBranchId: branch.id,
      title: `task ${first + i}`,
      labels: ['x'],
    })),
  );
  db.close();
}

async function backupNow(): Promise<string> {
  const db = openTaskDb(tasksFile, { home });
  try {
    return (await db.backup(backups, 'manual')).file;
  } finally {
    db.close();
  }
}

const titles = (db: TaskDb): string[] => db.listTasks({ limit: 1000, sortBy: 'created_at' }).tasks.map((t) => t.title);

/** The main files moved aside with `label`. */
function aside(label: string): string[] {
  return readdirSync(home).filter((f) => f.startsWith(`tasks.db.${label}-`) && !/-(wal|shm)$/.test(f));
}

describe('backups', () => {
  it('a backup is a single checked file, 0600 in a 0700 folder, named by time and reason', async () => {
    seed(3);
    const file = await backupNow();
    expect(path.basename(file)).toMatch(/^tasks-\d{8}T\d{6}\.\d{3}Z-manual\.db$/);
    expect(readdirSync(backups)).toEqual([path.basename(file)]);
    expect(modeOf(backups)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    const copy = openDatabase(file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect((copy.prepare('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n).toBe(3);
    copy.close();
    expect(listBackups(backups)).toMatchObject([{ file, reason: 'manual', bytes: statSync(file).size }]);
  });

  it('pruning keeps at most `keep`, drops those past the age limit, never the newest', () => {
    const day = 86_400_000;
    const now = Date.parse('2026-06-30T12:00:00Z');
    const names = [0, 1, 2, 40, 50].map(
      (d) => `tasks-${new Date(now - d * day).toISOString().replace(/[-:]/g, '')}-scheduled.db`,
    );
    for (const n of names) writeFileSync(path.join(home, n), 'x');
    const dir = home;
    expect(pruneBackups(dir, { keep: 2, maxAgeDays: 30 }, { now }).sort()).toEqual(names.slice(2).sort());
    expect(listBackups(dir).map((b) => b.name)).toEqual(names.slice(0, 2));
    // Only one left, older than the limit: it stays.
    for (const n of names.slice(0, 1)) unlinkSync(path.join(dir, n));
    expect(pruneBackups(dir, { keep: 2, maxAgeDays: 30 }, { now: now + 400 * day })).toEqual([]);
    expect(listBackups(dir).map((b) => b.name)).toEqual([names[1]]);
  });

  it('a migration of an existing store is preceded by a checked backup of it as it was', () => {
    // A store as the first release left it: only the first migration applied.
    const { db: old } = openStoreFile(tasksFile, TASK_DB_MIGRATIONS.slice(0, 1), { home });
    old.prepare("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p', 'demo', 'then', 'then')").run();
    old.close();
    store();
    const [b] = listBackups(backups);
    expect(b?.reason).toBe('migration');
    const copy = openDatabase(b?.file ?? '', { readonly: true });
    expect(copy.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 1 });
    expect(copy.prepare('SELECT name FROM projects').all()).toEqual([{ name: 'demo' }]);
    copy.close();
    // A new file has nothing to keep.
    openTaskDb(path.join(home, 'other', 'tasks.db'), { home }).close();
    expect(listBackups(backups)).toHaveLength(1);
  });

  it('a store outside the state directory is copied next to itself before a migration', () => {
    const elsewhere = path.join(home, 'team', 'tasks.db');
    openStoreFile(elsewhere, TASK_DB_MIGRATIONS.slice(0, 1), {}).db.close();
    openTaskDb(elsewhere).close();
    const [copy] = readdirSync(path.dirname(elsewhere)).filter((f) =>
      /^tasks\.db\.before-migration-\d{8}T\d{6}Z$/.test(f),
    );
    expect(copy).toBeDefined();
    const old = openDatabase(path.join(path.dirname(elsewhere), copy ?? ''), { readonly: true });
    expect(old.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 1 });
    old.close();
  });

  it('the generation moves on with every write that changed something, and only then', () => {
    const db = store();
    const g0 = db.generation();
    const p = db.ensureProject('demo');
    expect(db.generation()).toBe(g0 + 1);
    db.ensureProject('demo');
    expect(db.generation()).toBe(g0 + 1);
    db.createTasks([
      { projectId: p.id, title: 'a' },
      { projectId: p.id, title: 'b' },
    ]);
    expect(db.generation()).toBe(g0 + 2);
  });
});

describe('a damaged store at open', () => {
  const damages: Array<[string, () => void, RegExp]> = [
    [
      'an overwritten header',
      () => writeFileSync(tasksFile, Buffer.alloc(4096, 0x41), { flag: 'r+' }),
      /file is not a database/,
    ],
    [
      'a truncated file',
      () => truncateSync(tasksFile, Math.floor(statSync(tasksFile).size / 2)),
      /malformed|quick_check|not a database/,
    ],
  ];
  for (const [what, damage, problem] of damages) {
    it(`${what}: moved aside with its files, the newest good backup restored, and said once`, async () => {
      seed(5);
      await backupNow();
      seed(20, 5);
      const newest = await backupNow();
      seed(1, 25); // after the newest backup: may be lost
      damage();
      const db = store();
      expect(titles(db)).toEqual(Array.from({ length: 25 }, (_, i) => `task ${i}`));
      expect(db.recovered).toMatchObject({ file: tasksFile, backup: newest });
      expect(db.recovered?.problem).toMatch(problem);
      const [moved] = aside('damaged');
      expect(moved).toBeDefined();
      expect(db.recovered?.movedTo).toBe(path.join(home, moved ?? ''));
      expect(readRecovery(home)).toEqual(db.recovered);
      const [session] = takeNotices(home, 'session');
      const opening = `Task store restored: ${tasksFile} was damaged (`;
      expect(session?.slice(0, opening.length)).toBe(opening);
      expect(session).toContain(
        `(${path.basename(newest)}); changes made after that backup may be missing. The damaged store is kept as ${db.recovered?.movedTo}.`,
      );
      expect(takeNotices(home, 'session')).toEqual([]);
      expect(takeNotices(home, 'cli')).toEqual([session]);
      expect(modeOf(tasksFile)).toBe(0o600);
    });
  }

  it('a write-ahead log deleted after a crash: the loss is noticed, not silently accepted', async () => {
    seed(3);
    await backupNow();
    // The files as a writer killed after committing leaves them: its changes in the log, counted in the -shm.
    const writer = openDatabase(tasksFile);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("UPDATE tasks SET title = 'changed'").run();
    const crashed = { main: readFileSync(tasksFile), shm: readFileSync(`${tasksFile}-shm`) };
    expect(statSync(`${tasksFile}-wal`).size).toBeGreaterThan(0);
    writer.close();
    writeFileSync(tasksFile, crashed.main);
    writeFileSync(`${tasksFile}-shm`, crashed.shm);
    // Someone deleted the -wal: SQLite alone would open the file as of before the update and say nothing.
    const db = store();
    expect(db.recovered?.problem).toMatch(
      /^its write-ahead log \(tasks\.db-wal\) was deleted while it held \d+ committed page\(s\)$/,
    );
    expect(titles(db)).toEqual(['task 0', 'task 1', 'task 2']);
    expect(aside('damaged')).toHaveLength(1);
    // The -shm went with it: what it counted is evidence, and the restored store needs none.
    expect(readFileSync(`${db.recovered?.movedTo}-shm`).equals(crashed.shm)).toBe(true);
  });

  it('no good backup: refused with the fix, the damaged file left where it is, never an empty store', () => {
    seed(2);
    writeFileSync(tasksFile, Buffer.alloc(4096, 0x41), { flag: 'r+' });
    const damaged = readFileSync(tasksFile);
    const refusal = (): DamagedStoreError => {
      try {
        store();
      } catch (err) {
        return err as DamagedStoreError;
      }
      throw new Error('expected a refusal');
    };
    const none = refusal();
    expect(none).toBeInstanceOf(DamagedStoreError);
    expect(none.message).toBe(`Task store ${tasksFile} is damaged (file is not a database) and was left as it is`);
    const fix = `there is no backup in ${backups}. `;
    expect(none.fix.slice(0, fix.length)).toBe(fix);
    mkdirSync(backups);
    writeFileSync(path.join(backups, 'tasks-20260101T000000.000Z-start.db'), 'junk');
    const bad = refusal();
    expect(bad.fix).toMatch(/^none of the 1 backups in .+ passed its check\. /);
    expect(bad.fix).toContain('`taskhooks tasks restore` lists the backups and restores one');
    expect(readFileSync(tasksFile).equals(damaged)).toBe(true);
    expect(aside('damaged')).toEqual([]);
  });
});

describe('a store replaced under a live connection', () => {
  it('restoreStore moves the current store aside; a connection open before reads and writes the restored one', async () => {
    seed(2);
    const backup = await backupNow();
    const live = store();
    const project = live.ensureProject('demo');
    live.createTask({ projectId: project.id, title: 'after the backup' });
    const heard: string[][] = [];
    live.onChange(({ projects }) => heard.push(projects));
    const result = restoreStore(home, backup);
    expect(result.movedTo).toMatch(/tasks\.db\.before-restore-/);
    expect(titles(live)).toEqual(['task 0', 'task 1']);
    expect(heard).toEqual([['demo']]);
    live.createTask({ projectId: project.id, title: 'after the restore' });
    const other = openTaskDb(tasksFile, { home });
    expect(titles(other)).toEqual(['task 0', 'task 1', 'after the restore']);
    other.close();
    // The store it replaced is whole, with the task the backup did not have.
    const kept = openDatabase(result.movedTo ?? '', { readonly: true });
    expect(
      (kept.prepare('SELECT title FROM tasks ORDER BY rowid').all() as { title: string }[]).map((r) => r.title),
    ).toEqual(['task 0', 'task 1', 'after the backup']);
    kept.close();
  });

  it('damage met by a live connection in use: the store is restored and the operation runs on the restored one', async () => {
    seed(2);
    await backupNow();
    const live = store();
    expect(titles(live)).toEqual(['task 0', 'task 1']);
    // Another process writes and checkpoints, so the live connection's cached pages are stale and its next read goes
    // to the file; then the file is overwritten with junk.
    const other = openDatabase(tasksFile);
    other.prepare("UPDATE tasks SET title = 'task 0' WHERE title = 'task 0'").run();
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    writeFileSync(tasksFile, Buffer.alloc(statSync(tasksFile).size, 0x41), { flag: 'r+' });
    expect(titles(live)).toEqual(['task 0', 'task 1']);
    expect(live.recovered?.problem).toBe('file is not a database');
    expect(aside('damaged')).toHaveLength(1);
  });

  it('a store deleted under a live connection is not swapped for an empty one: the connection keeps what it holds', () => {
    seed(2);
    const live = store();
    unlinkSync(tasksFile);
    expect(titles(live)).toEqual(['task 0', 'task 1']);
    expect(readdirSync(home).filter((f) => f.startsWith('tasks.db'))).not.toContain('tasks.db');
  });

  it('a restore takes the source with what its write-ahead log holds: a store moved aside can keep its last commits there', () => {
    seed(2);
    // A store as a process killed after committing leaves it: the last change only in its -wal.
    const writer = openDatabase(tasksFile);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("UPDATE tasks SET title = 'only in the log'").run();
    const source = path.join(home, 'elsewhere.db');
    writeFileSync(source, readFileSync(tasksFile));
    writeFileSync(`${source}-wal`, readFileSync(`${tasksFile}-wal`));
    writer.close();
    const log = readFileSync(`${source}-wal`);
    restoreStore(home, source);
    const restored = store();
    expect(titles(restored)).toEqual(['only in the log', 'only in the log']);
    // The source is read, not changed: its log is still there as it was.
    expect(readFileSync(`${source}-wal`).equals(log)).toBe(true);
  });

  it('a restore refuses a source that is not a good database, changing nothing', () => {
    seed(1);
    const junk = path.join(home, 'junk.db');
    writeFileSync(junk, 'not a database at all');
    const before = readFileSync(tasksFile);
    expect(() => restoreStore(home, junk)).toThrow(/not a database/);
    expect(readFileSync(tasksFile).equals(before)).toBe(true);
    expect(aside('before-restore')).toEqual([]);
  });
});

describe('export and import', () => {
  function rich(db: TaskDb): void {
    const p = db.createProject({ name: 'shop', description: 'the shop' });
    const q = db.createProject({ name: 'api' });
    const b = db.createBranch({ projectId: p.id, name: 'main', description: 'trunk' });
    const [t1, t2] = db.createTasks([
      {
        projectId: p.id,
        gitBranchId: b.id,
        title: 'one',
        description: 'd',
        details: 'x',
        priority: 'high',
        assignees: ['ann'],
        labels: ['a', 'b'],
        estimatedEffort: '2h',
        dueDate: '2027-01-01',
      },
      { projectId: q.id, title: 'two', status: 'in_progress' },
    ]);
    db.createTask({ projectId: p.id, id: 'US-042', title: 'story' });
    // Each project counts its own ids: both hold TASK-001, and a dependency is on a task of its own project.
    expect([t1?.id, t2?.id]).toEqual(['TASK-001', 'TASK-001']);
    db.addDependency({ projectId: p.id, id: 'US-042' }, t1?.id ?? '');
    db.setStatus({ projectId: p.id, id: t1?.id ?? '' }, 'done', 'shipped');
    db.nextId(p.id, 'SPEC');
    db.reserveIds(q.id, 'US', 3);
    db.addNote({ projectId: p.id, id: 'US-042' }, 'decided: use stripe', 'ann');
    db.addNote({ projectId: q.id, id: t2?.id ?? '' }, 'blocked on the schema');
    db.addWorkRecord({
      projectId: p.id,
      taskId: 'US-042',
      sessionId: 's-1',
      agent: 'Claude Code',
      branch: 'main',
      machine: 'box',
      startedAt: '2026-11-28T08:00:00.000Z',
      endedAt: '2026-11-28T09:00:00.000Z',
      commits: [{ hash: '1d2e3f4', subject: 'Take cards' }],
      uncommitted: ['pay.ts'],
      statusTo: 'in_progress',
      statusChanges: [{ status: 'in_progress', at: '2026-11-28T08:01:00.000Z' }],
      closingWords: 'Left off: refunds.',
    });
    db.projectOfRepository({
      repository: 'github.com/acme/shop',
      folder: 'shop',
      firstCommit: 'commit:abc123',
      seenIn: '/src/shop/.git',
      isOther: () => false,
    });
  }

  /** A store with one of everything, its export, and an empty store next to it to import into. */
  function exportedAndTarget(): { source: TaskDb; exported: ReturnType<TaskDb['exportData']>; target: TaskDb } {
    const source = store();
    rich(source);
    const target = openTaskDb(path.join(home, 'copy.db'));
    open.push(target);
    return { source, exported: source.exportData(), target };
  }

  it('a round trip through the JSON file is exact, field by field, and the counters carry on', () => {
    const { source, exported, target } = exportedAndTarget();
    const text = JSON.stringify(exported, null, 2);
    const report = target.importData(parseExport(text, 'export.json'));
    expect(report).toMatchObject({
      applied: true,
      added: {
        projects: 2,
        branches: 1,
        tasks: 3,
        idCounters: 5,
        reservations: 1,
        notes: 2,
        workRecords: 1,
        repositories: 2,
      },
      overwrites: [],
      clashes: [],
    });
    expect({ ...target.exportData(), exportedAt: exported.exportedAt }).toEqual(exported);
    // Versions, claims and change sequences belong to the live store, not to its data: an import starts them afresh.
    const live = (row: Record<string, unknown>): Record<string, unknown> => {
      const { version: _v, claimed_by: _c, claim_expires_at: _e, change_seq: _s, ...rest } = row;
      return rest;
    };
    const dump = (db: TaskDb, table: string): unknown[] =>
      (db.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[]).map(live);
    // Every table holds people's data and comes back row for row, but these: the live store's own bookkeeping.
    const notExported = ['store_meta', 'task_tombstones', 'write_requests', 'project_sequences', 'dependency_doubts'];
    const tables = (
      source.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    )
      .map((t) => t.name)
      .filter((t) => t !== 'schema_version' && !notExported.includes(t));
    expect(tables).toEqual([
      'git_branches',
      'id_counters',
      'id_reservations',
      'project_repositories',
      'projects',
      'task_notes',
      'tasks',
      'work_records',
    ]);
    for (const table of tables) {
      expect(dump(source, table).length, table).toBeGreaterThan(0);
      expect(dump(target, table), table).toEqual(dump(source, table));
    }
    const shop = target.getProject('shop')?.id ?? '';
    expect(target.nextId(shop, 'SPEC')).toBe(source.nextId(shop, 'SPEC'));
    expect(target.createTask({ projectId: shop, title: 'next' }).id).toBe(
      source.createTask({ projectId: shop, title: 'next' }).id,
    );
  });

  it('into a store with tasks: refused without merge; a merge adds what is missing, and overwrites only when told', () => {
    const { exported, target } = exportedAndTarget();
    target.createProject({ name: 'other' });
    expect(() => target.importData(exported)).toThrow(/the task store is not empty \(1 projects, 0 tasks\)/);
    expect(target.importData(exported, { merge: true })).toMatchObject({
      applied: true,
      added: { tasks: 3 },
      unchanged: 0,
    });
    expect(target.importData(exported, { merge: true })).toMatchObject({
      applied: true,
      added: { tasks: 0 },
      overwrites: [],
    });
    const id = exported.tasks[0]?.id ?? '';
    const key = { projectId: exported.tasks[0]?.projectId ?? '', id };
    target.updateTask(key, { title: 'edited here' });
    const dry = target.importData(exported, { merge: true, overwrite: true, dryRun: true });
    expect(dry).toMatchObject({ applied: false, overwrites: [`task ${id} (title, updatedAt)`] });
    expect(target.importData(exported, { merge: true })).toMatchObject({
      applied: false,
      overwrites: [`task ${id} (title, updatedAt)`],
    });
    expect(target.getTask(key)?.title).toBe('edited here');
    expect(target.importData(exported, { merge: true, overwrite: true })).toMatchObject({ applied: true });
    expect(target.getTask(key)).toMatchObject(exported.tasks[0] ?? {});
  });

  it('a file of export version 1 (before notes, work records and repositories were exported) still imports', () => {
    const { exported, target } = exportedAndTarget();
    const { notes: _n, workRecords: _w, repositories: _r, ...older } = exported;
    const data = parseExport(JSON.stringify({ ...older, version: 1 }), 'old.json');
    expect(target.importData(data)).toMatchObject({
      applied: true,
      added: { tasks: 3, notes: 0, workRecords: 0, repositories: 0 },
    });
    expect(target.exportData()).toMatchObject({ version: 2, tasks: exported.tasks, notes: [], workRecords: [] });
  });

  it('a merge adds the notes, work records and repositories missing here, and overwrites a record only when told', () => {
    const { source, exported, target } = exportedAndTarget();
    expect(target.importData(exported)).toMatchObject({ applied: true });
    const shop = target.getProject('shop')?.id ?? '';
    target.addNote({ projectId: shop, id: 'US-042' }, 'only here');
    const [record] = exported.workRecords;
    if (!record) throw new Error('the store has a work record');
    target.addWorkRecord({ ...record, endedAt: '2026-11-28T10:00:00.000Z', closingWords: 'Left off here.' });
    const again = target.importData(exported, { merge: true });
    expect(again).toMatchObject({
      applied: false,
      added: { notes: 0, workRecords: 0, repositories: 0 },
      overwrites: ['work record of US-042 by session s-1 (endedAt, closingWords)'],
    });
    expect(target.importData(exported, { merge: true, overwrite: true })).toMatchObject({ applied: true });
    expect(target.listWorkRecords({ projectId: shop, id: 'US-042' })).toEqual(
      source.listWorkRecords({ projectId: shop, id: 'US-042' }),
    );
    expect(target.listNotes({ projectId: shop, id: 'US-042' }).map((n) => n.text)).toEqual([
      'decided: use stripe',
      'only here',
    ]);
  });

  it('a note or work record of a task neither in the file nor here is a clash', () => {
    const { exported, target } = exportedAndTarget();
    const [note] = exported.notes;
    const [record] = exported.workRecords;
    if (!note || !record) throw new Error('the store has a note and a work record');
    const report = target.importData({
      ...exported,
      notes: [{ ...note, taskId: 'TASK-404' }],
      workRecords: [{ ...record, taskId: 'TASK-405' }],
    });
    expect(report.applied).toBe(false);
    expect(report.clashes).toEqual([
      `a note of task TASK-404 of project ${note.projectId}, which is neither in the file nor here`,
      `a work record of task TASK-405 of project ${record.projectId}, which is neither in the file nor here`,
    ]);
  });

  it('a clash no flag resolves imports nothing', () => {
    const { exported, target } = exportedAndTarget();
    target.createProject({ name: 'shop' });
    const report = target.importData(exported, { merge: true, overwrite: true });
    expect(report.applied).toBe(false);
    expect(report.clashes[0]).toMatch(/^project name "shop" belongs to project .+ here, to .+ in the file$/);
    expect(target.countTasks()).toBe(0);
  });

  it('a file that is not an export says what is wrong with it', () => {
    expect(() => parseExport('{', 'a.json')).toThrow(/^a\.json is not JSON: /);
    expect(() => parseExport('{"format":"other"}', 'a.json')).toThrow('a.json is not a taskhooks task export');
    expect(() => parseExport(JSON.stringify({ format: 'taskhooks-task-store', version: 9 }), 'a.json')).toThrow(
      'a.json is export version 9',
    );
    expect(() =>
      parseExport(
        JSON.stringify({ format: 'taskhooks-task-store', version: 1, exportedAt: 'x', projects: [{}] }),
        'a.json',
      ),
    ).toThrow(/a\.json does not have the export's shape: projects\.0\.id: /);
  });
});
