// A damaged or crashed task store: the CLI restores it from the newest backup and says so (there, in doctor, once in
// SessionStart); `taskhooks mcp` killed with SIGKILL while writing (a real process) loses no acknowledged write and
// leaves no half-written batch; export → import round-trips through files.
import {
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTaskDb, type TaskDb } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { hookEnv, runHookHere, sessionStartInput, tempHome } from '../helpers/hooks.js';
import { startWriter, type NewTrackerTask, type StdioWriter } from '../server/stdio-writer.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function home(): string {
  const t = tempHome();
  cleanups.push(t.cleanup);
  return t.home;
}

/** The CLI's code in this process: what it restores and says is its logic; the kills below are real processes. */
async function cli(h: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runCli(args, { env: { ...hookEnv(h), NO_COLOR: '1' }, cwd: h });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

function withDb<T>(h: string, fn: (db: TaskDb) => T): T {
  const db = openTaskDb(path.join(h, 'tasks.db'), { home: h });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Tasks `first`..`first + n - 1` in project "demo" on branch "main" (agenthub lists tasks by branch), written in this process. */
function seed(h: string, n: number, first = 0): void {
  withDb(h, (db) => {
    const project = db.ensureProject('demo');
    const branch = db.ensureBranch(project.id, 'main');
    db.createTasks(
      Array.from({ length: n }, (_, i) => ({
        projectId: project.id,
        gitBranchId: branch.id,
        title: `task ${first + i}`,
      })),
    );
  });
}

const listed = async (h: string): Promise<string[]> => {
  const r = await cli(h, ['tasks', 'list', '--project', 'demo', '--json']);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { tasks: { title: string }[] }).tasks.map((t) => t.title).sort();
};

function trackerTasks(batch: number, size: number): NewTrackerTask[] {
  return Array.from({ length: size }, (_, k) => ({
    task_id: `B${batch}-${k}`,
    project_id: 'crash',
    title: `batch ${batch} task ${k}`,
    description: `written by batch ${batch}: ${'x'.repeat(100 + k * 37)}`,
    priority: ['low', 'medium', 'high'][k % 3] as string,
    labels: ['crash', `b${batch}`],
  }));
}

const damages: Array<{ what: string; damage: (h: string) => Promise<void> }> = [
  {
    what: 'an overwritten header',
    damage: async (h) => writeFileSync(path.join(h, 'tasks.db'), Buffer.alloc(100, 'A'), { flag: 'r+' }),
  },
  {
    what: 'a truncated file',
    damage: async (h) =>
      truncateSync(path.join(h, 'tasks.db'), Math.floor(statSync(path.join(h, 'tasks.db')).size / 2)),
  },
  {
    what: 'a write-ahead log deleted after kill -9',
    damage: async (h) => {
      const writer = await startWriter(h);
      cleanups.push(() => writer.kill());
      expect(await writer.add(trackerTasks(0, 3))).toBe(true);
      await writer.kill();
      const wal = path.join(h, 'tasks.db-wal');
      expect(statSync(wal).size).toBeGreaterThan(0);
      unlinkSync(wal);
    },
  },
];

describe('a damaged task store, met by the CLI', () => {
  for (const { what, damage } of damages) {
    it(`${what}: restored from the newest backup with its tasks, said in the CLI, doctor and once in SessionStart`, async () => {
      const h = home();
      seed(h, 3);
      expect((await cli(h, ['tasks', 'backup'])).status).toBe(0);
      seed(h, 2, 3);
      const backup = await cli(h, ['tasks', 'backup', '--json']);
      const newest = (JSON.parse(backup.stdout) as { file: string }).file;
      seed(h, 1, 5); // after the newest backup: lost with the store, and the notice says such changes may be
      await damage(h);
      const damaged = readFileSync(path.join(h, 'tasks.db'));

      const r = await cli(h, ['tasks', 'list', '--project', 'demo', '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { tasks: { title: string }[] }).tasks.map((t) => t.title).sort()).toEqual([
        'task 0',
        'task 1',
        'task 2',
        'task 3',
        'task 4',
      ]);
      const said = r.stderr.split('\n').filter((l) => l.startsWith('taskhooks: Task store restored: '));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(
        `(${path.basename(newest)}); changes made after that backup may be missing. The damaged store is kept as ${h}/tasks.db.damaged-`,
      );

      const [aside] = readdirSync(h).filter((f) => /^tasks\.db\.damaged-\d{8}T\d{6}Z-\d+$/.test(f));
      expect(aside).toBeDefined();
      expect(readFileSync(path.join(h, aside ?? '')).equals(damaged)).toBe(true);

      const doctor = await cli(h, ['doctor', '--json']);
      const step = (JSON.parse(doctor.stdout) as { steps: { name: string; ok: boolean; detail: string }[] }).steps.find(
        (s) => s.name === 'task store',
      );
      expect(step?.ok).toBe(true);
      expect(step?.detail).toContain(`${h}/tasks.db: 5 tasks in 1 project, passed quick_check`);
      expect(step?.detail).toMatch(/backups: 2 in .+, newest \d+ s ago \(manual\)/);
      expect(step?.detail).toContain(`last restored from a backup `);
      expect(doctor.stderr).not.toContain('Task store restored');

      const first = await runHookHere('session-start', sessionStartInput(h), { home: h, cwd: h });
      expect(first.output?.hookSpecificOutput.additionalContext).toContain(
        `Note: Task store restored: ${h}/tasks.db was damaged (`,
      );
      const second = await runHookHere('session-start', sessionStartInput(h, 'session-2'), { home: h, cwd: h });
      expect(second.output?.hookSpecificOutput.additionalContext).not.toContain('Task store restored');
    });
  }

  it('with no good backup: every command refuses with the fix, the damaged file stays, no empty store appears', async () => {
    const h = home();
    seed(h, 2);
    writeFileSync(path.join(h, 'tasks.db'), Buffer.alloc(100, 'A'), { flag: 'r+' });
    const damaged = readFileSync(path.join(h, 'tasks.db'));
    for (const args of [
      ['tasks', 'list', '--project', 'demo'],
      ['tasks', 'add', 'more', '--project', 'demo'],
      ['tasks', 'export'],
    ]) {
      const r = await cli(h, args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        `Task store ${h}/tasks.db is damaged (file is not a database) and was left as it is: there is no backup in ${h}/backups.`,
      );
      expect(r.stderr).toContain('`taskhooks tasks restore` lists the backups');
    }
    expect(readFileSync(path.join(h, 'tasks.db')).equals(damaged)).toBe(true);
    expect(readdirSync(h).filter((f) => f.startsWith('tasks.db.'))).toEqual([]);
  });
});

/** The CLI's backup now: the file it says it wrote. */
async function backup(h: string): Promise<string> {
  const r = await cli(h, ['tasks', 'backup', '--json']);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { file: string }).file;
}

const restoredLines = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l.startsWith('taskhooks: Task store restored: '));

async function doctorStep(h: string): Promise<{ ok: boolean; detail: string; fix?: string } | undefined> {
  const doctor = await cli(h, ['doctor', '--json']);
  return (
    JSON.parse(doctor.stdout) as { steps: { name: string; ok: boolean; detail: string; fix?: string }[] }
  ).steps.find((s) => s.name === 'task store');
}

/** A backup name `hours` ahead of the clock, as a machine whose clock ran ahead names one. */
const aheadName = (hours: number): string =>
  `tasks-${new Date(Date.now() + hours * 3_600_000).toISOString().replace(/[-:]/g, '')}-manual.db`;

describe("a person's month with the built-in store", () => {
  it('the store emptied, then removed, with backups present: the tasks come back each time, said on the CLI', async () => {
    const h = home();
    seed(h, 2);
    await backup(h);
    for (const [lose, problem] of [
      [() => writeFileSync(path.join(h, 'tasks.db'), ''), 'the file was empty'],
      [() => unlinkSync(path.join(h, 'tasks.db')), 'the file was missing'],
    ] as const) {
      for (const f of ['tasks.db-wal', 'tasks.db-shm']) rmSync(path.join(h, f), { force: true });
      lose();
      const r = await cli(h, ['tasks', 'list', '--project', 'demo', '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { tasks: { title: string }[] }).tasks.map((t) => t.title).sort()).toEqual([
        'task 0',
        'task 1',
      ]);
      expect(restoredLines(r.stderr)).toEqual([expect.stringContaining(`${h}/tasks.db was damaged (${problem})`)]);
    }
    expect(readdirSync(h).filter((f) => /^tasks\.db\.damaged-/.test(f))).toHaveLength(1);
    const step = await doctorStep(h);
    expect(step?.ok).toBe(true);
    expect(step?.detail).toContain(`${h}/tasks.db: 2 tasks in 1 project`);
  });

  it('backups named while the clock was ahead: a damaged store gets the newest tasks, and a new backup stays', async () => {
    const h = home();
    seed(h, 1);
    const early = await backup(h);
    renameSync(early, path.join(h, 'backups', aheadName(2)));
    seed(h, 2, 1);
    await backup(h);
    writeFileSync(path.join(h, 'tasks.db'), Buffer.alloc(100, 'A'), { flag: 'r+' });
    for (const f of ['tasks.db-wal', 'tasks.db-shm']) rmSync(path.join(h, f), { force: true });
    expect(await listed(h)).toEqual(['task 0', 'task 1', 'task 2']);

    // A dozen copies named hours ahead: the backup taken now is still there after its prune.
    for (let i = 0; i < 12; i++) {
      seed(h, 1, 10 + i);
      renameSync(await backup(h), path.join(h, 'backups', aheadName(3 + i)));
    }
    seed(h, 1, 30);
    const taken = await backup(h);
    expect(existsSync(taken)).toBe(true);
  });

  it('doctor fails over a store behind its own backups, and says how to get them back', async () => {
    const h = home();
    seed(h, 3);
    seed(h, 2, 3);
    const held = await backup(h);
    // An empty store made in its place (as releases before this one made one for a lost file), then written to.
    for (const f of ['tasks.db', 'tasks.db-wal', 'tasks.db-shm']) rmSync(path.join(h, f), { force: true });
    openTaskDb(path.join(h, 'fresh.db')).close();
    renameSync(path.join(h, 'fresh.db'), path.join(h, 'tasks.db'));
    seed(h, 1, 10);
    const step = await doctorStep(h);
    expect(step?.ok).toBe(false);
    expect(step?.detail).toContain(`behind the backup ${held}`);
    expect(step?.fix).toContain(`taskhooks tasks restore ${path.basename(held)}`);
  });
});

describe('restore by hand', () => {
  it('lists the backups, restores one, and keeps the store it replaced', async () => {
    const h = home();
    seed(h, 2);
    const taken = JSON.parse((await cli(h, ['tasks', 'backup', '--json'])).stdout) as { file: string };
    seed(h, 1, 2);
    const list = await cli(h, ['tasks', 'restore']);
    expect(list.stdout).toMatch(
      new RegExp(`${path.basename(taken.file).replace('.', '\\.')}\\s+\\d+ s ago\\s+manual\\s+\\d`),
    );
    const r = await cli(h, ['tasks', 'restore', path.basename(taken.file)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Restored ${h}/tasks.db from ${taken.file}: 2 tasks in 1 projects.`);
    const kept = /kept as (\S+)\.\n/.exec(r.stdout)?.[1] ?? '';
    expect(kept).toMatch(/tasks\.db\.before-restore-/);
    expect(await listed(h)).toEqual(['task 0', 'task 1']);
    const before = openTaskDb(kept);
    expect(before.countTasks()).toBe(3);
    before.close();
  });
});

/** Writers killed in a row, each a random while after its first answer. */
const KILLS = 10;

describe('crash safety', () => {
  it(`${KILLS} × kill -9 of a process writing tasks: every acknowledged write is there, no batch half-written, integrity ok`, async () => {
    const h = home();
    // A fixed seed: a failure can be replayed with the same kill moments.
    let seedValue = 0x5eed;
    const random = (): number => {
      seedValue = (seedValue * 1103515245 + 12345) & 0x7fffffff;
      return seedValue / 0x7fffffff;
    };
    const SIZE = 3;
    let nextBatch = 0;
    const acknowledged = new Set<number>();
    for (let round = 0; round < KILLS; round++) {
      const writer: StdioWriter = await startWriter(h);
      cleanups.push(() => writer.kill());
      let alive = true;
      let firstAnswer: () => void = () => {};
      const answered = new Promise<void>((r) => (firstAnswer = r));
      // Four writes in flight at any time, so a kill lands in the middle of one.
      const lanes = Array.from({ length: 4 }, async () => {
        while (alive) {
          const batch = nextBatch++;
          if (!(await writer.add(trackerTasks(batch, SIZE)))) return;
          acknowledged.add(batch);
          firstAnswer();
        }
      });
      // The kill comes a random while after the round's first answer: on a loaded machine a writer can take longer
      // than the whole wait to answer at all, and a round that acknowledged nothing checks nothing.
      await Promise.race([answered, Promise.all(lanes)]);
      await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 200)));
      // Killed while every lane waits on a write: none may stop between two writes first.
      await writer.kill();
      alive = false;
      await Promise.all(lanes);
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILLS);
    // Every kill landed with writes in flight: four lanes, none of which saw its last request answered.
    expect(nextBatch - acknowledged.size).toBeGreaterThanOrEqual(KILLS * 4);
    withDb(h, (db) => {
      expect(db.recovered).toBeUndefined();
      expect(db.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const all = db.listTasks({ limit: 100_000 }).tasks;
      const byBatch = new Map<number, string[]>();
      for (const t of all) {
        const batch = Number(/^B(\d+)-\d+$/.exec(t.id)?.[1]);
        byBatch.set(batch, [...(byBatch.get(batch) ?? []), t.id]);
      }
      for (const batch of acknowledged) {
        for (const expected of trackerTasks(batch, SIZE)) {
          const t = db.getTask(expected.task_id);
          expect(t, `acknowledged ${expected.task_id}`).toMatchObject({
            title: expected.title,
            description: expected.description,
            priority: expected.priority,
            labels: expected.labels,
          });
        }
      }
      // A batch is all or nothing, acknowledged or not (a kill may land after the commit and before the answer).
      for (const [batch, ids] of byBatch) expect(ids.length, `batch ${batch}`).toBe(SIZE);
    });
  }, 180_000);
});

describe('export and import', () => {
  it('a round trip through a file is exact field by field; into a store with tasks it merges only when asked', async () => {
    const a = home();
    withDb(a, (db) => {
      const p = db.ensureProject('demo');
      const b = db.ensureBranch(p.id, 'main');
      const [t1, t2] = db.createTasks([
        { projectId: p.id, gitBranchId: b.id, title: 'one', labels: ['x'], assignees: ['ann'], dueDate: '2027-01-01' },
        { projectId: p.id, title: 'two', status: 'in_progress' },
      ]);
      db.addDependency(t2?.id ?? '', t1?.id ?? '');
      db.setStatus(t1?.id ?? '', 'done', 'shipped');
      db.reserveIds(p.id, 'US', 2);
    });
    const file = path.join(a, 'export.json');
    const out = await cli(a, ['tasks', 'export', '--out', file]);
    expect(out.stdout).toBe(
      `Exported 1 projects, 1 branches, 2 tasks, 2 id counters, 1 reservations, 0 notes, 0 work records, 0 repositories to ${file}\n`,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const b = home();
    const imported = await cli(b, ['tasks', 'import', file]);
    expect(imported.stdout).toBe(
      `Imported from ${file}: 1 projects, 1 branches, 2 tasks, 2 id counters, 1 reservations, 0 notes, 0 work records, 0 repositories; 0 unchanged.\n`,
    );
    const again = await cli(b, ['tasks', 'export']);
    const [x, y] = [JSON.parse(readFileSync(file, 'utf8')), JSON.parse(again.stdout)] as Array<Record<string, unknown>>;
    expect({ ...y, exportedAt: x?.exportedAt }).toEqual(x);

    const refused = await cli(b, ['tasks', 'import', file]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'the task store is not empty (1 projects, 2 tasks): an import fills only an empty store unless it merges (--merge adds to it',
    );
    withDb(b, (db) => db.updateTask(db.listTasks().tasks[0]?.id ?? '', { title: 'changed here' }));
    const dry = await cli(b, ['tasks', 'import', file, '--merge', '--dry-run']);
    expect(dry.stdout).toMatch(
      /^Dry run, nothing changed\. .+ would add 0 projects, 0 branches, 0 tasks, 0 id counters, 0 reservations, 0 notes, 0 work records, 0 repositories; \d+ unchanged\.\nIt would overwrite 1 record\(s\) here \(only with --overwrite; without it nothing is imported\):\n {2}- task TASK-00\d \(title, updatedAt\)\n$/,
    );
    const merge = await cli(b, ['tasks', 'import', file, '--merge']);
    expect(merge.status).toBe(1);
    expect(merge.stdout).toContain('Pass --overwrite to replace them');
    expect((await cli(b, ['tasks', 'import', file, '--merge', '--overwrite'])).status).toBe(0);
    expect(existsSync(path.join(b, 'tasks.db'))).toBe(true);
    expect(JSON.parse((await cli(b, ['tasks', 'export'])).stdout).tasks).toEqual(x?.tasks);
  });
});
