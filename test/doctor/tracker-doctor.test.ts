// `taskhooks doctor` for Linear and Jira as a user runs it: the built CLI against the loopback stand-ins, showing
// where the credentials were found (never them), whose they are, a real list call and the rate limit.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeJson } from '../foundation/helpers.js';
import { git } from '../helpers/git.js';
import { startJiraStandin, type JiraStandin } from '../helpers/jira-standin.js';
import { startLinearStandin, type LinearStandin } from '../helpers/linear-standin.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let linear: LinearStandin;
let jira: JiraStandin;
let dir: string;
let project: string;

interface Report {
  steps: Array<{ name: string; ok: boolean; detail: string; fix?: string }>;
}

async function doctor(
  source: Record<string, unknown>,
  env: Record<string, string>,
): Promise<{ report: Report; stdout: string }> {
  const home = path.join(dir, 'home');
  writeJson(path.join(home, 'config.json'), { source });
  chmodSync(home, 0o700);
  const full = { ...process.env, TASKHOOKS_HOME: home, HOME: dir, NO_COLOR: '1', TASKHOOKS_NO_AUTOSTART: '1', ...env };
  const { stdout } = await run(process.execPath, [path.join(root, 'dist/cli.js'), 'doctor', '--json'], {
    cwd: project,
    env: full,
  }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  return { report: JSON.parse(stdout) as Report, stdout };
}

const stepOf = (r: Report, name: string) => r.steps.find((s) => s.name === name);

beforeAll(async () => {
  linear = await startLinearStandin();
  jira = await startJiraStandin();
  dir = mkdtempSync(path.join(process.env.TMPDIR ?? os.tmpdir(), 'th-tracker-doctor-'));
  project = path.join(dir, 'webapp');
  mkdirSync(project);
  git(project, 'init', '-q', '-b', 'sam/eng-1-login');
}, 60_000);

afterAll(async () => {
  await linear?.close();
  await jira?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('Linear: the key’s origin, the viewer, a real list call and the requests left', async () => {
  linear.addIssue({ title: 'Fix login', priority: 2 });
  const { report, stdout } = await doctor(
    { adapter: 'linear' },
    { LINEAR_API_KEY: linear.apiKey, LINEAR_API_URL: linear.graphqlUrl },
  );
  expect(stepOf(report, 'pending tasks')).toMatchObject({ ok: true, detail: expect.stringMatching(/^1 pending/) });
  expect(stepOf(report, 'Linear key')).toMatchObject({
    ok: true,
    detail: `API key from LINEAR_API_KEY, for ${linear.graphqlUrl}`,
  });
  expect(stepOf(report, 'Linear viewer')).toMatchObject({ ok: true, detail: 'Sam Viewer <sam@example.com>' });
  expect(stepOf(report, 'Linear assigned issues')).toMatchObject({ ok: true, detail: '1 open issue assigned to you' });
  expect(stepOf(report, 'Linear rate limit')).toMatchObject({
    ok: true,
    detail: expect.stringMatching(/^\d+ requests left until \d\d:\d\d UTC$/),
  });
  expect(stdout).not.toContain(linear.apiKey);
  expect(linear.invalid).toEqual([]);
});

it('Linear: a refused key fails the steps with the fix that names LINEAR_API_KEY', async () => {
  const { report } = await doctor(
    { adapter: 'linear' },
    { LINEAR_API_KEY: 'lin_api_wrong_key_0000', LINEAR_API_URL: linear.graphqlUrl },
  );
  expect(stepOf(report, 'Linear viewer')).toMatchObject({ ok: false, fix: expect.stringContaining('LINEAR_API_KEY') });
});

it('Jira: the site and the credentials’ origin, the account, the search', async () => {
  jira.addIssue({ summary: 'Mine' });
  const env = { JIRA_BASE_URL: jira.site, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.token };
  const { report, stdout } = await doctor({ adapter: 'jira' }, env);
  expect(stepOf(report, 'pending tasks')).toMatchObject({ ok: true, detail: expect.stringMatching(/^1 pending/) });
  expect(stepOf(report, 'Jira credentials')).toMatchObject({
    ok: true,
    detail: `${jira.site}, as ${jira.email} with the API token from JIRA_API_TOKEN`,
  });
  expect(stepOf(report, 'Jira account')).toMatchObject({ ok: true, detail: 'Sam Viewer' });
  expect(stepOf(report, 'Jira search')).toMatchObject({
    ok: true,
    detail: expect.stringMatching(/^1 issue for assignee = currentUser\(\)/),
  });
  expect(stdout).not.toContain(jira.token);
  expect(jira.invalid).toEqual([]);
});
