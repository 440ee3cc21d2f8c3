// Who is who: an authenticated caller's claim names the person their token stands for and their session; the
// context read by that person says "claimed by you", by a teammate "in progress by dana"; assignees read
// "assigned to you"; a lapsed claim names no one.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { whoseLine } from '../../src/context/render.js';
import { claimantOf } from '../../src/server/principal.js';
import { TaskData, taskOf } from '../../src/sources/agenthub/schema.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { task } from '../helpers/hooks.js';
import { connectHttp, envelope } from './client.js';

const DANA = 'dana-token-abcdef-0123456789abcdefghijkl';
const LEE = 'lee-token-abcdef-0123456789abcdefghijklm';
let server: ReferenceServer;

beforeAll(async () => {
  server = await startReferenceServer({
    tokens: [
      { principal: 'dana', token: DANA, tools: ['*'] },
      { principal: 'lee', token: LEE, tools: ['*'] },
    ],
  });
});
afterAll(async () => {
  await server?.close();
});

/** Runs `fn` with a client of dana's and one of lee's, both closed after. */
async function asDanaAndLee(fn: (dana: Client, lee: Client) => Promise<void>): Promise<void> {
  const dana = await connectHttp(server.url, DANA);
  const lee = await connectHttp(server.url, LEE);
  try {
    await fn(dana, lee);
  } finally {
    await lee.close();
    await dana.close();
  }
}

describe('claims name the person', () => {
  test('dana claims from a session: the claim reads dana/session-7; lee cannot take it or release it for her', async () => {
    await asDanaAndLee(async (dana, lee) => {
      await envelope(dana, 'manage_project', { action: 'create', name: 'who' });
      const made = await envelope(dana, 'manage_task', { action: 'create', project_id: 'who', title: 'Whose is it' });
      const id = made.data.task.id as string;
      const claimed = await envelope(dana, 'manage_task', { action: 'claim', task_id: id, claimant: 'session-7' });
      expect(claimed.data.task.claimed_by).toBe('dana/session-7');
      // Lee passing dana's name is still lee.
      const stolen = await envelope(lee, 'manage_task', { action: 'claim', task_id: id, claimant: 'dana/session-7' });
      expect(stolen.success).toBe(false);
      expect(stolen.error.code).toBe('CLAIMED');
      expect(
        (await envelope(lee, 'manage_task', { action: 'release', task_id: id, claimant: 'session-7' })).success,
      ).toBe(false);
      expect(
        (await envelope(dana, 'manage_task', { action: 'release', task_id: id, claimant: 'session-7' })).success,
      ).toBe(true);
      // No claimant: the person alone.
      const plain = await envelope(lee, 'manage_task', { action: 'claim', task_id: id });
      expect(plain.data.task.claimed_by).toBe('lee');
      // The first claim made dana the assignee; a later claimant does not take it over.
      expect(plain.data.task.assignees).toEqual(['dana']);
    });
  });

  test('claimantOf: unauthenticated callers are taken at their word', () => {
    expect(claimantOf({ name: 'local', tools: ['*'], via: 'local' }, 'agent-1')).toBe('agent-1');
    expect(claimantOf({ name: 'anonymous', tools: ['*'], via: 'anonymous' }, undefined)).toBeUndefined();
    expect(claimantOf({ name: 'dana', tools: ['*'], via: 'jwt' }, ' ')).toBe('dana');
    expect(claimantOf({ name: 'dana', tools: ['*'], via: 'static' }, 'dana/s1')).toBe('dana/s1');
  });
});

describe('assignees name the person who starts a task', () => {
  test('starting an unassigned task assigns it to the caller; an assigned one keeps its assignees', async () => {
    // Other tests' projects hold the same ids (each project counts its own): the project is named.
    await asDanaAndLee(async (dana, lee) => {
      await envelope(dana, 'manage_project', { action: 'create', name: 'assign' });
      const make = async (title: string, extra: object = {}) =>
        (await envelope(dana, 'manage_task', { action: 'create', project_id: 'assign', title, ...extra })).data.task
          .id as string;
      const open = await make('Open');
      const kims = await make("Kim's", { assignees: 'kim' });
      const started = await envelope(lee, 'manage_task', {
        action: 'update',
        task_id: open,
        project_id: 'assign',
        status: 'in_progress',
      });
      expect(started.data.task.assignees).toEqual(['lee']);
      const kept = await envelope(lee, 'manage_task', {
        action: 'update',
        task_id: kims,
        project_id: 'assign',
        status: 'in_progress',
      });
      expect(kept.data.task.assignees).toEqual(['kim']);
      const named = await envelope(dana, 'manage_task', {
        action: 'update',
        task_id: open,
        project_id: 'assign',
        status: 'in_progress',
        assignees: 'dana',
      });
      expect(named.data.task.assignees).toEqual(['dana']);
    });
  });
});

describe('the context says whose a task is', () => {
  test('in progress by a teammate, claimed by you, assigned to you, or nothing', () => {
    expect(whoseLine(task('T-1', { claimedBy: 'dana/session-7' }), 'lee')).toBe(' — in progress by dana');
    expect(whoseLine(task('T-1', { claimedBy: 'dana/session-7' }), 'dana')).toBe(' — claimed by you');
    expect(whoseLine(task('T-1', { claimedBy: 'dana' }), undefined)).toBe(' — in progress by dana');
    expect(whoseLine(task('T-1', { assignees: ['lee', 'kim'] }), 'lee')).toBe(' — assigned to you');
    expect(whoseLine(task('T-1', { assignees: ['kim'] }), 'lee')).toBe('');
  });

  test('the agenthub answer carries the claim while its lease lasts', () => {
    const base = { id: 'T-1', title: 't', status: 'in_progress', priority: 'high', claimed_by: 'dana/s1' };
    const read = (t: object) => taskOf(TaskData.parse({ task: t }).task, { notes: false });
    expect(read({ ...base, claim_expires_at: new Date(Date.now() + 60_000).toISOString() }).claimedBy).toBe('dana/s1');
    expect(read({ ...base, claim_expires_at: new Date(Date.now() - 1000).toISOString() }).claimedBy).toBeUndefined();
  });
});

describe("request ids are each caller's own", () => {
  test('the same id from another person or project writes its own task; a replay with another body is refused', async () => {
    await asDanaAndLee(async (dana, lee) => {
      await envelope(dana, 'manage_project', { action: 'create', name: 'rid-a' });
      await envelope(dana, 'manage_project', { action: 'create', name: 'rid-b' });
      const create = (who: Client, project: string, title: string) =>
        envelope(who, 'manage_task', { action: 'create', project_id: project, title, request_id: 'r-1' });
      const first = await create(dana, 'rid-a', 'Dana secret plan');
      expect(first.data.task.title).toBe('Dana secret plan');
      // Lee's write with the same id is Lee's: written, answered with Lee's task, nothing of Dana's.
      const lees = await create(lee, 'rid-a', 'Lee task');
      expect(lees.success).toBe(true);
      expect(lees.data.task.title).toBe('Lee task');
      expect(JSON.stringify(lees)).not.toContain('Dana secret plan');
      // Dana's same id in another project is another write.
      const other = await create(dana, 'rid-b', 'Dana in b');
      expect(other.data.task.title).toBe('Dana in b');
      // Dana's retry answers the first answer; the same id with another body is refused in one line.
      expect((await create(dana, 'rid-a', 'Dana secret plan')).data.task.id).toBe(first.data.task.id);
      const replay = await create(dana, 'rid-a', 'Something else');
      expect(replay.success).toBe(false);
      expect(replay.error.code).toBe('CONFLICT');
      expect(replay.error.message).toMatch(/^Request id r-1 was already used for another write/);
      expect(replay.error.message).not.toContain('\n');
      expect(JSON.stringify(replay)).not.toContain('Dana secret plan');
      const titles = async (project: string) =>
        (await envelope(dana, 'manage_task', { action: 'list', project_id: project })).data.tasks.map(
          (t: { title: string }) => t.title,
        );
      expect((await titles('rid-a')).sort()).toEqual(['Dana secret plan', 'Lee task']);
      expect(await titles('rid-b')).toEqual(['Dana in b']);
    });
  });
});
