// The embedded store read in process by `taskhooks tasks list`, `next` and `show` answers what the store's served read
// answers: the same tasks, in the same order, with the same fields and notes, for every kind of scope and task.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../src/cache/cache.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { commandFailure } from '../../../src/errors/command.js';
import { homeFiles } from '../../../src/home/files.js';
import { createStderrLogger } from '../../../src/log/index.js';
import { useTaskSource } from '../../../src/network/index.js';
import { openTaskDb } from '../../../src/server/index.js';
import { readLocalNext, readLocalTask, readLocalTasks } from '../../../src/sources/embedded/local-read.js';
import { operation, type TaskSource } from '../../../src/sources/source.js';
import type { Scope } from '../../../src/tasks/scope.js';
import { sourceOf } from '../../helpers/settings.js';

let home: string;
let cache: Cache;
const ids: Record<string, string> = {};
const log = createStderrLogger({ level: 'silent', name: 'test' });

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-local-read-'));
  const db = openTaskDb(homeFiles(home).tasks);
  const shop = db.createProject({ name: 'shop' });
  const main = db.createBranch({ projectId: shop.id, name: 'main' });
  const feature = db.createBranch({ projectId: shop.id, name: 'feature/login' });
  const waiting = db.createBranch({ projectId: shop.id, name: 'waiting' });
  const fix = db.createTask({ projectId: shop.id, gitBranchId: main.id, title: 'Fix login', priority: 'high' });
  db.createTask({
    projectId: shop.id,
    gitBranchId: main.id,
    title: 'Refund flow',
    description: 'Money back within a day',
    details: 'Only shown by a single read',
    priority: 'critical',
    assignees: ['dana'],
    labels: ['billing'],
    dependencies: [fix.id],
  });
  db.createTask({ projectId: shop.id, gitBranchId: main.id, title: 'Shipped', status: 'done' });
  db.createTask({ projectId: shop.id, gitBranchId: main.id, title: 'Parked', status: 'blocked', priority: 'low' });
  const started = db.createTask({ projectId: shop.id, gitBranchId: main.id, title: 'Started', status: 'in_progress' });
  db.claimTask({ taskId: started.id, claimant: 'session-1', leaseSeconds: 3600 });
  db.createTask({ projectId: shop.id, gitBranchId: feature.id, title: 'Login form', priority: 'urgent' });
  db.createTask({ projectId: shop.id, gitBranchId: feature.id, title: 'Old form', status: 'cancelled' });
  // A task waiting on an unfinished one, a branch whose only open task waits, notes, a summary, a task with no branch.
  const first = db.createTask({ projectId: shop.id, gitBranchId: waiting.id, title: 'First step', status: 'blocked' });
  db.createTask({ projectId: shop.id, gitBranchId: waiting.id, title: 'Second step', dependencies: [first.id] });
  db.addNote(fix.id, 'Seen on Safari only', 'dana');
  db.addNote(fix.id, 'Cookie domain, most likely');
  const shipped = db.createTask({ projectId: shop.id, gitBranchId: main.id, title: 'Old login', details: 'v1' });
  db.setStatus(shipped.id, 'done', 'Replaced by the new flow');
  ids.loose = db.createTask({ projectId: shop.id, gitBranchId: null, title: 'Loose end' }).id;
  ids.fix = fix.id;
  ids.shipped = shipped.id;
  ids.started = started.id;
  db.close();
  cache = openCache({ home });
});
afterAll(() => {
  cache.close();
  rmSync(home, { recursive: true, force: true });
});

const scope = (project: string, branch: string): Scope => ({ project, branch, projectRoot: home });

/** `read` on the served source (the embedded adapter through the network stack), as the CLI's commands call it. */
function served<T>(s: Scope, read: (src: TaskSource) => Promise<T>): Promise<T> {
  const source = sourceOf(ConfigSchema.parse({}));
  return useTaskSource({ source, home, cache, log, scope: s, projectRoot: home }, read);
}

/** What the served read answers for a listing: its tasks and note. */
const servedListing = (s: Scope, all: boolean): Promise<{ tasks: unknown[]; note?: string }> =>
  served(s, async (src) => {
    if (all) return { tasks: await operation(src, 'listAll', 'list finished tasks')(s) };
    const { tasks, note } = await src.pending(s);
    return note === undefined ? { tasks } : { tasks, note };
  });

const scopes: Array<[string, Scope]> = [
  ['a known branch', scope('shop', 'main')],
  ['another known branch', scope('shop', 'feature/login')],
  ['a branch whose one open task waits on another', scope('shop', 'waiting')],
  ['a branch the store does not know (the project read whole, said)', scope('shop', 'spike')],
  ['no git branch', scope('shop', '')],
  ['a project the store does not know yet', scope('cafe', 'main')],
];

describe('the local read of the embedded store', () => {
  it.each(scopes)('answers as the served read for %s: pending, --all and next', async (_, s) => {
    const file = homeFiles(home).tasks;
    for (const all of [false, true]) expect(readLocalTasks(file, s, { all })).toEqual(await servedListing(s, all));
    expect(readLocalNext(file, s)).toEqual({ next: await served(s, (src) => src.next(s)) });
  });

  it('shows a task as the served read does: notes, summary, claim, a task with no branch', async () => {
    const file = homeFiles(home).tasks;
    const shown = (id: string) => {
      const local = readLocalTask(file, id, 'shop');
      if (!local || 'missing' in local) throw new Error(`${id} was not read in process`);
      return local;
    };
    for (const id of [ids.fix, ids.shipped, ids.started, ids.loose] as string[]) {
      const local = shown(id);
      expect(local.task, id).toEqual(await served(scope('shop', 'main'), (src) => src.get(id)));
      // The project it belongs to, as the served read's projectOf says it.
      expect(local.project, id).toBe(
        await served(scope('shop', 'main'), (src) => src.projectOf?.(id) ?? Promise.resolve('none')),
      );
    }
    expect(shown(ids.fix as string).task.details).toBe('dana: Seen on Safari only\nCookie domain, most likely');
    expect(shown(ids.shipped as string).task).toMatchObject({ details: 'v1', summary: 'Replaced by the new flow' });
    expect(shown(ids.loose as string).task).toMatchObject({ title: 'Loose end' });
    expect(shown(ids.loose as string).task.branch).toBeUndefined();
  });

  it('fails on an id no project holds as the served read fails, as the command prints it', async () => {
    const local = readLocalTask(homeFiles(home).tasks, 'TASK-999', 'shop');
    if (!local || !('missing' in local)) throw new Error('TASK-999 was read as a task');
    let servedFailure: unknown;
    try {
      await served(scope('shop', 'main'), (src) => src.get('TASK-999'));
    } catch (err) {
      servedFailure = err;
    }
    const printed = (err: unknown) => (commandFailure(err) as Error).message;
    expect(printed(local.missing)).toBe(printed(servedFailure));
    expect(printed(local.missing)).toBe(
      'Task not found: TASK-999 (`taskhooks tasks list --all` shows the ids of this project and branch)',
    );
  });

  it('names what the comparison rests on: tasks of several statuses, a claim, a note', async () => {
    const pending = readLocalTasks(homeFiles(home).tasks, scope('shop', 'main'), { all: false });
    // The task on no branch is the whole project's: main lists it, marked so, without a branch.
    expect(pending?.tasks.map((t) => t.title)).toEqual(['Started', 'Refund flow', 'Fix login', 'Loose end', 'Parked']);
    expect(pending?.tasks[0]).toMatchObject({ claimedBy: 'session-1', branch: 'main' });
    expect(pending?.tasks[3]).toMatchObject({ title: 'Loose end', projectTask: true });
    expect(pending?.tasks[3]?.branch).toBeUndefined();
    expect(readLocalTasks(homeFiles(home).tasks, scope('shop', 'spike'), { all: false })?.note).toBe(
      'no task is tied to branch spike yet: the open tasks of every branch of project shop shown',
    );
  });

  it('leaves a store it cannot read as it is to the full open: no file, or another schema version', () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'th-local-read-'));
    try {
      const file = path.join(other, 'tasks.db');
      expect(readLocalTasks(file, scope('shop', 'main'), { all: false })).toBeUndefined();
      const db = openTaskDb(file);
      db.db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(999, Date.now());
      db.close();
      expect(readLocalTasks(file, scope('shop', 'main'), { all: false })).toBeUndefined();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
