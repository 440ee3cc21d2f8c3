// The embedded store read in process by `taskhooks tasks list` answers what the store's served read answers: the same
// tasks, in the same order, with the same fields and notes, for every kind of scope.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../src/cache/cache.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { homeFiles } from '../../../src/home/files.js';
import { createStderrLogger } from '../../../src/log/index.js';
import { useTaskSource } from '../../../src/network/index.js';
import { openTaskDb } from '../../../src/server/index.js';
import { readLocalTasks } from '../../../src/sources/embedded/local-read.js';
import { operation } from '../../../src/sources/source.js';
import type { Scope } from '../../../src/tasks/scope.js';
import { sourceOf } from '../../helpers/settings.js';

let home: string;
let cache: Cache;
const log = createStderrLogger({ level: 'silent', name: 'test' });

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-local-read-'));
  const db = openTaskDb(homeFiles(home).tasks);
  const shop = db.createProject({ name: 'shop' });
  const main = db.createBranch({ projectId: shop.id, name: 'main' });
  const feature = db.createBranch({ projectId: shop.id, name: 'feature/login' });
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
  db.close();
  cache = openCache({ home });
});
afterAll(() => {
  cache.close();
  rmSync(home, { recursive: true, force: true });
});

const scope = (project: string, branch: string): Scope => ({ project, branch, projectRoot: home });

/** What the served read (the embedded adapter through the network stack) answers: its tasks and note. */
function served(s: Scope, all: boolean): Promise<{ tasks: unknown[]; note?: string }> {
  const source = sourceOf(ConfigSchema.parse({}));
  return useTaskSource({ source, home, cache, log, scope: s, projectRoot: home }, async (src) => {
    if (all) return { tasks: await operation(src, 'listAll', 'list finished tasks')(s) };
    const { tasks, note } = await src.pending(s);
    return note === undefined ? { tasks } : { tasks, note };
  });
}

describe('the local read of the embedded store', () => {
  it.each([
    ['a known branch', scope('shop', 'main')],
    ['another known branch', scope('shop', 'feature/login')],
    ['a branch the store does not know (the project read whole, said)', scope('shop', 'spike')],
    ['no git branch', scope('shop', '')],
    ['a project the store does not know yet', scope('cafe', 'main')],
  ])('answers as the served read for %s, pending and --all', async (_, s) => {
    for (const all of [false, true]) {
      const local = readLocalTasks(homeFiles(home).tasks, s, { all });
      expect(local).toEqual(await served(s, all));
    }
  });

  it('names what the comparison rests on: tasks of several statuses, a claim, a note', async () => {
    const pending = readLocalTasks(homeFiles(home).tasks, scope('shop', 'main'), { all: false });
    expect(pending?.tasks.map((t) => t.title)).toEqual(['Started', 'Refund flow', 'Fix login', 'Parked']);
    expect(pending?.tasks[0]).toMatchObject({ claimedBy: 'session-1', branch: 'main' });
    expect(readLocalTasks(homeFiles(home).tasks, scope('shop', 'spike'), { all: false })?.note).toBe(
      'branch spike is not registered on the task server: pending tasks of project shop shown',
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
