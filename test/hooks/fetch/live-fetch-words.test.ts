// What a hook tells the session when it could not get the tasks live: the problem is said by what it means for the
// session's tasks, never by taskhooks' own parts (its cache, its monitor, its breakers and leases), and the rendered
// context says the tasks' age in the same words. Each way a live read can fail is reached by standing in for the
// cache, the monitor and the breakers it asks.
import { afterEach, describe, expect, it, vi } from 'vitest';

const world = vi.hoisted(() => ({
  monitor: false,
  cacheBusy: false,
  leaseTaken: false,
  breakerOpen: false as false | { lastError?: string },
}));

vi.mock('../../../src/cache/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/cache/index.js')>()),
  isProjectRegistered: () => world.monitor,
  requestSnapshotFetch: () => {
    if (world.cacheBusy) throw new Error('database is locked');
  },
  fetchLeaseHeld: () => world.leaseTaken,
  takeFetchLease: () => !world.leaseTaken,
  releaseFetchLease: () => undefined,
  readSnapshot: () => undefined,
}));
vi.mock('../../../src/home/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/home/index.js')>()),
  readLiveOwner: () => (world.monitor ? { pid: 1 } : undefined),
  wakeMonitor: () => undefined,
}));
vi.mock('../../../src/resilience/index.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/resilience/index.js')>()),
  isSourceBreakerOpen: () => (world.breakerOpen ? { open: true, ...world.breakerOpen } : { open: false }),
}));

const { liveSnapshot } = await import('../../../src/hooks/fetch/live-fetch.js');
const { renderContext } = await import('../../../src/context/render.js');
const { settingsOf } = await import('../../helpers/settings.js');
const { silentLogger } = await import('../../helpers/cache.js');
const { task } = await import('../../helpers/hooks.js');
const { cleanGitState } = await import('../../helpers/git.js');

/** taskhooks' own parts, which a session has no use for and a person never asked about. */
const INTERNAL = /\b(monitor|cached?|circuit|breaker|leases?|fetch(es|ed|ing)?)\b/i;

const scope = { projectRoot: '/r', project: 'demo', branch: 'main' };

async function problemOf(deadlineMs: number): Promise<string> {
  const settings = settingsOf({ hooks: { preToolUseDeadlineMs: deadlineMs } });
  const result = await liveSnapshot({
    hook: 'PreToolUse',
    settings,
    cache: {} as never,
    log: silentLogger(),
    scope,
    startedAt: Date.now(),
    seenFetchedAt: 0,
  });
  if (result.ok) throw new Error('expected the live read to fail');
  return result.problem;
}

/**
 * The context as a session starting then would read it: earlier tasks with news of a change, no tasks at all, and
 * tasks and git state as they were a moment ago.
 */
function contexts(problem: string | undefined): string[] {
  const snapshot = { sourceKey: 'k', project: 'demo', branch: 'main', fetchedAt: 0, source: 's', next: null };
  const tasks = [task('T-1'), task('T-2', { status: 'blocked' })];
  const common = { scope, git: undefined, alerts: [], maxPending: 5, budget: 4000, now: Date.now() };
  const why = problem === undefined ? {} : { problem };
  const blocked = {
    id: 1,
    sourceKey: 'k',
    project: 'demo',
    kind: 'task_blocked' as const,
    taskId: 'T-2',
    message: 'Task blocked: Task T-2 (id T-2) was in progress',
    createdAt: 0,
  };
  return [
    renderContext({
      ...common,
      snapshot: { ...snapshot, tasks },
      freshness: { kind: 'stale', ageMs: 60_000, ...why },
      alerts: [blocked],
    }).text,
    renderContext({ ...common, snapshot: undefined, freshness: { kind: 'none', ...why } }).text,
    renderContext({
      ...common,
      snapshot: { ...snapshot, tasks, source: 'built-in store via the monitor' },
      freshness: { kind: 'cached', ageMs: 13_000 },
      git: cleanGitState(),
      gitAgeMs: 5_000,
    }).text,
  ];
}

afterEach(() => {
  Object.assign(world, { monitor: false, cacheBusy: false, leaseTaken: false, breakerOpen: false });
});

describe("a failed live read is told in the session's words", () => {
  it('the state directory too busy to ask for newer tasks', async () => {
    Object.assign(world, { monitor: true, cacheBusy: true });
    const problem = await problemOf(1000);
    expect(problem).toBe('could not check for newer tasks just now');
    for (const text of contexts(problem)) expect(text).not.toMatch(INTERNAL);
  });

  it('no answer in time, whoever was asking', async () => {
    Object.assign(world, { monitor: true, leaseTaken: true });
    const asked = await problemOf(200);
    expect(asked).toBe('the task server gave no answer within 200 ms');
    Object.assign(world, { monitor: false, leaseTaken: true });
    const shared = await problemOf(200);
    expect(shared).toBe('the task server gave no answer within 200 ms');
    Object.assign(world, { leaseTaken: false });
    const late = await problemOf(100);
    expect(late).toBe('no time left to ask the task server within 100 ms');
    for (const problem of [asked, shared, late])
      for (const text of contexts(problem)) expect(text).not.toMatch(INTERNAL);
  });

  it('the task server failing of late, with or without its last error', async () => {
    world.breakerOpen = {};
    const unnamed = await problemOf(1000);
    expect(unnamed).toBe('task server unreachable (its last attempts failed)');
    world.breakerOpen = { lastError: 'connection refused' };
    expect(await problemOf(1000)).toBe('task server unreachable (connection refused)');
    for (const text of contexts(unnamed)) expect(text).not.toMatch(INTERNAL);
  });

  it('tasks read earlier with no problem named, news of a change, none read at all, and their age', () => {
    const [stale, none, recent] = contexts(undefined);
    expect(stale).toContain('Tasks as of 1 min ago (they may have changed since)');
    expect(stale).toContain('Task changes:\n- Task blocked: Task T-2 (id T-2) was in progress');
    expect(none).toContain('No tasks read yet for this branch');
    expect(recent).toContain('2 pending tasks (as of 13 s ago, from built-in store).');
    expect(recent).toContain('\nGit (as of 5 s ago): branch main');
    for (const text of [stale, none, recent]) expect(text).not.toMatch(INTERNAL);
  });
});
