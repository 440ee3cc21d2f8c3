// Server claims follow the session: the monitor claims on the task server what a live session holds, renews it while
// the session lives, and gives it back when the session ends.
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { claimTask, registerSession } from '../../src/cache/live-sessions.js';
import { TaskSourceError } from '../../src/errors/task-source.js';
import { createClaimFollower, type ClaimOnServerFn } from '../../src/monitor/claims.js';
import { claimOnServer } from '../../src/network/index.js';
import { silentLogger } from '../helpers/cache.js';
import {
  demoProject,
  hookEnv,
  postToolUseInput,
  ROOMY_DEADLINES,
  ROOMY_SOURCE_TIMEOUT_MS,
  runHookHere,
  sessionStartInput,
} from '../helpers/hooks.js';
import { startReferenceServer } from '../helpers/reference-server.js';
import { makeRepoFor, taskOnServer } from './fixtures.js';
import { perTest, waitFor } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LEASE = 600;

async function world(claim: ClaimOnServerFn = claimOnServer) {
  const ref = await startReferenceServer();
  cleanups.push(() => ref.close());
  const project = demoProject({
    config: {
      source: { servers: [ref.url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
      auth: { token: ref.token },
      hooks: ROOMY_DEADLINES,
    },
  });
  cleanups.push(project.cleanup);
  const { home, repo } = project;
  const id = taskOnServer(ref.db, 'demo', 'Write the checkout page');
  const cache = openCache({ home });
  cleanups.push(() => cache.close());
  let now = Date.now();
  const follow = createClaimFollower({
    home,
    cache,
    log: silentLogger(),
    env: hookEnv(home),
    liveness: (at) => ({ now: at, idleMs: 60 * 60_000, alive: () => true }),
    claimOnServer: claim,
    now: () => now,
  });
  const live = { now, idleMs: 60 * 60_000, alive: () => true };
  registerSession(cache, { sessionId: 'sess-a', project: 'demo', branch: 'main', cwd: repo.dir, at: now });
  claimTask(cache, { project: 'demo', taskId: id, sessionId: 'sess-a', at: now }, live);
  const told = () =>
    cache.db.prepare('SELECT task_id, session_id, renewed_at FROM server_claims').all() as Array<{
      task_id: string;
      session_id: string;
      renewed_at: number;
    }>;
  return {
    ref,
    home,
    repo,
    id,
    store: cache,
    follow,
    told,
    clock: () => now,
    later: (ms: number) => {
      now += ms;
      // A hook saw the session meanwhile: it is still live.
      cache.db.prepare('UPDATE live_sessions SET last_seen = ?').run(now);
    },
  };
}

describe('server claims follow the session', () => {
  it('claims what a live session holds, renews it before its lease ends, and releases it when the session ends', async () => {
    const w = await world();
    const claimed = await w.follow();
    expect(claimed).toMatchObject({ claimed: 1, released: 0, failed: 0 });
    expect((await w.ref.store.getTask(w.id))?.claimedBy).toBe('test/sess-a');
    const first = w.told()[0]?.renewed_at ?? 0;
    // The monitor's one timer is set for the renewal.
    expect(claimed.nextAt).toBe(first + (LEASE * 1000) / 3);
    expect(w.told()).toEqual([{ task_id: w.id, session_id: 'sess-a', renewed_at: first }]);

    // Within a third of the lease nothing is asked of the server.
    w.later(10_000);
    expect(await w.follow()).toMatchObject({ claimed: 0, released: 0, failed: 0 });
    // After it, the claim is renewed.
    w.later((LEASE * 1000) / 3);
    expect(await w.follow()).toMatchObject({ claimed: 1, released: 0, failed: 0 });
    expect(w.told()[0]?.renewed_at).toBeGreaterThan(first);

    // The session ends: the claim goes back to the server at the next wake.
    await runHookHere(
      'session-end',
      { session_id: 'sess-a', cwd: w.repo.dir, hook_event_name: 'SessionEnd', reason: 'exit' },
      { home: w.home, cwd: w.repo.dir },
    );
    expect(await w.follow()).toEqual({ claimed: 0, released: 1, failed: 0 });
    expect((await w.ref.store.getTask(w.id))?.claimedBy).toBeNull();
    expect(w.told()).toEqual([]);
  });

  it('asks a server that keeps no claims once, a refusing one after a third of the lease, a dropped one never', async () => {
    let calls = 0;
    const noClaims = await world(async () => {
      calls++;
      throw new TaskSourceError('config', 'this source cannot keep claims', { short: 'cannot keep claims' });
    });
    expect(await noClaims.follow()).toMatchObject({ claimed: 0, released: 0, failed: 1 });
    noClaims.later(LEASE * 1000);
    expect(await noClaims.follow()).toMatchObject({ claimed: 0, released: 0, failed: 0 });
    expect(calls).toBe(1);

    let refusals = 0;
    const taken = await world(async () => {
      refusals++;
      throw new TaskSourceError('server', 'Task is claimed by dana/s-9 until later', { short: 'claimed' });
    });
    expect((await taken.follow()).failed).toBe(1);
    taken.later(10_000);
    expect((await taken.follow()).failed).toBe(0);
    taken.later((LEASE * 1000) / 3);
    expect((await taken.follow()).failed).toBe(1);
    expect(refusals).toBe(2);
    expect(taken.told()).toEqual([]);

    // A claim told to a server the project no longer uses is not released there: its lease lets it go.
    let releases = 0;
    const moved = await world(async () => {
      releases++;
    });
    moved.store.db
      .prepare('INSERT INTO server_claims VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('http://127.0.0.1:9/old', 'demo', 'TASK-9', 'sess-gone', moved.repo.dir, LEASE, Date.now());
    expect(await moved.follow()).toMatchObject({ claimed: 1, released: 0, failed: 0 });
    expect(releases).toBe(1);
    expect(moved.told().map((t) => t.task_id)).toEqual([moved.id]);
  });

  it('tries a server out of reach again shortly, and lets a release go once its lease is over', async () => {
    let reachable = false;
    const w = await world(async (args) => {
      if (!reachable)
        throw new TaskSourceError('unavailable', 'connect ECONNREFUSED', { short: 'down', transient: true });
      await claimOnServer(args);
    });
    const missed = await w.follow();
    expect(missed).toEqual({ claimed: 0, released: 0, failed: 1, nextAt: w.clock() + 30_000 });
    expect(w.told()).toEqual([]);
    reachable = true;
    w.later(30_000);
    expect(await w.follow()).toMatchObject({ claimed: 1, released: 0, failed: 0 });

    await runHookHere(
      'session-end',
      { session_id: 'sess-a', cwd: w.repo.dir, hook_event_name: 'SessionEnd', reason: 'exit' },
      { home: w.home, cwd: w.repo.dir },
    );
    reachable = false;
    // Kept while the server may still hold it, and asked again shortly.
    const kept = await w.follow();
    expect(kept).toMatchObject({ claimed: 0, released: 0, failed: 1 });
    expect(kept.nextAt).toBe(w.clock() + 30_000);
    expect(w.told().map((t) => t.session_id)).toEqual(['sess-a']);
    // Once its lease is over the server has let it go: given up, not asked again.
    w.later(LEASE * 1000);
    expect(await w.follow()).toEqual({ claimed: 0, released: 0, failed: 1 });
    expect(w.told()).toEqual([]);
  });
});

const t = perTest();

async function until(what: string, fn: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the running monitor and server claims (real processes)', () => {
  it('a task Claude starts becomes the session’s claim on the server, and is given back when the session ends', async () => {
    const ref = await startReferenceServer();
    t.undo(() => ref.close());
    const m = t.home({
      source: { servers: [ref.url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
      auth: { token: ref.token },
      hooks: ROOMY_DEADLINES,
    });
    const repo = makeRepoFor('shop');
    t.undo(repo.cleanup);
    const id = taskOnServer(ref.db, 'shop', 'Write the checkout page');
    m.run();
    await waitFor('the monitor to come up', () => m.info()?.pid);
    expect((await runHookHere('session-start', sessionStartInput(repo.dir, 'sess-a'), { home: m.home })).code).toBe(0);

    // Claude starts the task through the server's tool; PostToolUse claims it for the session, the monitor tells the server.
    const answer = [
      {
        type: 'text',
        text: JSON.stringify({
          success: true,
          data: { task: { id, title: 'Write the checkout page', status: 'in_progress', priority: 'medium' } },
        }),
      },
    ];
    const post = await runHookHere(
      'post-tool-use',
      postToolUseInput(
        repo.dir,
        'mcp__taskhooks__manage_task',
        { action: 'update', task_id: id, status: 'in_progress' },
        answer,
        'sess-a',
      ),
      { home: m.home },
    );
    expect(post.code).toBe(0);
    await until(
      'the server to hold the session’s claim',
      async () => (await ref.store.getTask(id))?.claimedBy === 'test/sess-a',
    );

    await runHookHere(
      'session-end',
      { session_id: 'sess-a', cwd: repo.dir, hook_event_name: 'SessionEnd', reason: 'exit' },
      { home: m.home },
    );
    await until('the server to let the claim go', async () => (await ref.store.getTask(id))?.claimedBy === null);
  });
});
