// One fetch for many sessions: SessionStarts started at once on a cold cache all inject the tasks, fetched by the
// running monitor on request or, without one, once by the hook holding the cache's lease. Here, not in the unit suite:
// this suite runs one file at a time, and a herd on two cores measures the machine as much as the code.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoProject, ROOMY_DEADLINES, runHook, sessionStartInput } from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { makeRepoFor } from '../monitor/fixtures.js';
import { monitorHome, waitFor } from '../monitor/helpers.js';

const NEVER = '0 0 1 1 *';

let server: ReferenceServer;
beforeAll(async () => {
  server = await startReferenceServer({
    seed: (db) => {
      const p = db.createProject({ name: 'demo' });
      const main = db.createBranch({ projectId: p.id, name: 'main' });
      db.createTask({
        projectId: p.id,
        gitBranchId: main.id,
        title: 'Refund flow',
        priority: 'high',
        status: 'in_progress',
      });
      db.createTask({ projectId: p.id, gitBranchId: main.id, title: 'Retry webhooks' });
    },
  });
});
afterAll(async () => server?.close());
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** The reference server's fetches of the project list: one per fetch (it lists the project, branches, tasks, next). */
const projectLists = (): number =>
  readFileSync(server.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"tool":"manage_project"') && l.includes(`"action":"list"`)).length;

/** n SessionStarts at once in `dir`: every one carries both tasks, and no hook logged a failed fetch. */
async function herd(n: number, home: string, dir: string): Promise<void> {
  const runs = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      runHook('session-start', sessionStartInput(dir, `herd-${i}`), { home, cwd: dir }),
    ),
  );
  const log = path.join(home, 'logs', 'hooks.log');
  const logged = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  for (const run of runs) {
    expect(run.code).toBe(0);
    const text = run.output?.hookSpecificOutput.additionalContext ?? '';
    // A hook without the tasks is told with all it left: its answer, its stderr, its time and the hooks' log.
    const told = `${JSON.stringify({ stdout: run.stdout, stderr: run.stderr, ms: run.ms })}\n${logged().slice(-6000)}`;
    expect(text, told).toContain('2 pending tasks');
    expect(text).toContain('"Refund flow"');
    expect(text).toContain('"Retry webhooks"');
  }
  expect(logged()).not.toContain('live fetch failed');
}

describe('concurrent cold SessionStarts', () => {
  // The usual case: a monitor runs (the first session started it). The hooks ask it: the monitor fetches, and a hook
  // fetches on its own only when the monitor has not taken the fetch up in time, which at most one may find.
  it.each([8, 16])(
    '%i started at once with a monitor running all carry the tasks, fetched by the monitor',
    async (n) => {
      const m = monitorHome({
        source: { servers: [server.url] },
        auth: { token: server.token },
        hooks: ROOMY_DEADLINES,
        monitor: { taskSchedule: NEVER, gitSchedule: NEVER },
      });
      cleanups.push(m.cleanup);
      expect(m.cli(['monitor', 'start']).code).toBe(0);
      // A monitor that has run a while: the network stack loaded after its start.
      const monitorLog = path.join(m.home, 'logs', 'monitor.log');
      // The detached monitor creates its log once it runs: until then there is nothing to read.
      await waitFor(
        'the monitor ready to fetch',
        () => existsSync(monitorLog) && readFileSync(monitorLog, 'utf8').includes('ready: the network stack'),
      );
      const repo = makeRepoFor('demo');
      cleanups.push(repo.cleanup);
      const before = projectLists();
      await herd(n, m.home, repo.dir);
      // The monitor's fetch for the new project, perhaps one more for the hooks' requests: no hook fetched on its own.
      expect(projectLists() - before).toBeLessThanOrEqual(2);
    },
  );

  // No monitor: the first hook to find the project cold fetches, holding a lease; the others wait for its snapshot.
  it('8 started at once without a monitor all carry the tasks, fetched once', async () => {
    const project = demoProject({
      config: { source: { servers: [server.url] }, auth: { token: server.token }, hooks: ROOMY_DEADLINES },
    });
    cleanups.push(project.cleanup);
    const before = projectLists();
    await herd(8, project.home, project.repo.dir);
    expect(projectLists() - before).toBe(1);
  });
});
