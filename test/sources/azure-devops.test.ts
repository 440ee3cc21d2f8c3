// The Azure DevOps source against its loopback stand-in, whose requests are held to Microsoft's description of the
// Work Item Tracking operations (test/fixtures/azure-devops): the WIQL query read in batches, states by category,
// JSON Patch writes, comments, and where the organization, project and token come from.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/cache/cache.js';
import { kvGet } from '../../src/cache/kv.js';
import { azureToken, azureWhere } from '../../src/sources/azure-devops/access.js';
import { azureApi } from '../../src/sources/azure-devops/api.js';
import { azureChecks } from '../../src/sources/azure-devops/checks.js';
import { htmlText, textHtml } from '../../src/sources/azure-devops/map.js';
import { parseAzureRemote } from '../../src/sources/azure-devops/remote.js';
import {
  azureSource,
  DEFAULT_WIQL,
  workItemOfBranch,
  type AzureOptions,
} from '../../src/sources/azure-devops/source.js';
import type { TaskSource } from '../../src/sources/source.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { startAzureStandin, type AzureStandin } from '../helpers/azure-standin.js';
import { cacheEachTest, recordingLogger } from '../helpers/cache.js';
import { redirectedAway } from '../helpers/standin-http.js';

let standin: AzureStandin;
const caches = cacheEachTest();
let cache: Cache;
const lines: string[] = [];
const scope = (branch: string) => ({ projectRoot: '/repo', project: 'repo', branch });

function source(opts: Partial<AzureOptions> & { token?: string; project?: string } = {}): TaskSource {
  const where = {
    orgUrl: standin.orgUrl,
    project: opts.project ?? 'Widgets',
    from: 'test',
    orgUrlSetBy: 'settings' as const,
  };
  const api = azureApi(
    where,
    { token: opts.token ?? standin.token, from: 'test' },
    { cache, log: recordingLogger(lines) },
  );
  return azureSource(api, { defaultDeadlineMs: 5000, cache, ...opts });
}

beforeAll(async () => {
  standin = await startAzureStandin({ projects: ['Widgets', 'Ops'] });
});
afterAll(() => standin.close());
afterEach(() => {
  expect(standin.invalid).toEqual([]);
  standin.reset();
  lines.length = 0;
});
const fresh = () => {
  cache = caches.open();
};

describe('where the project is', () => {
  it.each([
    ['https://dev.azure.com/acme/Widgets/_git/widgets', 'https://dev.azure.com/acme', 'Widgets'],
    ['https://acme@dev.azure.com/acme/My%20Project/_git/web', 'https://dev.azure.com/acme', 'My Project'],
    ['https://dev.azure.com/acme/_git/Widgets', 'https://dev.azure.com/acme', 'Widgets'],
    ['git@ssh.dev.azure.com:v3/acme/Widgets/widgets', 'https://dev.azure.com/acme', 'Widgets'],
    ['ssh://git@ssh.dev.azure.com/v3/acme/Widgets/widgets', 'https://dev.azure.com/acme', 'Widgets'],
    ['https://acme.visualstudio.com/Widgets/_git/widgets', 'https://acme.visualstudio.com', 'Widgets'],
    [
      'https://acme.visualstudio.com/DefaultCollection/Widgets/_git/w',
      'https://acme.visualstudio.com/DefaultCollection',
      'Widgets',
    ],
    ['https://tfs.corp.example/tfs/Main/Widgets/_git/widgets', 'https://tfs.corp.example/tfs/Main', 'Widgets'],
    ['ssh://tfs.corp.example:22/tfs/Main/Widgets/_git/widgets', 'https://tfs.corp.example/tfs/Main', 'Widgets'],
  ])('%s is %s, project %s', (url, base, project) => {
    expect(parseAzureRemote(url)).toMatchObject({ base, project });
  });

  it.each(['https://github.com/acme/widgets.git', 'git@github.com:acme/widgets.git', '/srv/git/widgets'])(
    'reads %s as no Azure DevOps origin',
    (url) => expect(parseAzureRemote(url)).toBeUndefined(),
  );

  it('takes the organization from the origin, else AZURE_DEVOPS_ORG_URL, and refuses an origin elsewhere in one line', () => {
    const origin = 'https://dev.azure.com/acme/Widgets/_git/widgets';
    expect(azureWhere({}, origin, {})).toEqual({
      orgUrl: 'https://dev.azure.com/acme',
      project: 'Widgets',
      from: 'origin',
      orgUrlSetBy: 'origin',
    });
    const proxy = azureWhere({ orgUrl: 'http://127.0.0.1:9/acme/' }, origin, { AZURE_DEVOPS_ORG_URL: 'x' });
    expect(proxy).toMatchObject({ orgUrl: 'http://127.0.0.1:9/acme', from: 'AZURE_DEVOPS_ORG_URL and origin' });
    expect(() => azureWhere({}, 'https://tfs.corp.example/tfs/Main/W/_git/w', {})).toThrow(
      expect.objectContaining({
        kind: 'config',
        fix: expect.stringContaining('AZURE_DEVOPS_ORG_URL=https://tfs.corp.example/tfs/Main'),
      }),
    );
    expect(() => azureWhere({ orgUrl: 'https://dev.azure.com/other' }, origin, {})).toThrow(
      expect.objectContaining({ fix: expect.stringContaining('AZURE_DEVOPS_ORG_URL=https://dev.azure.com/acme') }),
    );
    expect(() => azureWhere({}, undefined, {})).toThrow(/no Azure DevOps origin and no AZURE_DEVOPS_ORG_URL/);
    expect(azureWhere({ orgUrl: 'https://dev.azure.com/other', project: 'Ops' }, origin, {})).toMatchObject({
      project: 'Ops',
    });
  });

  it('finds the token in AZURE_DEVOPS_EXT_PAT, then AZURE_DEVOPS_TOKEN, then the config', () => {
    expect(azureToken({ token: 'cfg-token' }, { AZURE_DEVOPS_EXT_PAT: 'ext-pat', AZURE_DEVOPS_TOKEN: 'tok' })).toEqual({
      token: 'ext-pat',
      from: 'AZURE_DEVOPS_EXT_PAT',
    });
    expect(azureToken({ token: 'cfg-token' }, { AZURE_DEVOPS_TOKEN: 'tok1' })?.from).toBe('AZURE_DEVOPS_TOKEN');
    expect(azureToken({ token: 'cfg-token' }, {})?.from).toBe('source.azure-devops.token');
    expect(azureToken({}, { AZURE_DEVOPS_EXT_PAT: ' ' })).toBeUndefined();
  });

  it('reads a branch’s work item by its number or Azure Boards’ AB# mention', () => {
    expect(workItemOfBranch('12345-fix-login')).toEqual(['12345']);
    expect(workItemOfBranch('users/dana/12345-fix-login')).toEqual(['12345']);
    expect(workItemOfBranch('fix/AB#77-login')).toEqual(['77']);
    expect(workItemOfBranch('main')).toEqual([]);
  });

  it('reads HTML as text and writes text as HTML', () => {
    expect(htmlText('<div>Line &amp; one</div><div>two<br>three &#x1F600;</div>')).toBe('Line & one\ntwo\nthree 😀');
    expect(textHtml('a < b\nc')).toBe('a &lt; b<br>c');
    expect(htmlText(textHtml('Rolled <back>\nthe deploy'))).toBe('Rolled <back>\nthe deploy');
  });
});

describe('Azure DevOps source', () => {
  it('reads your open work items by WIQL in batches of 200: states by category, priority, due date', async () => {
    fresh();
    standin.addItem({ title: 'Started', state: 'Active', priority: 1, tags: ['api', 'web'] });
    standin.addItem({
      title: 'Planned',
      description: '<div>line one</div>',
      dueDate: '2026-12-01T00:00:00Z',
      priority: 3,
    });
    standin.addItem({ title: 'Finished', state: 'Closed' });
    standin.addItem({ title: 'Shipped story', type: 'User Story', state: 'Shipped' });
    standin.addItem({ title: 'Resolved bug', type: 'Bug', state: 'Resolved' });
    standin.addItem({ title: 'Theirs', assignedTo: standin.other.uniqueName });
    standin.addItem({ title: 'Other project', project: 'Ops' });
    for (let i = 0; i < 250; i++) standin.addItem({ title: `Bulk ${i}`, priority: 4 });
    const { tasks, next } = await source().pending(scope('main'));
    expect(tasks).toHaveLength(253);
    expect(tasks.slice(0, 2).map((t) => [t.id, t.title, t.status, t.priority])).toEqual([
      ['101', 'Started', 'in_progress', 'high'],
      ['102', 'Planned', 'todo', 'low'],
    ]);
    expect(tasks.find((t) => t.id === '105')).toMatchObject({ status: 'review', priority: 'medium' });
    expect(tasks.map((t) => t.title)).not.toContain('Shipped story');
    expect(tasks[0]).toMatchObject({
      labels: ['api', 'web'],
      assignees: ['Dana Viewer'],
      createdAt: '2026-11-01T00:00:01.000Z',
    });
    expect(tasks[1]).toMatchObject({ description: 'line one', dueDate: '2026-12-01' });
    expect(next?.id).toBe('101');
    const batches = standin.requests.filter((r) => /workitemsbatch/.test(r.path));
    expect(batches.map((r) => (r.body as { ids: number[] }).ids.length)).toEqual([200, 54]);
    expect(standin.requests[0]).toMatchObject({ method: 'POST', body: { query: DEFAULT_WIQL } });
    // Each type's states are read once, and kept for the next process.
    expect(standin.requests.filter((r) => /states/.test(r.path))).toHaveLength(3);
    expect(kvGet(cache, `azure-devops:states:${standin.orgUrl}/Widgets:Task`)).toHaveLength(4);
  });

  it('stops at source.maxItems and says so, asking the query for one more than it shows', async () => {
    fresh();
    for (let i = 0; i < 5; i++) standin.addItem({ title: `Item ${i}` });
    const { tasks, note } = await source({ listCap: { pages: 50, items: 3 } }).pending(scope('main'));
    expect(tasks).toHaveLength(3);
    expect(note).toMatch(/more than 3 items \(source\.maxItems\)/);
    expect(standin.requests[0]?.path).toContain('%24top=4');
  });

  it('puts the branch’s work item first with its priority and due date, looked up when the query does not hold it', async () => {
    fresh();
    standin.addItem({ title: 'Urgent', priority: 1 });
    standin.addItem({ title: 'Login page', priority: 2, dueDate: '2026-12-24T00:00:00Z', assignedTo: null });
    const { tasks, next } = await source().pending(scope('102-login-page'));
    expect(next).toMatchObject({ id: '102', branch: '102-login-page', priority: 'medium', dueDate: '2026-12-24' });
    expect(tasks.map((t) => t.id)).toEqual(['102', '101']);
    expect((await source().pending(scope('AB#999-gone'))).next?.id).toBe('101');
  });

  it('moves a work item through its type’s states by JSON Patch, with the note as a comment', async () => {
    fresh();
    standin.addItem({ title: 'Do it', type: 'Bug' });
    const src = source({ statuses: { Resolved: 'blocked' } });
    expect(await src.setStatus('101', 'in_progress', { note: 'on <it>' })).toMatchObject({
      status: 'in_progress',
      details: 'on <it>',
    });
    expect(standin.items[0]).toMatchObject({ state: 'Active', comments: ['on &lt;it&gt;'] });
    const patch = standin.requests.find((r) => r.method === 'PATCH');
    expect(patch).toMatchObject({
      contentType: 'application/json-patch+json',
      body: [{ op: 'add', path: '/fields/System.State', value: 'Active' }],
    });
    expect(await src.setStatus('101', 'blocked')).toMatchObject({ status: 'blocked' });
    expect(standin.items[0]?.state).toBe('Resolved');
    expect(await src.setStatus('101', 'done')).toMatchObject({ status: 'done' });
    expect(standin.items[0]?.state).toBe('Closed');
    await expect(source().setStatus('101', 'blocked')).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining(
        'its states: New (Proposed), Active (InProgress), Resolved (Resolved), Closed (Completed)',
      ),
      fix: expect.stringContaining('source.statuses'),
    });
  });

  it('adds a work item of the project’s task type, assigned to you, and edits it', async () => {
    fresh();
    const src = source();
    const made = await src.create(scope('main'), {
      title: 'New thing',
      description: 'Two\nlines',
      priority: 'high',
      labels: ['api'],
      dueDate: '2027-01-15',
    });
    expect(made).toMatchObject({
      id: '101',
      title: 'New thing',
      description: 'Two\nlines',
      priority: 'high',
      dueDate: '2027-01-15',
      labels: ['api'],
      assignees: ['Dana Viewer'],
    });
    expect(standin.items[0]).toMatchObject({ type: 'Task', assignedTo: standin.me.uniqueName });
    const edited = await src.edit?.('101', { title: 'Renamed', dueDate: '' }, scope('main'));
    expect(edited).toMatchObject({ title: 'Renamed' });
    expect(edited?.dueDate).toBeUndefined();
    expect(standin.items[0]?.dueDate).toBeNull();
    expect(await source({ workItemType: 'Bug' }).create(scope('main'), { title: 'A bug' })).toMatchObject({
      id: '102',
    });
    expect(standin.items[1]?.type).toBe('Bug');
  });

  it('claims by assigning you, and keeps notes as comments read back as text', async () => {
    fresh();
    standin.addItem({ title: 'Unowned', assignedTo: null });
    const src = source();
    expect(await src.claim?.('101', { claimant: 's1', leaseSeconds: 60 })).toMatchObject({
      assignees: ['Dana Viewer'],
    });
    await src.addNote?.('101', 'first');
    expect((await src.get('101')).details).toBe('first');
  });

  it('says a bad token, a missing project, an unknown id and a rate limit in one line each, with the fix', async () => {
    fresh();
    const bad = source({ token: 'wrong-token-0000' });
    const auth = await bad.pending(scope('main')).catch((e: unknown) => e);
    expect(auth).toMatchObject({ kind: 'auth', fix: expect.stringContaining('AZURE_DEVOPS_EXT_PAT') });
    const missing = await source({ project: 'Nope' })
      .pending(scope('main'))
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      kind: 'config',
      message: `Azure DevOps has no project Nope at ${standin.orgUrl} that this token sees`,
      fix: `set source.azure-devops.project to a project of ${standin.orgUrl} (this one came from test)`,
    });
    expect(
      await source()
        .get('9999')
        .catch((e: unknown) => e),
    ).toMatchObject({ kind: 'not_found' });
    for (const e of [auth, missing]) expect(String((e as Error).message)).not.toMatch(/\n/);
    standin.queue({
      kind: 'status',
      status: 429,
      headers: {
        'retry-after': '120',
        'x-ratelimit-resource': 'ATCPU',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-limit': '200',
      },
    });
    const limited = await source()
      .pending(scope('main'), { deadline: deadlineIn(2000) })
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ kind: 'rate_limited', fix: expect.stringContaining('cache clear --limits') });
    // Another process with its own source obeys it without asking.
    const before = standin.requests.length;
    await expect(source().pending(scope('main'))).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(standin.requests.length).toBe(before);
    expect(lines.join('\n')).not.toContain(standin.token);
  });

  it('waits out the Retry-After of an answer Azure DevOps delayed, in every process', async () => {
    fresh();
    standin.addItem({ title: 'Mine' });
    standin.delayNext({
      'retry-after': '90',
      'x-ratelimit-delay': '2.5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-limit': '200',
    });
    const first = await source()
      .pending(scope('main'), { deadline: deadlineIn(2000) })
      .catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: 'rate_limited', retryAfterMs: expect.any(Number) });
    const asked = standin.requests.length;
    await expect(source().pending(scope('main'))).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(standin.requests.length).toBe(asked);
  });

  it('shows doctor the rate limit left as the last answer told it, and whose the token is', async () => {
    fresh();
    standin.addItem({ title: 'Mine' });
    const where = { orgUrl: standin.orgUrl, project: 'Widgets', from: 'origin', orgUrlSetBy: 'settings' as const };
    const token = { token: standin.token, from: 'AZURE_DEVOPS_EXT_PAT' };
    const api = azureApi(where, token, { cache, log: recordingLogger(lines) });
    const checks = azureChecks(api, token, { defaultDeadlineMs: 5000, cache });
    const run = async (name: string) => checks.find((c) => c.name === name)?.run(deadlineIn(5000));
    expect(await run('Azure DevOps rate limit')).toMatch(/^not delayed/);
    expect(await run('Azure DevOps account')).toBe('Dana Viewer (dana@example.com)');
    const reset = String(Date.parse('2026-11-27T10:05:00Z') / 1000);
    standin.delayNext({ 'x-ratelimit-remaining': '150', 'x-ratelimit-limit': '200', 'x-ratelimit-reset': reset });
    expect(await run('Azure DevOps query')).toBe('1 work item for yours not closed');
    expect(await run('Azure DevOps rate limit')).toBe('150 of 200 left, resets at 10:05 UTC');
  });

  it('sends the token to the organization’s origin only: a redirect elsewhere is not followed', async () => {
    fresh();
    const { error, received } = await redirectedAway(standin, () => source().pending(scope('main')));
    expect(error).toMatchObject({ kind: 'protocol' });
    expect(received).toEqual([]);
  });
});
