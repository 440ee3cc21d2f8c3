// The Linear source against its loopback stand-in: every document it sends is validated and executed against
// Linear's published schema, so a field or argument Linear does not have fails here.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { linearApi } from '../../src/sources/linear/api.js';
import { linearSource } from '../../src/sources/linear/source.js';
import { startLinearStandin, type LinearStandin } from '../helpers/linear-standin.js';
import { redirectedAway } from '../helpers/standin-http.js';
import { deadlineIn } from '../../src/util/deadline.js';
import type { TaskSource } from '../../src/sources/source.js';

let standin: LinearStandin;
const scope = (branch: string) => ({ projectRoot: '/repo', project: 'repo', branch });

function source(opts: { team?: string; project?: string; key?: string } = {}): TaskSource {
  const api = linearApi({
    url: standin.graphqlUrl,
    credential: { kind: 'apiKey', value: opts.key ?? standin.apiKey },
    setByPerson: true,
  });
  return linearSource(api, { defaultDeadlineMs: 5000, ...opts });
}

beforeAll(async () => {
  standin = await startLinearStandin({ teams: ['ENG', 'OPS'] });
}, 60_000);
afterAll(() => standin.close());
afterEach(() => {
  expect(standin.invalid).toEqual([]);
  standin.reset();
});

describe('Linear source', () => {
  it('reads the viewer’s open issues with Linear’s priorities and state types', async () => {
    const ops = standin.teams[1]?.id;
    standin.addIssue({ title: 'Urgent thing', priority: 1, stateId: 'eng-progress', labels: ['bug'] });
    standin.addIssue({ title: 'Backlog thing', priority: 4, stateId: 'eng-backlog' });
    standin.addIssue({ title: 'No priority', priority: 0, stateId: 'eng-triage' });
    standin.addIssue({ title: 'Finished', priority: 2, stateId: 'eng-done' });
    standin.addIssue({ title: 'Dropped', priority: 2, stateId: 'eng-canceled' });
    standin.addIssue({ title: 'Someone else’s', priority: 2, assigneeId: 'user-other' });
    standin.addIssue({ title: 'Ops work', priority: 3, teamId: ops, stateId: 'ops-todo' });
    const { tasks, next } = await source().pending(scope('main'));
    expect(tasks.map((t) => [t.id, t.title, t.status, t.priority])).toEqual([
      ['ENG-1', 'Urgent thing', 'in_progress', 'urgent'],
      ['OPS-1', 'Ops work', 'todo', 'medium'],
      ['ENG-2', 'Backlog thing', 'todo', 'low'],
      ['ENG-3', 'No priority', 'todo', 'low'],
    ]);
    expect(tasks[0]).toMatchObject({ labels: ['bug'], assignees: ['sam'] });
    expect(next?.id).toBe('ENG-1');
    expect(standin.requests.every((r) => r.authorization === standin.apiKey)).toBe(true);
  });

  it('filters by team and project when configured', async () => {
    standin.addIssue({ title: 'Eng one', project: 'Login' });
    standin.addIssue({ title: 'Eng two', project: 'Billing' });
    standin.addIssue({ title: 'Ops one', teamId: standin.teams[1]?.id, project: 'Login' });
    expect((await source({ team: 'ops' }).pending(scope('main'))).tasks.map((t) => t.title)).toEqual(['Ops one']);
    expect((await source({ project: 'login' }).pending(scope('main'))).tasks.map((t) => t.title).sort()).toEqual([
      'Eng one',
      'Ops one',
    ]);
  });

  it('puts the branch’s issue first, found by the identifier in the branch name, even when not assigned', async () => {
    standin.addIssue({ title: 'Urgent', priority: 1 });
    standin.addIssue({ title: 'Fix login', priority: 4, assigneeId: 'user-other' });
    const { tasks, next } = await source().pending(scope('sam/eng-2-fix-login'));
    expect(next).toMatchObject({ id: 'ENG-2', title: 'Fix login', branch: 'sam/eng-2-fix-login' });
    expect(tasks.map((t) => t.id)).toEqual(['ENG-2', 'ENG-1']);
    // An identifier Linear does not know is no issue: the list stands.
    expect((await source().pending(scope('feature/eng-99-nothing'))).next?.id).toBe('ENG-1');
  });

  it('moves an issue to its team’s first started / completed state by position, with a comment', async () => {
    standin.addIssue({ title: 'Do it' });
    const src = source();
    expect(await src.setStatus('ENG-1', 'in_progress', { note: 'on it' })).toMatchObject({ status: 'in_progress' });
    expect(standin.issues[0]).toMatchObject({ stateId: 'eng-progress', comments: ['on it'] });
    expect(await src.setStatus('eng-1', 'done')).toMatchObject({ status: 'done' });
    expect(standin.issues[0]?.stateId).toBe('eng-done');
    expect(await src.setStatus('ENG-1', 'todo')).toMatchObject({ status: 'todo' });
    expect(standin.issues[0]?.stateId).toBe('eng-todo');
    await expect(src.setStatus('ENG-1', 'blocked')).rejects.toMatchObject({
      kind: 'config',
      short: 'no blocked state',
    });
    expect(await src.addNote?.('ENG-1', 'a note', {})).toMatchObject({ id: 'ENG-1' });
    expect(standin.issues[0]?.comments).toEqual(['on it', 'a note']);
  });

  it('creates an issue in the configured team, assigned to the viewer', async () => {
    const created = await source({ team: 'OPS' }).create(scope('main'), {
      title: 'New',
      priority: 'high',
      description: 'why',
    });
    expect(created).toMatchObject({ id: 'OPS-1', title: 'New', priority: 'high', status: 'todo', assignees: ['sam'] });
    expect(standin.issues[0]).toMatchObject({ teamId: 'team-ops', assigneeId: 'user-viewer', description: 'why' });
    await expect(source().create(scope('main'), { title: 'Where?' })).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining('2 teams (ENG, OPS)'),
    });
  });

  it('reads, writes and clears the due date as Issue.dueDate, and edits title, description and priority', async () => {
    standin.addIssue({ title: 'Due soon', dueDate: '2026-12-01' });
    standin.addIssue({ title: 'Whenever' });
    const src = source({ team: 'ENG' });
    const { tasks } = await src.pending(scope('main'));
    expect(tasks.map((t) => [t.id, t.dueDate])).toEqual([
      ['ENG-1', '2026-12-01'],
      ['ENG-2', undefined],
    ]);
    expect((await src.get('ENG-1')).dueDate).toBe('2026-12-01');

    // A day given as a timestamp goes as its day, which is all a TimelessDate keeps.
    const created = await src.create(scope('main'), { title: 'Ship', dueDate: '2027-01-15T09:00:00Z' });
    expect(created).toMatchObject({ id: 'ENG-3', dueDate: '2027-01-15' });
    expect(standin.issues[2]?.dueDate).toBe('2027-01-15');

    const edited = await src.edit?.('ENG-2', { dueDate: '2026-12-24', title: 'Soon', priority: 'high' }, scope('main'));
    expect(edited).toMatchObject({ title: 'Soon', priority: 'high', dueDate: '2026-12-24' });
    expect(standin.issues[1]).toMatchObject({ title: 'Soon', priority: 2, dueDate: '2026-12-24' });
    const cleared = await src.edit?.('eng-2', { dueDate: '' }, scope('main'));
    expect(cleared?.dueDate).toBeUndefined();
    expect(standin.issues[1]?.dueDate).toBeNull();
    await expect(src.edit?.('ENG-2', { branch: 'feature/x' }, scope('main'))).rejects.toMatchObject({
      kind: 'config',
      message: 'Linear issues belong to no branch: Linear cannot move one to feature/x',
    });
  });

  it('the stand-in holds every query to the schema: dueDate is on Issue there, a field Linear lacks fails', async () => {
    standin.addIssue({ title: 'One', dueDate: '2026-12-01' });
    const ask = (query: string) =>
      fetch(standin.graphqlUrl, {
        method: 'POST',
        headers: { authorization: standin.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      }).then((r) => r.json() as Promise<{ data?: unknown; errors?: { message: string }[] }>);
    expect(await ask('{ issue(id: "ENG-1") { dueDate } }')).toEqual({ data: { issue: { dueDate: '2026-12-01' } } });
    const refused = await ask('{ issue(id: "ENG-1") { dueOn } }');
    expect(refused.errors?.[0]?.message).toBe('Cannot query field "dueOn" on type "Issue".');
    expect(standin.invalid.map((i) => i.query)).toEqual(['{ issue(id: "ENG-1") { dueOn } }']);
    standin.invalid.length = 0;
  });

  it('claims an issue by assigning it to the viewer', async () => {
    standin.addIssue({ title: 'Theirs', assigneeId: 'user-other' });
    expect(await source().claim?.('ENG-1', { claimant: 'sam/s1', leaseSeconds: 60 }, {})).toMatchObject({
      assignees: ['sam'],
    });
  });

  it('reads every page: 1,000 issues through cursor pagination', async () => {
    for (let i = 0; i < 1000; i++) standin.addIssue({ title: `Issue ${i}`, priority: 3 });
    const { tasks } = await source().pending(scope('main'), { deadline: deadlineIn(20_000) });
    expect(tasks).toHaveLength(1000);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(1000);
    expect(standin.operations.filter((o) => o === 'Assigned').length).toBeGreaterThanOrEqual(10);
  });

  it('says what is wrong: a bad key, an unknown issue, a rate limit, a server down, a malformed answer', async () => {
    standin.addIssue({ title: 'One' });
    await expect(source({ key: 'lin_api_wrong' }).pending(scope('main'))).rejects.toMatchObject({
      kind: 'auth',
      fix: expect.stringContaining('LINEAR_API_KEY'),
    });
    await expect(source().get('ENG-404')).rejects.toMatchObject({ kind: 'not_found' });
    standin.queue({ kind: 'malformed' });
    await expect(source().get('ENG-1')).rejects.toMatchObject({ kind: 'protocol' });
    standin.queue({ kind: 'status', status: 503 });
    await expect(source().get('ENG-1')).rejects.toMatchObject({ kind: 'server', transient: true });
  });

  it('obeys the rate limit: waits for a reset within the deadline, else says until when', async () => {
    standin.addIssue({ title: 'One' });
    const src = source();
    // Spent, resetting soon: the RATELIMITED answer is waited out and the request sent once more.
    Object.assign(standin.rate, { remaining: 0, resetAt: Date.now() + 300 });
    expect((await src.get('ENG-1')).title).toBe('One');
    expect(standin.operations).toEqual(['Issue']);
    expect(standin.requests).toHaveLength(2);
    // Spent for an hour: refused at once, naming the time, and the next call asks nothing of Linear.
    Object.assign(standin.rate, { remaining: 0, resetAt: Date.now() + 3_600_000 });
    await expect(src.get('ENG-1')).rejects.toMatchObject({
      kind: 'rate_limited',
      message: expect.stringMatching(/until (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d UTC/),
    });
    const asked = standin.requests.length;
    await expect(src.get('ENG-1')).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(standin.requests).toHaveLength(asked);
  });

  it('keeps the good issues when one comes back unreadable, and says so', async () => {
    standin.addIssue({ title: 'Good' });
    standin.addIssue({ title: 'Bad' });
    standin.tamper = (body) => {
      const nodes = (body as { data?: { viewer?: { assignedIssues?: { nodes: Record<string, unknown>[] } } } }).data
        ?.viewer?.assignedIssues?.nodes;
      if (nodes?.[1]) nodes[1].title = 42;
      return body;
    };
    const { tasks, note } = await source().pending(scope('main'));
    expect(tasks.map((t) => t.title)).toEqual(['Good']);
    expect(note).toMatch(/^1 task left out: the server's answer did not fit \(item \d+: /);
  });
  it('sends the token to the configured API only: a redirect to another host is not followed', async () => {
    const { error, received } = await redirectedAway(standin, () => source().get('ENG-1'));
    expect(error).toMatchObject({ kind: 'protocol', short: expect.stringContaining('redirected') });
    expect(received).toEqual([]);
  });
});
