// The Jira Cloud source against its loopback stand-in, whose requests and answers are held to jira.js's models of
// Atlassian's OpenAPI description.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jiraApi, type JiraCredential } from '../../src/sources/jira/api.js';
import { DEFAULT_JQL, jiraSource, scopedJql, type JiraOptions } from '../../src/sources/jira/source.js';
import { adfDocument, adfText } from '../../src/sources/jira/map.js';
import { startJiraStandin, type JiraStandin } from '../helpers/jira-standin.js';
import { redirectedAway } from '../helpers/standin-http.js';
import { deadlineIn } from '../../src/util/deadline.js';
import type { TaskSource } from '../../src/sources/source.js';

let standin: JiraStandin;
const scope = (branch: string) => ({ projectRoot: '/repo', project: 'repo', branch });

function source(opts: Partial<JiraOptions> & { credential?: JiraCredential } = {}): TaskSource {
  const credential = opts.credential ?? { kind: 'basic', email: standin.email, token: standin.token };
  return jiraSource(jiraApi({ site: standin.site, credential, setByPerson: true }), {
    defaultDeadlineMs: 5000,
    ...opts,
  });
}

beforeAll(async () => {
  standin = await startJiraStandin({ projects: ['ABC', 'OPS'] });
});
afterAll(() => standin.close());
afterEach(() => {
  expect(standin.invalid).toEqual([]);
  standin.reset();
});

describe('Jira source', () => {
  it('reads your open issues through /search/jql: status categories, Blocked by name, priority names', async () => {
    standin.addIssue({ summary: 'Started', statusId: '10001', priority: 'Highest', labels: ['api'] });
    standin.addIssue({ summary: 'Stuck', statusId: '10002', priority: 'High' });
    standin.addIssue({ summary: 'Planned', priority: 'Lowest', description: 'line one' });
    standin.addIssue({ summary: 'Finished', statusId: '10003' });
    standin.addIssue({ summary: 'Theirs', assignee: '5b10a2844c20165700ede21g' });
    standin.addIssue({ summary: 'Ops', project: 'OPS', priority: 'Low' });
    const { tasks, next } = await source().pending(scope('main'));
    expect(tasks.map((t) => [t.id, t.title, t.status, t.priority])).toEqual([
      ['ABC-1', 'Started', 'in_progress', 'critical'],
      ['ABC-3', 'Planned', 'todo', 'low'],
      ['OPS-1', 'Ops', 'todo', 'low'],
      ['ABC-2', 'Stuck', 'blocked', 'high'],
    ]);
    expect(tasks.find((t) => t.id === 'ABC-3')).toMatchObject({ description: 'line one', assignees: ['Sam Viewer'] });
    expect(tasks[0]).toMatchObject({ labels: ['api'], createdAt: '2026-11-01T00:00:01.000Z' });
    expect(next?.id).toBe('ABC-1');
    expect(standin.requests[0]).toMatchObject({
      method: 'POST',
      path: '/rest/api/3/search/jql',
      body: { jql: DEFAULT_JQL },
    });
  });

  it('scopes the search to the configured project, a custom JQL too, with its ORDER BY kept last', async () => {
    expect(scopedJql({ project: 'ABC' })).toBe(
      'project = "ABC" AND (assignee = currentUser() AND statusCategory != Done) ORDER BY priority DESC, updated DESC',
    );
    expect(scopedJql({ project: 'ABC', jql: 'statusCategory = "In Progress"' })).toBe(
      'project = "ABC" AND (statusCategory = "In Progress")',
    );
    standin.addIssue({ summary: 'Mine here' });
    standin.addIssue({ summary: 'Mine in ops', project: 'OPS' });
    standin.addIssue({ summary: 'Started in ops', project: 'OPS', statusId: '10001', assignee: null });
    expect((await source({ project: 'OPS' }).pending(scope('main'))).tasks.map((t) => t.title)).toEqual([
      'Mine in ops',
    ]);
    const custom = await source({ project: 'OPS', jql: 'statusCategory = "In Progress"' }).pending(scope('main'));
    expect(custom.tasks.map((t) => t.title)).toEqual(['Started in ops']);
  });

  it('puts the branch’s issue first by its key (any case), looked up when the search does not hold it', async () => {
    standin.addIssue({ summary: 'Urgent', priority: 'Highest' });
    standin.addIssue({ summary: 'Login page', priority: 'Low', assignee: null });
    const { tasks, next } = await source().pending(scope('feature/abc-2-login-page'));
    expect(next).toMatchObject({ id: 'ABC-2', branch: 'feature/abc-2-login-page' });
    expect(tasks.map((t) => t.id)).toEqual(['ABC-2', 'ABC-1']);
    expect((await source().pending(scope('ABC-99-gone'))).next?.id).toBe('ABC-1');
  });

  it('changes status through the transition into the status category, with an ADF comment', async () => {
    standin.addIssue({ summary: 'Do it' });
    const src = source();
    expect(await src.setStatus('ABC-1', 'in_progress', { note: 'on it' })).toMatchObject({ status: 'in_progress' });
    expect(standin.issues[0]?.statusId).toBe('10001');
    expect(standin.issues[0]?.comments).toEqual([adfDocument('on it')]);
    expect(await src.setStatus('abc-1', 'blocked')).toMatchObject({ status: 'blocked' });
    expect(await src.setStatus('ABC-1', 'done')).toMatchObject({ status: 'done' });
    expect(await src.setStatus('ABC-1', 'todo')).toMatchObject({ status: 'todo' });
    await expect(src.setStatus('ABC-1', 'cancelled')).rejects.toMatchObject({
      kind: 'config',
      short: 'no transition to cancelled',
    });
    expect(await src.addNote?.('ABC-1', 'two\nlines', {})).toMatchObject({ id: 'ABC-1' });
    expect(adfText(standin.issues[0]?.comments[1])).toBe('two\nlines');
  });

  it('creates an issue in the configured project, assigned to you; without a project it says which setting', async () => {
    const created = await source({ project: 'OPS' }).create(scope('main'), {
      title: 'New',
      priority: 'high',
      description: 'why',
    });
    expect(created).toMatchObject({
      id: 'OPS-1',
      title: 'New',
      priority: 'high',
      status: 'todo',
      assignees: ['Sam Viewer'],
    });
    await expect(source().create(scope('main'), { title: 'Where?' })).rejects.toMatchObject({
      kind: 'config',
      fix: expect.stringContaining('source.jira.project'),
    });
  });

  it('reads, writes and clears the due date as fields.duedate, and edits summary, description and priority', async () => {
    standin.addIssue({ summary: 'Due soon', duedate: '2026-12-01', priority: 'High' });
    standin.addIssue({ summary: 'Whenever' });
    const src = source({ project: 'ABC' });
    const { tasks } = await src.pending(scope('main'));
    expect(tasks.map((t) => [t.id, t.dueDate])).toEqual([
      ['ABC-1', '2026-12-01'],
      ['ABC-2', undefined],
    ]);
    expect((await src.get('ABC-1')).dueDate).toBe('2026-12-01');

    // Jira keeps the day only: a timestamp goes as its day.
    const created = await src.create(scope('main'), { title: 'Ship', dueDate: '2027-01-15T09:00:00Z' });
    expect(created).toMatchObject({ id: 'ABC-3', dueDate: '2027-01-15' });
    expect(standin.issues[2]?.duedate).toBe('2027-01-15');

    const edited = await src.edit?.('abc-2', { dueDate: '2026-12-24', title: 'Soon', priority: 'low' }, scope('main'));
    expect(edited).toMatchObject({ title: 'Soon', priority: 'low', dueDate: '2026-12-24' });
    expect(standin.issues[1]).toMatchObject({ summary: 'Soon', priority: 'Low', duedate: '2026-12-24' });
    expect(await src.edit?.('ABC-2', { description: 'why' }, scope('main'))).toMatchObject({ description: 'why' });
    const cleared = await src.edit?.('ABC-2', { dueDate: '' }, scope('main'));
    expect(cleared?.dueDate).toBeUndefined();
    expect(standin.issues[1]?.duedate).toBeNull();
    const put = standin.requests.filter((r) => r.method === 'PUT').at(-1);
    expect(put?.body).toEqual({ fields: { duedate: null } });
    await expect(src.edit?.('ABC-2', { branch: 'feature/x' }, scope('main'))).rejects.toMatchObject({
      kind: 'config',
      message: 'Jira issues belong to no branch: Jira cannot move one to feature/x',
    });
    // A project whose screens lack the Due date field refuses it: the error names the field, as Jira did.
    standin.offScreen.add('duedate');
    await expect(src.edit?.('ABC-2', { dueDate: '2026-12-24' }, scope('main'))).rejects.toMatchObject({
      message: expect.stringContaining("duedate: Field 'duedate' cannot be set. It is not on the appropriate screen"),
    });
  });

  it('the stand-in refuses a due date that is not a day, and a field it does not know, as Jira does', async () => {
    standin.addIssue({ summary: 'One' });
    const put = (fields: Record<string, unknown>) =>
      fetch(`${standin.site}/rest/api/3/issue/ABC-1`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${standin.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ fields }),
      }).then(async (r) => ({ status: r.status, body: r.status === 204 ? undefined : await r.json() }));
    expect(await put({ duedate: '2026-12-01T10:00:00Z' })).toEqual({
      status: 400,
      body: { errorMessages: [], errors: { duedate: 'Error parsing date string: 2026-12-01T10:00:00Z' } },
    });
    expect((await put({ dueDate: '2026-12-01' })).status).toBe(400);
    expect(await put({ duedate: '2026-12-01' })).toEqual({ status: 204, body: undefined });
    expect(standin.issues[0]?.duedate).toBe('2026-12-01');
  });

  it('claims by assigning the issue to you; a bearer token works too', async () => {
    standin.addIssue({ summary: 'Theirs', assignee: '5b10a2844c20165700ede21g' });
    const src = source({ credential: { kind: 'bearer', token: standin.token } });
    expect(await src.claim?.('ABC-1', { claimant: 'sam/s1', leaseSeconds: 60 }, {})).toMatchObject({
      assignees: ['Sam Viewer'],
    });
  });

  it('reads 1,000 issues through nextPageToken paging', async () => {
    for (let i = 0; i < 1000; i++) standin.addIssue({ summary: `Issue ${i}` });
    const { tasks } = await source().pending(scope('main'), { deadline: deadlineIn(20_000) });
    expect(new Set(tasks.map((t) => t.id)).size).toBe(1000);
    expect(standin.requests.filter((r) => r.path === '/rest/api/3/search/jql')).toHaveLength(10);
  });

  it('says what is wrong: bad token, not found, 429 with Retry-After, server down, malformed answer', async () => {
    standin.addIssue({ summary: 'One' });
    await expect(
      source({ credential: { kind: 'basic', email: standin.email, token: 'wrong' } }).pending(scope('main')),
    ).rejects.toMatchObject({
      kind: 'auth',
      fix: expect.stringContaining('JIRA_API_TOKEN'),
    });
    await expect(source().get('ABC-404')).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('Issue does not exist'),
    });
    // A Retry-After that ends within the deadline is waited out, once.
    standin.queue({ kind: 'status', status: 429, headers: { 'retry-after': '0.2' } });
    expect((await source().get('ABC-1')).title).toBe('One');
    standin.queue({ kind: 'status', status: 429, headers: { 'retry-after': '120' } });
    await expect(source().get('ABC-1')).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 120_000 });
    standin.queue({ kind: 'malformed' });
    await expect(source().get('ABC-1')).rejects.toMatchObject({ kind: 'protocol' });
    standin.queue({ kind: 'reset' });
    await expect(source().get('ABC-1')).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('keeps the good issues when one comes back unreadable, and says so', async () => {
    standin.addIssue({ summary: 'Good' });
    standin.addIssue({ summary: 'Bad' });
    standin.tamper = (body) => {
      const issues = (body as { issues?: { fields: Record<string, unknown> }[] }).issues ?? [];
      for (const issue of issues) if (issue.fields.summary === 'Bad') issue.fields.status = 'Open';
      return body;
    };
    const { tasks, note } = await source().pending(scope('main'));
    expect(tasks.map((t) => t.title)).toEqual(['Good']);
    expect(note).toMatch(/^1 task left out: the server's answer did not fit \(item \d+: /);
  });
  it('sends the token to the configured API only: a redirect to another host is not followed', async () => {
    const { error, received } = await redirectedAway(standin, () => source().get('ABC-1'));
    expect(error).toMatchObject({ kind: 'protocol', short: expect.stringContaining('redirected') });
    expect(received).toEqual([]);
  });
});
