// What every REST tracker's credential and answers go through (src/sources/rest/client.ts), tried against the
// loopback stand-ins as a hostile service or repository would: a credential goes over plain http only to a URL the
// person set, an Azure DevOps Services origin always means https, and an answer over the cap says so rather than
// timing out. A hostile GitLab list's `Link` is in test/sources/gitlab.test.ts.
import dns from 'node:dns';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { isTaskSourceError, type TaskSourceError } from '../../src/errors/task-source.js';
import { azureWhere } from '../../src/sources/azure-devops/access.js';
import { azureApi } from '../../src/sources/azure-devops/api.js';
import { azureSource } from '../../src/sources/azure-devops/source.js';
import { githubClient } from '../../src/sources/github/client.js';
import { gitlabClient } from '../../src/sources/gitlab/client.js';
import { jiraApi } from '../../src/sources/jira/api.js';
import { jiraSource } from '../../src/sources/jira/source.js';
import { linearApi } from '../../src/sources/linear/api.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { startAzureStandin, type AzureStandin } from '../helpers/azure-standin.js';
import { silentLogger } from '../helpers/cache.js';
import { startGitHubStandin } from '../helpers/github-standin.js';
import { startGitLabStandin } from '../helpers/gitlab-standin.js';
import { startJiraStandin } from '../helpers/jira-standin.js';
import { startLinearStandin } from '../helpers/linear-standin.js';

const GITLAB_TOKEN = 'glpat-dana-0123456789abcdef';
/** Over the 16 MiB every answer is capped at. */
const OVERSIZED = `[${'0,'.repeat(9 * 1024 * 1024)}0]`;

async function failure(p: Promise<unknown>): Promise<TaskSourceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (isTaskSourceError(err)) return err;
  throw new Error(`expected a TaskSourceError, got ${String(err)}`);
}

let scratch: string;
let cache: Cache;
beforeEach(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'th-hostile-answers-'));
  cache = openCache({ home: scratch, log: silentLogger() });
});
afterEach(async () => {
  cache.close();
  rmSync(scratch, { recursive: true, force: true });
});

it('a Jira answer over the cap says how large, not a timeout', async () => {
  const jira = await startJiraStandin({ projects: ['ABC'] });
  try {
    const credential = { kind: 'basic' as const, email: jira.email, token: jira.token };
    const source = jiraSource(jiraApi({ site: jira.site, credential, setByPerson: true }), {
      defaultDeadlineMs: 30_000,
    });
    jira.queue({ kind: 'status', status: 200, body: { issues: JSON.parse(OVERSIZED) as unknown } });
    const err = await failure(source.pending({ projectRoot: '/repo', project: 'repo', branch: 'main' }));
    expect(err).toMatchObject({ kind: 'protocol', short: 'answer over 16 MiB' });
  } finally {
    await jira.close();
  }
});

describe('an Azure DevOps token and plain http', () => {
  let standin: AzureStandin;
  beforeAll(async () => {
    standin = await startAzureStandin({ collection: 'tfs/DefaultCollection' });
  });
  afterAll(() => standin.close());
  afterEach(() => standin.reset());

  const open = (origin: string, entries: { orgUrl?: string } = {}) => {
    const where = azureWhere(entries, origin, {});
    const api = azureApi(where, { token: standin.token, from: 'AZURE_DEVOPS_EXT_PAT' }, { cache, log: silentLogger() });
    return azureSource(api, { defaultDeadlineMs: 30_000, cache });
  };
  const scope = { projectRoot: '/repo', project: 'repo', branch: 'main' };

  it.each([
    ['http://dev.azure.com/acme/Widgets/_git/widgets', 'https://dev.azure.com/acme'],
    ['http://acme.visualstudio.com/Widgets/_git/widgets', 'https://acme.visualstudio.com'],
    [
      'http://acme.visualstudio.com/DefaultCollection/Widgets/_git/w',
      'https://acme.visualstudio.com/DefaultCollection',
    ],
  ])('an Azure DevOps Services origin %s is %s', (origin, orgUrl) => {
    expect(azureWhere({}, origin, {})).toMatchObject({ orgUrl, project: 'Widgets', orgUrlSetBy: 'origin' });
    expect(azureWhere({ orgUrl: origin.replace(/\/Widgets\/.*$/, '') }, origin, {})).toMatchObject({ orgUrl });
  });

  it('an http://dev.azure.com origin sends the token over https only: a plain-http listener there hears nothing', async () => {
    // dev.azure.com resolved to this machine: the old client's plain-http request reaches the listener on the origin's
    // port, an https one goes to port 443 here (refused) and never leaves the machine.
    const lookup = dns.lookup;
    const loopback = (host: string, opts: unknown, cb?: unknown): void => {
      const done = (typeof opts === 'function' ? opts : cb) as (...a: unknown[]) => void;
      const all = typeof opts === 'object' && opts !== null && (opts as { all?: boolean }).all;
      if (host !== 'dev.azure.com') return void Reflect.apply(lookup, dns, [host, opts, cb].filter(Boolean));
      if (all) done(null, [{ address: '127.0.0.1', family: 4 }]);
      else done(null, '127.0.0.1', 4);
    };
    Object.assign(dns, { lookup: loopback });
    try {
      const port = new URL(standin.url).port;
      const err = await failure(open(`http://dev.azure.com:${port}/acme/Widgets/_git/widgets`).pending(scope));
      expect(err.place).toBe('https://dev.azure.com/acme/Widgets');
      expect(standin.requests.map((r) => r.authorization)).toEqual([]);
    } finally {
      Object.assign(dns, { lookup });
    }
  });

  it('a plain-http URL the person set is used as they set it', async () => {
    standin.addItem({ title: 'Mine' });
    const origin = `${standin.orgUrl}/Widgets/_git/widgets`;
    const read = await open(origin, { orgUrl: standin.orgUrl }).pending(scope);
    expect(read.tasks.map((t) => t.title)).toEqual(['Mine']);
  });
});

describe('every tracker: plain http only for a URL the person set', () => {
  const deadline = () => deadlineIn(30_000);
  const kept = (setByPerson: boolean) => ({ setByPerson, cache, log: silentLogger() });
  /** Each tracker's client over its stand-in's plain-http URL: one read, and what the stand-in heard. */
  const trackers: Array<
    [
      string,
      (
        setByPerson: boolean,
      ) => Promise<{ read: () => Promise<unknown>; heard: () => number; close: () => Promise<void> }>,
    ]
  > = [
    [
      'GitHub',
      async (setByPerson) => {
        const gh = await startGitHubStandin();
        const c = githubClient({ api: gh.url, host: 'github.com', token: 'gh-token-dana', ...kept(setByPerson) });
        return { read: () => c.get('/user', {}, deadline()), heard: () => gh.requests.length, close: () => gh.close() };
      },
    ],
    [
      'GitLab',
      async (setByPerson) => {
        const gl = await startGitLabStandin();
        const token = { kind: 'private' as const, token: GITLAB_TOKEN, from: 'GITLAB_TOKEN' };
        const c = gitlabClient({ api: gl.url, host: 'gitlab.example.com', token, ...kept(setByPerson) });
        return { read: () => c.get('/user', {}, deadline()), heard: () => gl.requests.length, close: () => gl.close() };
      },
    ],
    [
      'Jira',
      async (setByPerson) => {
        const jira = await startJiraStandin();
        const api = jiraApi({ site: jira.site, credential: { kind: 'bearer', token: jira.token }, setByPerson });
        const read = () => api.call('GET myself', { path: '/rest/api/3/myself' }, z.unknown(), deadline());
        return { read, heard: () => jira.requests.length, close: () => jira.close() };
      },
    ],
    [
      'Linear',
      async (setByPerson) => {
        const linear = await startLinearStandin();
        const api = linearApi({
          url: linear.graphqlUrl,
          credential: { kind: 'apiKey', value: linear.apiKey },
          setByPerson,
        });
        const read = () => api.request('viewer', '{ viewer { id } }', {}, z.unknown(), deadline());
        return { read, heard: () => linear.requests.length, close: () => linear.close() };
      },
    ],
    [
      'Azure DevOps',
      async (setByPerson) => {
        const az = await startAzureStandin();
        const where = {
          orgUrl: az.orgUrl,
          project: 'Widgets',
          from: 'test',
          orgUrlSetBy: setByPerson ? ('settings' as const) : ('origin' as const),
        };
        const api = azureApi(where, { token: az.token, from: 'test' }, { cache, log: silentLogger() });
        const read = () =>
          api.call('GET projects', { path: '/_apis/projects', org: true, version: '7.1' }, z.unknown(), deadline());
        return { read, heard: () => az.requests.length, close: () => az.close() };
      },
    ],
  ];

  it.each(trackers)(
    '%s: refused before any request when not set by the person, sent when it was',
    async (_name, start) => {
      const refused = await start(false);
      try {
        expect(await failure(refused.read())).toMatchObject({ kind: 'config', short: 'plain http refused' });
        expect(refused.heard()).toBe(0);
      } finally {
        await refused.close();
      }
      const allowed = await start(true);
      try {
        await allowed.read().catch(() => undefined); // what it answers is the tracker's own tests' to judge
        expect(allowed.heard()).toBeGreaterThan(0);
      } finally {
        await allowed.close();
      }
    },
  );
});
