// What the hook token opens, on a real monitor. Claude Code puts it in every session's environment, where a session's
// model can read it: it posts hook events for registered projects, and nothing more. No dashboard sign-in, no
// registering or reading a folder no owner-only route registered, and a SessionStart anywhere registers at most
// SESSION_PROJECT_LIMIT projects.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listProjects, SESSION_PROJECT_LIMIT } from '../../src/cache/registered-projects.js';
import { homeFiles } from '../../src/home/files.js';
import { sessionStartInput, withHomeCache } from '../helpers/hooks.js';
import { makeRepoFor } from './fixtures.js';
import { perTest } from './helpers.js';

const t = perTest();

function startMonitor() {
  const m = t.home({});
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  const info = m.info();
  if (!info?.hookPort || !info.hookSocket) throw new Error('no hook port or socket after monitor start');
  const files = homeFiles(m.home);
  const hookToken = readFileSync(files.hookToken, 'utf8').trim();
  const base = `http://127.0.0.1:${info.hookPort}`;
  /** SessionStart posted as a session's model could, with the token from its environment. */
  const withToken = async (input: object) =>
    (await fetch(`${base}/hooks/session-start`, {
      method: 'POST',
      headers: { 'x-taskhooks-token': hookToken, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    }).then((r) => r.text())) as string;
  /** SessionStart as the installed hook posts it: on the home's owner-only socket. */
  const onSocket = (input: object) =>
    new Promise<string>((resolve, reject) => {
      const req = http.request(
        { socketPath: info.hookSocket, path: '/hooks/session-start', method: 'POST', headers: { host: 'localhost' } },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
  const roots = () => withHomeCache(m.home, (c) => listProjects(c).map((p) => p.root));
  return { m, base, hookToken, files, withToken, onSocket, roots };
}

describe('the hook token', () => {
  it('gets no dashboard sign-in; the owner-only dashboard token does', async () => {
    const { base, hookToken, files } = startMonitor();
    const link = (headers: Record<string, string>) => fetch(`${base}/dashboard/link`, { method: 'POST', headers });
    expect((await link({ 'x-taskhooks-token': hookToken })).status).toBe(401);
    expect((await link({ 'x-taskhooks-dashboard-token': hookToken })).status).toBe(401);
    const owner = readFileSync(files.dashboardToken, 'utf8').trim();
    expect(owner).not.toBe(hookToken);
    const ok = await link({ 'x-taskhooks-dashboard-token': owner });
    expect(ok.status).toBe(200);
  });

  it("neither registers nor answers a folder no owner-only route registered; the socket's SessionStart does", async () => {
    const { m, withToken, onSocket, roots } = startMonitor();
    const repo = makeRepoFor('hidden');
    t.undo(repo.cleanup);
    expect(m.cli(['tasks', 'add', 'Rotate the payroll keys'], repo.dir).code).toBe(0);
    // Forgotten by the monitor, its tasks still in the store.
    expect(m.cli(['uninstall'], repo.dir).code).toBe(0);
    expect(roots()).not.toContain(repo.dir);
    const forged = await withToken(sessionStartInput(repo.dir, 'forged'));
    expect(forged).not.toContain('Rotate the payroll keys');
    expect(roots()).not.toContain(repo.dir);
    const owned = await onSocket(sessionStartInput(repo.dir, 'owned'));
    expect(owned).toContain('Rotate the payroll keys');
    expect(roots()).toContain(repo.dir);
    // Once registered, the token's events for it are answered.
    expect(await withToken(sessionStartInput(repo.dir, 'later'))).toContain('Rotate the payroll keys');
  });

  it(`leaves the ${SESSION_PROJECT_LIMIT + 1}st registration by a SessionStart undone`, async () => {
    const { m, onSocket, roots } = startMonitor();
    for (let i = 0; i < SESSION_PROJECT_LIMIT; i++) m.register(path.join(m.home, 'fake', String(i)), `fake-${i}`);
    const repo = makeRepoFor('one-more');
    t.undo(repo.cleanup);
    await onSocket(sessionStartInput(repo.dir, 'one-more'));
    expect(roots()).toHaveLength(SESSION_PROJECT_LIMIT);
    expect(roots()).not.toContain(repo.dir);
    // Install is the person's own word: it registers beyond the limit.
    expect(m.cli(['install'], repo.dir).code).toBe(0);
    expect(roots()).toContain(repo.dir);
  });
});
