// A session's work record leaving the machine: kept by a team's server (agenthub's tools), or written back to each
// tracker as a comment, against the loopback stand-ins the source suite uses (each held to its API's own description
// of the comment call: GitHub's issue comments, GitLab's issue notes, Jira's v3 comment in ADF, Linear's
// commentCreate, Azure DevOps' work item comments). Never written unasked: `off` writes nothing, `done` only on a
// finished task; a secret in the closing words never reaches the tracker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workComment } from '../../src/context/work-comment.js';
import { shareWith } from '../../src/network/work-records.js';
import type { WorkRecord } from '../../src/store/index.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { azureDevops } from '../sources/harness/azure-devops.js';
import { github } from '../sources/harness/github.js';
import { gitlab } from '../sources/harness/gitlab.js';
import { agenthub } from '../sources/harness/reference.js';
import { jira, linear } from '../sources/harness/trackers.js';
import type { Harness, Opened } from '../sources/harness/types.js';

/** A GitHub token's shape, quoted in a session's last words. */
const SECRET = `ghp_${'a1B2c3D4e5'.repeat(3)}xyzXYZ`;

const record = (taskId: string): WorkRecord => ({
  projectId: 'demo',
  taskId,
  sessionId: 'session-a',
  agent: 'Claude Code',
  branch: 'feature/pay',
  machine: 'dana-laptop',
  startedAt: '2026-11-27T09:00:00.000Z',
  endedAt: '2026-11-27T10:00:00.000Z',
  commits: [{ hash: '1d2e3f4', subject: 'Retry declined refunds once' }],
  uncommitted: ['refund.txt'],
  statusTo: null,
  statusChanges: [],
  closingWords: `Left off: the webhook still fails. Token ${SECRET}`,
});

it('words a record as one comment: who, where, when, what it did, its words without the secret', async () => {
  const text = await workComment({ ...record('TASK-1'), statusTo: 'done' });
  expect(text).toContain(
    'Work record (taskhooks): a session (Claude Code, branch feature/pay) on dana-laptop, ended 2026-11-27 10:00 UTC: committed 1d2e3f4 "Retry declined refunds once"; left refund.txt uncommitted; the task done at its end; it ended: "Left off: the webhook still fails. Token',
  );
  expect(text).not.toContain(SECRET);
});

const SEED = [
  { title: 'Ship refunds', status: 'done' as const, priority: 'high' as const },
  { title: 'Fix webhook', status: 'in_progress' as const, priority: 'high' as const },
];

describe.each([github, gitlab, linear, jira, azureDevops])('a record as a comment on $name', (harness: Harness) => {
  let opened: Opened;
  const how = (comments: 'off' | 'done' | 'ended') => ({
    comments,
    comment: workComment,
    deadline: deadlineIn(harness.timeoutMs),
  });
  const details = async (id: string) =>
    (await opened.source.get(id, { deadline: deadlineIn(harness.timeoutMs) })).details ?? '';
  beforeAll(async () => {
    opened = await harness.open(SEED);
  }, 180_000);
  afterAll(async () => opened?.close());

  it('writes nothing while hooks.workComments is off, and on an unfinished task with `done`', async () => {
    const [doneId, openId] = opened.ids as [string, string];
    expect(await shareWith(opened.source, [record(doneId)], how('off'))).toEqual({ kept: 0, commented: 0, failed: [] });
    expect(await shareWith(opened.source, [record(openId)], how('done'))).toMatchObject({ commented: 0, failed: [] });
    expect(await details(doneId)).not.toContain('Work record');
    expect(await details(openId)).not.toContain('Work record');
  });

  it('comments on a finished task with `done`, and on a task handed over with `ended`, no secret in either', async () => {
    const [doneId, openId] = opened.ids as [string, string];
    expect(await shareWith(opened.source, [record(doneId)], how('done'))).toEqual({
      kept: 0,
      commented: 1,
      failed: [],
    });
    expect(await shareWith(opened.source, [record(openId)], how('ended'))).toEqual({
      kept: 0,
      commented: 1,
      failed: [],
    });
    for (const id of [doneId, openId]) {
      const shown = await details(id);
      expect(shown).toContain('Work record (taskhooks): a session (Claude Code, branch feature/pay) on dana-laptop');
      expect(shown).toContain('1d2e3f4');
      expect(shown).toContain('Left off: the webhook still fails.');
      expect(shown).not.toContain(SECRET);
    }
  });
});

describe('a record on a team server (agenthub tools)', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await agenthub.open(SEED);
  }, 180_000);
  afterAll(async () => opened?.close());

  it('is kept with the task whatever hooks.workComments says, and read back newest first', async () => {
    const id = opened.ids[1] as string;
    const shared = await shareWith(opened.source, [{ ...record(id), closingWords: 'Left off: retry.' }], {
      comments: 'off',
      comment: workComment,
      deadline: deadlineIn(agenthub.timeoutMs),
    });
    expect(shared).toEqual({ kept: 1, commented: 0, failed: [] });
    const kept = await opened.source.workRecords?.(id, { project: opened.scope.project });
    expect(kept).toMatchObject([
      { taskId: id, sessionId: 'session-a', statusTo: 'in_progress', closingWords: 'Left off: retry.' },
    ]);
  });
});
