// The real monitor backs up the task store it hosts: at start, on its schedule only when tasks changed, not again for a
// restart with nothing new, pruned to monitor.backupKeep; and a restore by hand reaches the store it serves.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/sqlite/index.js';
import { describe, expect, it } from 'vitest';
import { openTaskDb } from '../../src/server/index.js';
import { exited, type MonitorHome, perTest, waitFor } from './helpers.js';

const NEVER = '0 0 1 1 *';
const t = perTest();

/** The backup runs (by `reason`) that found the store unchanged and took none, as the monitor logs them at debug. */
function unchangedRuns(home: string, reason: 'start' | 'scheduled'): number {
  const log = path.join(home, 'logs', 'monitor.log');
  if (!existsSync(log)) return 0;
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('task store unchanged since its last backup') && l.includes(`"reason":"${reason}"`))
    .length;
}

function backups(home: string): string[] {
  try {
    return readdirSync(path.join(home, 'backups'))
      .filter((n) => n.endsWith('.db'))
      .sort();
  } catch {
    return [];
  }
}

function titlesIn(file: string): string[] {
  const db = openDatabase(file, { readonly: true });
  try {
    return (db.prepare('SELECT title FROM tasks ORDER BY rowid').all() as { title: string }[]).map((r) => r.title);
  } finally {
    db.close();
  }
}

describe('the monitor backs up the task store (real process)', () => {
  it('at start, on its schedule only after a change, not for a restart with nothing new, pruned to backupKeep', async () => {
    // At debug, each backup run that takes none says so: the test waits for those runs rather than for a while.
    const m = t.home({
      log: { level: 'debug' },
      monitor: { taskSchedule: NEVER, backupSchedule: '* * * * * *', backupKeep: 3 },
    });
    const { home } = m;
    const mon = m;
    const up = async (): Promise<ReturnType<MonitorHome['run']>> => {
      const child = mon.run();
      await waitFor(
        'the monitor to serve the store',
        () => mon.info()?.pid === child.pid && mon.info()?.storeServerUrl !== undefined,
      );
      return child;
    };
    const add = (title: string): void => expect(mon.cli(['tasks', 'add', title, '--project', 'demo']).code).toBe(0);

    // The project and its branch exist before the monitor starts: a first `tasks add` writes them apart from the task
    // (three commits), and the every-second schedule could copy the store between them.
    const seeded = openTaskDb(path.join(home, 'tasks.db'), { home });
    seeded.ensureBranch(seeded.ensureProject('demo').id, 'main');
    seeded.close();
    let child = await up();
    await waitFor('the start backup', () => backups(home).length === 1);
    const [start] = backups(home);
    expect(start).toMatch(/^tasks-\d{8}T\d{6}\.\d{3}Z-start\.db$/);
    expect(statSync(path.join(home, 'backups')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(home, 'backups', start ?? '')).mode & 0o777).toBe(0o600);
    // Two runs of the every-second schedule with nothing changed: no copy.
    const quiet = unchangedRuns(home, 'scheduled');
    await waitFor('two scheduled runs', () => unchangedRuns(home, 'scheduled') >= quiet + 2);
    expect(backups(home)).toEqual([start]);

    add('first');
    await waitFor('a scheduled backup', () => backups(home).find((n) => n.endsWith('-scheduled.db')));
    const scheduled = backups(home).find((n) => n.endsWith('-scheduled.db')) ?? '';
    expect(titlesIn(path.join(home, 'backups', scheduled))).toEqual(['first']);

    // A restore by hand while the monitor serves the store: what it serves next is the restored store.
    add('second');
    await waitFor('the second change backed up', () => backups(home).length === 3);
    const restored = m.cli(['tasks', 'restore', scheduled]);
    expect(restored.code, restored.stderr).toBe(0);
    const listed = JSON.parse(m.cli(['tasks', 'list', '--project', 'demo', '--json']).stdout) as {
      source: string;
      tasks: { title: string }[];
    };
    expect(listed.tasks.map((t) => t.title)).toEqual(['first']);
    // Served by the monitor, and named for the store rather than for its loopback port.
    expect(listed.source).toBe('built-in store via the monitor');
    // The restore is a change like any other: the next run backs the restored store up.
    await waitFor(
      'the restored store backed up',
      () => titlesIn(path.join(home, 'backups', backups(home).at(-1) ?? '')).join() === 'first',
    );

    child.kill('SIGTERM');
    await exited(child);
    const beforeRestart = backups(home);
    const scheduledRuns = unchangedRuns(home, 'scheduled');
    child = await up();
    await waitFor(
      "the restart's run and a scheduled one",
      () => unchangedRuns(home, 'start') === 1 && unchangedRuns(home, 'scheduled') > scheduledRuns,
    );
    expect(backups(home)).toEqual(beforeRestart);
    child.kill('SIGTERM');
    await exited(child);

    // Changed while no monitor ran (the CLI writes in-process): the next start copies it, and the oldest goes.
    add('while down');
    child = await up();
    await waitFor('a start backup of the change', () =>
      backups(home).some((n) => n.endsWith('-start.db') && n !== start),
    );
    await waitFor('pruning to backupKeep', () => backups(home).length === 3);
    expect(backups(home)).not.toContain(start);
    const newest = backups(home).at(-1) ?? '';
    expect(titlesIn(path.join(home, 'backups', newest))).toEqual(['first', 'while down']);
  }, 300_000);
});
