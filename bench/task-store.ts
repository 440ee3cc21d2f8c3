// The task store's safety work on 10,000 tasks, in-process: an online backup (checked), the copy taken at once before
// a migration, an export (rows read and JSON written), an import into an empty store, and the quick_check every open
// runs. Bundled (dist/bench/task-store.js) like the code that ships; prints medians as JSON for task-store.bench.mjs.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTaskDb } from '../src/store/index.js';
import { takeBackupNow } from '../src/store/tasks-db/backups.js';
import { parseExport } from '../src/store/transfer-schema.js';
import { quickCheck } from '../src/sqlite/index.js';

const TASKS = 10_000;
const PROJECTS = 10;
const RUNS = 7;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function medianOf(fn: (run: number) => unknown): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) samples.push(await timed(() => fn(run)));
  return median(samples);
}

const home = mkdtempSync(path.join(os.tmpdir(), 'th-bench-store-'));
try {
  const file = path.join(home, 'tasks.db');
  const dir = path.join(home, 'backups');
  const db = openTaskDb(file, { home });
  for (let p = 0; p < PROJECTS; p++) {
    const project = db.ensureProject(`project-${p}`);
    const branch = db.ensureBranch(project.id, 'main');
    const per = TASKS / PROJECTS;
    for (let i = 0; i < per; i += 500) {
      db.createTasks(
        Array.from({ length: 500 }, (_, k) => ({
          projectId: project.id,
          gitBranchId: branch.id,
          title: `Task ${p}-${i + k}: a title of ordinary length for a piece of work`,
          description: `What task ${i + k} is about, in a sentence or two of ordinary length. `.repeat(3),
          priority: (['low', 'medium', 'high', 'urgent', 'critical'] as const)[k % 5],
          labels: ['bench', `p${p}`],
        })),
      );
    }
  }
  const bytes = statSync(file).size;
  const backup = await medianOf(() => db.backup(dir, 'manual'));
  const atOnce = await medianOf(() => takeBackupNow(db.db, dir, 'migration'));
  let text = '';
  const exported = await medianOf(() => {
    text = JSON.stringify(db.exportData());
  });
  const imported = await medianOf((run) => {
    const target = openTaskDb(path.join(home, `import-${run}.db`));
    target.importData(parseExport(text, 'bench.json'));
    target.close();
  });
  db.close();
  const check = await medianOf(() => {
    const reopened = openTaskDb(file, { home });
    quickCheck(reopened.db);
    reopened.close();
  });
  const open = await medianOf(() => openTaskDb(file, { home }).close());
  process.stdout.write(
    `${JSON.stringify({ tasks: TASKS, runs: RUNS, bytes, exportBytes: Buffer.byteLength(text), backup, atOnce, exported, imported, open, check: check - open })}\n`,
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
