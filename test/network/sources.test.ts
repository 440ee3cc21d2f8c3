// The adapters against the real reference server on 127.0.0.1: agenthub tools (static token), the task-tracking
// tools (API key), the embedded store in-process, and the CLI on top. OIDC client credentials: test/auth/.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvGet, kvSet } from '../../src/cache/kv.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { createFileLogger, type FileLogger } from '../../src/log/index.js';
import { refreshTasks } from '../../src/network/index.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { taskSourceFailure } from '../helpers/errors.js';
import { runCli, runCliOk } from '../helpers/cli.js';
import { openSource } from '../../src/sources/open.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { sourceOf } from '../helpers/settings.js';

let server: ReferenceServer;
let home: string;
let cache: Cache;
let logger: FileLogger;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startReferenceServer({
    seed: (db) => {
      const p = db.createProject({ name: 'demo' });
      const main = db.createBranch({ projectId: p.id, name: 'main' });
      const feature = db.createBranch({ projectId: p.id, name: 'feature/login' });
      ids.low = db.createTask({ projectId: p.id, gitBranchId: main.id, title: 'Tidy docs', priority: 'low' }).id;
      ids.urgent = db.createTask({ projectId: p.id, gitBranchId: main.id, title: 'Fix outage', priority: 'urgent' }).id;
      ids.done = db.createTask({ projectId: p.id, gitBranchId: main.id, title: 'Old work', status: 'done' }).id;
      ids.feature = db.createTask({
        projectId: p.id,
        gitBranchId: feature.id,
        title: 'Login form',
        priority: 'high',
      }).id;
      // More finished tasks than one list page holds, all listed before the one open task.
      const busy = db.createProject({ name: 'busy' });
      const busyMain = db.createBranch({ projectId: busy.id, name: 'main' });
      db.createTasks(
        Array.from({ length: 120 }, (_, i) => ({
          projectId: busy.id,
          gitBranchId: busyMain.id,
          title: `Shipped ${i}`,
          priority: 'critical' as const,
          status: 'done' as const,
        })),
      );
      ids.busyOpen = db.createTask({
        projectId: busy.id,
        gitBranchId: busyMain.id,
        title: 'Still open',
        priority: 'low',
      }).id;
    },
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'th-sources-'));
  cache = openCache({ home });
  logger = createFileLogger({ home, file: 'cli.log', sync: true, level: 'debug' });
});

afterAll(async () => {
  cache?.close();
  await server?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const scope = (branch: string, project = 'demo') => ({ projectRoot: home, project, branch });
const staticConfig = () => ConfigSchema.parse({ source: { servers: [server.url] }, auth: { token: server.token } });

describe('agenthub adapter (static token)', () => {
  it('maps the branch to its git_branch_id and lists its open tasks, most urgent first', async () => {
    const src = openSource({ source: sourceOf(staticConfig()), home, cache, log: logger.logger, projectRoot: home });
    const main = await src.pending(scope('main'));
    expect(main.tasks.map((t) => t.id)).toEqual([ids.urgent, ids.low]);
    expect(main.note).toBeUndefined();
    expect((await src.next(scope('main')))?.id).toBe(ids.urgent);
    const feature = await src.pending(scope('feature/login'));
    expect(feature.tasks.map((t) => t.title)).toEqual(['Login form']);
    await src.close();
  });

  it('a cached project id the server no longer knows is looked up again', async () => {
    kvSet(cache, `agenthub:${server.url}:project:demo`, 'project-since-deleted', 3600);
    const src = openSource({ source: sourceOf(staticConfig()), home, cache, log: logger.logger, projectRoot: home });
    expect((await src.pending(scope('main'))).tasks.map((t) => t.id)).toContain(ids.urgent);
    expect(kvGet(cache, `agenthub:${server.url}:project:demo`)).not.toBe('project-since-deleted');
    await src.close();
  });

  it('finds an open task listed after more than a page of finished ones', async () => {
    const src = openSource({ source: sourceOf(staticConfig()), home, cache, log: logger.logger, projectRoot: home });
    expect((await src.pending(scope('main', 'busy'))).tasks.map((t) => t.id)).toEqual([ids.busyOpen]);
    await src.close();
  });

  it("falls back to every branch's tasks, and says so, when no task is tied to the branch", async () => {
    const src = openSource({ source: sourceOf(staticConfig()), home, cache, log: logger.logger, projectRoot: home });
    const result = await src.pending(scope('spike/unknown'));
    expect(result.tasks.map((t) => t.id).sort()).toEqual([ids.urgent, ids.low, ids.feature].sort());
    expect(result.note).toMatch(/no task is tied to branch spike\/unknown yet/);
    await src.close();
  });

  it('gets, starts, completes and creates tasks; an unknown id is "Task not found"', async () => {
    const src = openSource({ source: sourceOf(staticConfig()), home, cache, log: logger.logger, projectRoot: home });
    // The server's other projects hold the same ids (each counts its own): the call names its project.
    const demo = { project: 'demo' };
    expect((await src.get(ids.low as string, demo)).title).toBe('Tidy docs');
    expect((await src.setStatus(ids.low as string, 'in_progress', demo)).status).toBe('in_progress');
    expect((await src.setStatus(ids.low as string, 'done', { ...demo, note: 'docs tidied' })).status).toBe('done');
    const created = await src.create(scope('main'), { title: 'Write release notes', priority: 'high' });
    expect(created.status).toBe('todo');
    expect((await src.pending(scope('main'))).tasks.map((t) => t.id)).toContain(created.id);
    const missing = await taskSourceFailure(src.get('TASK-999'));
    expect(missing.kind).toBe('not_found');
    expect(missing.message).toBe('Task not found: TASK-999');
    await src.close();
  });

  it('refreshTasks writes the snapshot', async () => {
    const snap = await refreshTasks({
      source: sourceOf(staticConfig()),
      home,
      cache,
      log: logger.logger,
      scope: scope('feature/login'),
      deadline: deadlineIn(5000),
    });
    expect(snap.source).toBe(server.url);
    expect(
      readSnapshot(cache, { sourceKey: server.url, project: 'demo', branch: 'feature/login' })?.tasks.map((t) => t.id),
    ).toEqual([ids.feature]);
    expect(snap.next?.id).toBe(ids.feature);
  });

  it('refreshTasks logs the note a list came with, and keeps it on the snapshot', async () => {
    const snap = await refreshTasks({
      source: sourceOf(staticConfig()),
      home,
      cache,
      log: logger.logger,
      scope: scope('spike/unnoted'),
      deadline: deadlineIn(5000),
    });
    expect(snap.note).toMatch(/no task is tied to branch spike\/unnoted yet/);
    logger.flush();
    const logged = readFileSync(logger.file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('came with a note'));
    expect(logged.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({ branch: 'spike/unnoted', note: snap.note, kept: snap.tasks.length }),
    );
  });

  it("refreshTasks records a source it cannot open as the snapshot's last error, as it does a failed call", async () => {
    const noSecret = ConfigSchema.parse({
      source: { servers: [server.url] },
      auth: { issuer: 'https://issuer.invalid', clientId: 'claude-hooks' },
    });
    const source = sourceOf(noSecret);
    const err = await taskSourceFailure(
      refreshTasks({
        source,
        home,
        cache,
        log: logger.logger,
        scope: scope('main', 'unopened'),
        deadline: deadlineIn(5000),
      }),
    );
    expect(err.short).toBe('client secret missing');
    expect(readSnapshot(cache, { sourceKey: source.key, project: 'unopened', branch: 'main' })).toMatchObject({
      tasks: [],
      lastError: err.message,
    });
  });
});

describe('tracker adapter (API key)', () => {
  it('reads the next task, adds tasks and updates their status (the key in the default X-API-Key header)', async () => {
    const config = ConfigSchema.parse({
      source: { adapter: 'tracker', trackingUrl: server.url },
      auth: { apiKey: server.token },
    });
    const src = openSource({ source: sourceOf(config), home, cache, log: logger.logger, projectRoot: home });
    const added = await src.create(scope('', 'tracked'), { title: 'Generate HLS-006', priority: 'high' });
    expect((await src.next(scope('', 'tracked')))?.id).toBe(added.id);
    expect((await src.setStatus(added.id, 'done', { note: 'Done', project: 'tracked' })).status).toBe('done');
    expect(await src.next(scope('', 'tracked'))).toBeNull();
    const missing = await taskSourceFailure(src.setStatus('TASK-999', 'done'));
    expect(missing.message).toBe('Task not found: TASK-999');
    await src.close();
  });

  it('fails fast when no API key is set', () => {
    const config = ConfigSchema.parse({ source: { adapter: 'tracker', trackingUrl: server.url } });
    expect(() => openSource({ source: sourceOf(config), home, cache, log: logger.logger, projectRoot: home })).toThrow(
      /TASK_TRACKING_API_KEY/,
    );
  });
});

describe('embedded store and the tasks CLI', () => {
  it('works in-process on $TASKHOOKS_HOME/tasks.db with nothing configured', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'th-embedded-'));
    const ownStore = openCache({ home: own });
    const src = openSource({
      source: sourceOf(ConfigSchema.parse({})),
      home: own,
      cache: ownStore,
      log: logger.logger,
      projectRoot: own,
    });
    const t = await src.create(scope('main', 'fresh'), { title: 'First task' });
    expect((await src.pending(scope('main', 'fresh'))).tasks.map((x) => x.id)).toEqual([t.id]);
    expect(src.server()).toBe('built-in store');
    await src.close();
    ownStore.close();
    rmSync(own, { recursive: true, force: true });
  });

  it('taskhooks tasks add/list/start/done on a --db file and on a remote server', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-cli-'));
    const project = path.join(dir, 'webapp');
    mkdirSync(path.join(project, '.git'), { recursive: true });
    writeFileSync(path.join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const env = { ...process.env, TASKHOOKS_HOME: path.join(dir, 'home'), HOME: dir, NO_COLOR: '1' };
    const options = (extra: Record<string, string>) => ({ cwd: project, env: { ...env, ...extra } });
    const cli = (args: string[], extra: Record<string, string> = {}) => runCliOk(args, options(extra));
    const db = path.join(dir, 'tasks.db');
    const added = JSON.parse(
      (await cli(['tasks', 'add', 'Ship', 'it', '--priority', 'high', '--db', db, '--json'])).stdout,
    ) as { id: string };
    const table = (await cli(['tasks', 'list', '--db', db])).stdout;
    expect(table).toMatch(/^ID\s+STATUS\s+PRIORITY\s+BRANCH\s+TITLE/);
    expect(table).toMatch(new RegExp(`${added.id}\\s+todo\\s+high\\s+every branch\\s+Ship it`));
    expect((await cli(['tasks', 'start', added.id, '--db', db])).stdout).toContain('in_progress');
    expect((await cli(['tasks', 'done', added.id, '--db', db, '--note', 'shipped'])).stdout).toContain(
      `Done ${added.id}`,
    );
    const after = JSON.parse((await cli(['tasks', 'list', '--db', db, '--json'])).stdout) as {
      tasks: unknown[];
      project: string;
    };
    expect(after).toMatchObject({ project: 'webapp', tasks: [] });

    const remote = { MCP_SERVER_URL: server.url, MCP_API_TOKEN: server.token };
    const listed = JSON.parse((await cli(['tasks', 'list', '--project', 'demo', '--json'], remote)).stdout) as {
      source: string;
      tasks: Array<{ id: string }>;
    };
    expect(listed.source).toBe(server.url);
    expect(listed.tasks.map((t) => t.id)).toContain(ids.urgent);
    // The directory is project webapp: demo's tasks are named with --project.
    const shown = (await cli(['tasks', 'show', ids.urgent as string, '--project', 'demo'], remote)).stdout;
    expect(shown).toMatch(/title\s+Fix outage/);
    // The server names branches by id; the CLI shows the name.
    expect(shown).toMatch(/^branch\s+main$/m);
    const next = (await cli(['tasks', 'next', '--project', 'demo', '--branch', 'feature/login'], remote)).stdout;
    expect(next).toMatch(/^title\s+Login form$/m);
    expect(next).toMatch(/^branch\s+feature\/login$/m);
    await cli(['tasks', 'block', ids.feature as string, '--note', 'needs the design', '--project', 'demo'], remote);
    expect((await cli(['tasks', 'show', ids.feature as string, '--project', 'demo'], remote)).stdout).toMatch(
      /^notes\s+blocked: needs the design$/m,
    );
    const notFound = await runCli(['tasks', 'show', 'TASK-999'], options(remote));
    expect(notFound).toMatchObject({ code: 3 });
    expect(notFound.stderr).toContain('Task not found: TASK-999');
    rmSync(dir, { recursive: true, force: true });
  });
});
