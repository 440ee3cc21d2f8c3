// The sources the reference task server speaks for: the embedded store in process, and agenthub and the tracker
// over HTTP on 127.0.0.1; agenthub's failures come from the loopback stand-in that misbehaves on demand, and the
// tracker's bad item from a third-party tracker's stand-in.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTaskDb, type TaskDb } from '../../../src/server/index.js';
import { refusedUrl, startFaultServer } from '../../helpers/fault-server.js';
import { startReferenceServer } from '../../helpers/reference-server.js';
import { startTrackerStandin } from '../../helpers/tracker-standin.js';
import { tempHome } from './context.js';
import type { Failure, Harness, Opened, SeedTask } from './types.js';

const PROJECT = 'demo';

/** Seeds project demo, branch main: the tasks, then `extra` todo tasks; returns the tasks' ids. */
function seed(db: TaskDb, tasks: SeedTask[], extra: number): string[] {
  const project = db.createProject({ name: PROJECT });
  const branch = db.createBranch({ projectId: project.id, name: 'main' });
  const at = { projectId: project.id, gitBranchId: branch.id };
  const ids = db.createTasks(tasks.map((t) => ({ ...at, ...t }))).map((t) => t.id);
  db.createTasks(Array.from({ length: extra }, (_, i) => ({ ...at, title: `Bulk task ${i}`, priority: 'low' })));
  return ids;
}

const scopeIn = (root: string) => ({ projectRoot: root, project: PROJECT, branch: 'main' });

export const embedded: Harness = {
  name: 'embedded',
  timeoutMs: 10_000,
  async open(tasks, extra = 0) {
    const home = tempHome('th-conf-embedded-');
    const dbFile = path.join(home.dir, 'conformance.db');
    const db = openTaskDb(dbFile);
    const ids = seed(db, tasks, extra);
    db.close();
    const source = home.open({}, home.dir, { dbFile });
    const close = async (): Promise<void> => {
      await source.close();
      home.close();
    };
    return { source, scope: scopeIn(home.dir), ids, close };
  },
  failing: 'the embedded store runs in process: no token, no rate limit, no server to go down or answer badly',
  badItem: 'the store refuses a bad item when it is written',
};

async function overHttp(adapter: 'agenthub' | 'tracker', tasks: SeedTask[], extra: number): Promise<Opened> {
  const home = tempHome(`th-conf-${adapter}-`);
  let ids: string[] = [];
  const server = await startReferenceServer({ seed: (db) => void (ids = seed(db, tasks, extra)) });
  const auth =
    adapter === 'tracker' ? { apiKey: server.token, apiKeyHeader: 'Authorization' } : { token: server.token };
  const source = home.open({ source: { adapter, servers: [server.url] }, auth }, home.dir);
  return {
    source,
    scope: scopeIn(home.dir),
    ids,
    close: async () => {
      await source.close();
      await server.close();
      home.close();
    },
  };
}

async function agenthubFailing(failure: Failure | { kind: 'bad-item' }): Promise<Opened> {
  const home = tempHome('th-conf-fault-');
  const root = mkdtempSync(path.join(os.tmpdir(), 'th-conf-root-'));
  const good = { id: 't2', title: 'Still shown', status: 'todo', priority: 'high' };
  const stand = await startFaultServer({
    token: 'right-token',
    project: PROJECT,
    ...(failure.kind === 'bad-item' ? { tasks: [{ ...good, id: 't1', priority: 'whenever' }, good] } : {}),
  });
  if (failure.kind !== 'refused' && failure.kind !== 'bad-token' && failure.kind !== 'bad-item') stand.always(failure);
  const url = failure.kind === 'refused' ? await refusedUrl() : stand.url;
  const token = failure.kind === 'bad-token' ? 'wrong-token' : 'right-token';
  const source = home.open({ source: { adapter: 'agenthub', servers: [url] }, auth: { token } }, root);
  return {
    source,
    scope: scopeIn(root),
    ids: [],
    close: async () => {
      await source.close();
      await stand.close();
      home.close();
    },
  };
}

export const agenthub: Harness = {
  name: 'agenthub',
  timeoutMs: 10_000,
  open: (tasks, extra = 0) => overHttp('agenthub', tasks, extra),
  failing: agenthubFailing,
  badItem: () => agenthubFailing({ kind: 'bad-item' }),
};

/** A third-party tracker whose list holds one task of a status no tracker has, before a good one. */
async function trackerBadItem(): Promise<Opened> {
  const home = tempHome('th-conf-tracker-bad-');
  const stand = await startTrackerStandin({
    list: 'unnumbered',
    tasks: [
      { task_id: 't1', title: 'Lost', status: 'someday' },
      { task_id: 't2', title: 'Still shown', status: 'pending', priority: 'high' },
    ],
  });
  const source = home.open(
    { source: { adapter: 'tracker', servers: [stand.url] }, auth: { apiKey: 'standin-key' } },
    home.dir,
  );
  return {
    source,
    scope: scopeIn(home.dir),
    ids: [],
    close: async () => {
      await source.close();
      await stand.close();
      home.close();
    },
  };
}

export const tracker: Harness = {
  name: 'tracker',
  timeoutMs: 10_000,
  open: (tasks, extra = 0) => overHttp('tracker', tasks, extra),
  failing: 'speaks MCP over HTTP like agenthub, whose stand-in covers that transport',
  badItem: trackerBadItem,
};
