// Azure DevOps Boards as a user meets it: `install --source azure-devops` in a checkout cloned from a collection on the
// stand-in's host (an Azure DevOps Server's URL, AZURE_DEVOPS_ORG_URL), then the built SessionStart hook, `tasks` and
// `doctor` against the loopback stand-in: the viewer's open work items across batches, the branch's first with its
// priority and due date, notes and states written back, failures in one line with their fix, the token nowhere.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startAzureStandin, type AzureStandin } from '../helpers/azure-standin.js';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';
import { filesUnder, hookEnv, runHook, sessionStartInput, writeConfig } from '../helpers/hooks.js';
import { runCli, type CliRun } from '../helpers/cli.js';

let standin: AzureStandin;
let repo: TempRepo;
let dir: string;

beforeAll(async () => {
  standin = await startAzureStandin({ collection: 'tfs/DefaultCollection' });
});
afterAll(() => standin.close());
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'th-azure-cli-'));
  repo = makeRepo({ name: 'widgets', branch: '103-fix-login' });
  git(repo.dir, 'remote', 'add', 'origin', `${standin.orgUrl}/Widgets/_git/widgets`);
  // Nothing of Azure DevOps in it: only a hook deadline a machine shared by parallel test runs can keep.
  writeConfig(home(), { hooks: { sessionStartDeadlineMs: 25_000 } });
});
afterEach(() => {
  expect(standin.invalid).toEqual([]);
  standin.reset();
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const home = () => path.join(dir, 'th');
const env = (more: Record<string, string> = {}): Record<string, string> => ({
  HOME: path.join(dir, 'home'),
  NO_COLOR: '1',
  AZURE_DEVOPS_ORG_URL: standin.orgUrl,
  AZURE_DEVOPS_EXT_PAT: standin.token,
  ...more,
});

const cli = (more: Record<string, string>, ...args: string[]): Promise<CliRun> =>
  runCli(args, { cwd: repo.dir, env: hookEnv(home(), env(more)) });

/** Every file under `root` whose bytes hold `secret`. */
const holding = (root: string, secret: string): string[] =>
  filesUnder(root).filter((f) => statSync(f).isFile() && readFileSync(f).includes(secret));

it('install, then the session, tasks and writes: yours across batches, the branch’s first, the token nowhere', async () => {
  standin.addItem({ title: 'Urgent outage', state: 'Active', priority: 1 });
  standin.addItem({ title: 'Theirs', assignedTo: standin.other.uniqueName });
  standin.addItem({ title: 'Fix login', priority: 2, dueDate: '2026-12-24T00:00:00Z' });
  standin.addItem({ title: 'Old work', state: 'Closed' });
  for (let i = 0; i < 205; i++) standin.addItem({ title: `Bulk ${i}`, priority: 4 });

  const installed = await cli({}, 'install', '--source', 'azure-devops');
  expect(installed.code, installed.stderr).toBe(0);
  expect(installed.stdout).toContain(
    `Widgets at ${standin.orgUrl} (AZURE_DEVOPS_ORG_URL and origin), token from AZURE_DEVOPS_EXT_PAT`,
  );

  const start = await runHook('session-start', sessionStartInput(repo.dir), {
    home: home(),
    cwd: repo.dir,
    env: env(),
    timeoutMs: 40_000,
  });
  const context = start.output?.hookSpecificOutput.additionalContext ?? '';
  expect(context).toMatch(/"Fix login" .*due 2026-12-24/);
  expect(context.indexOf('Fix login')).toBeLessThan(context.indexOf('Urgent outage'));
  expect(context).not.toContain('Theirs');
  expect(context).not.toContain('Old work');

  const listed = JSON.parse((await cli({}, 'tasks', 'list', '--json')).stdout) as { tasks: { id: string }[] };
  expect(listed.tasks.map((t) => t.id)).toHaveLength(207);
  expect(listed.tasks[0]?.id).toBe('103');

  expect((await cli({}, 'tasks', 'note', '103', 'Traced it to the cookie')).code).toBe(0);
  expect((await cli({}, 'tasks', 'start', '103')).code).toBe(0);
  expect(standin.items[2]?.state).toBe('Active');
  expect((await cli({}, 'tasks', 'done', '103')).code).toBe(0);
  expect(standin.items[2]).toMatchObject({ state: 'Closed', comments: ['Traced it to the cookie'] });
  expect((await cli({}, 'tasks', 'show', '103')).stdout).toContain('Traced it to the cookie');

  for (const where of [dir, repo.dir]) expect(holding(where, standin.token)).toEqual([]);
  expect(start.stderr + installed.stdout + installed.stderr).not.toContain(standin.token);
  // Every request carried it, to the collection's origin: the only one there is.
  expect(
    standin.requests.every((r) => r.authorization === `Basic ${Buffer.from(`:${standin.token}`).toString('base64')}`),
  ).toBe(true);
}, 120_000);

it('install says in one line what is missing: the token, or an organization URL for a server’s origin', async () => {
  const noToken = await cli({ AZURE_DEVOPS_EXT_PAT: '' }, 'install', '--source', 'azure-devops');
  expect(noToken.code).toBe(2);
  expect(noToken.stderr.trim().split('\n')).toHaveLength(1);
  expect(noToken.stderr).toContain(`no Azure DevOps token for ${standin.orgUrl}: set AZURE_DEVOPS_EXT_PAT`);
  const noOrg = await cli({ AZURE_DEVOPS_ORG_URL: '' }, 'install', '--source', 'azure-devops');
  expect(noOrg.stderr.trim().split('\n')).toHaveLength(1);
  expect(noOrg.stderr).toContain(`set AZURE_DEVOPS_ORG_URL=${standin.orgUrl} (its collection URL)`);
  expect(standin.requests).toEqual([]);
});

it('says a bad token, a missing project and a rate limit each in one line with its fix', async () => {
  expect((await cli({}, 'install', '--source', 'azure-devops')).code).toBe(0);
  const bad = await cli({ AZURE_DEVOPS_EXT_PAT: 'wrong-token-0000' }, 'tasks', 'list');
  expect(bad.code).not.toBe(0);
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  expect(bad.stderr).toMatch(/Azure DevOps refused the credentials .*AZURE_DEVOPS_EXT_PAT/);

  git(repo.dir, 'remote', 'set-url', 'origin', `${standin.orgUrl}/Gone/_git/gone`);
  const missing = await cli({}, 'tasks', 'list');
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  expect(missing.stderr).toContain(
    `Azure DevOps has no project Gone at ${standin.orgUrl} that this token sees: set source.azure-devops.project to a project of ${standin.orgUrl} (this one came from AZURE_DEVOPS_ORG_URL and origin)`,
  );

  git(repo.dir, 'remote', 'set-url', 'origin', `${standin.orgUrl}/Widgets/_git/widgets`);
  standin.queue({ kind: 'status', status: 429, headers: { 'retry-after': '600', 'x-ratelimit-resource': 'ATCPU' } });
  const limited = await cli({}, 'tasks', 'list');
  expect(limited.stderr.trim().split('\n')).toHaveLength(1);
  expect(limited.stderr).toMatch(/Azure DevOps rate limit reached .*in 10 min.*taskhooks cache clear --limits/);
  // The next process obeys it without asking.
  const asked = standin.requests.length;
  expect((await cli({}, 'tasks', 'list')).stderr).toMatch(/rate limit/);
  expect(standin.requests.length).toBe(asked);
}, 120_000);

it('doctor: the project, where the token came from, whose it is, the query, the rate limit', async () => {
  standin.addItem({ title: 'Mine' });
  expect((await cli({}, 'install', '--source', 'azure-devops')).code).toBe(0);
  const r = await cli({}, 'doctor', '--json');
  const steps = (JSON.parse(r.stdout) as { steps: { name: string; ok: boolean; detail: string }[] }).steps;
  const step = (name: string) => steps.find((s) => s.name === name);
  expect(step('Azure DevOps project')).toMatchObject({
    ok: true,
    detail: `Widgets at ${standin.orgUrl} (from AZURE_DEVOPS_ORG_URL and origin)`,
  });
  expect(step('Azure DevOps token')).toMatchObject({
    ok: true,
    detail: `found in AZURE_DEVOPS_EXT_PAT, sent only to ${standin.url}`,
  });
  expect(step('Azure DevOps account')).toMatchObject({ ok: true, detail: 'Dana Viewer (dana@example.com)' });
  expect(step('Azure DevOps query')).toMatchObject({ ok: true, detail: '1 work item for yours not closed' });
  expect(step('Azure DevOps rate limit')).toMatchObject({ ok: true, detail: expect.stringMatching(/^not delayed/) });
  expect(r.stdout).not.toContain(standin.token);
}, 120_000);
