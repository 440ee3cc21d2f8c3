// What a change notification carried, applied to one snapshot by the agenthub reader: only a cursor the delta covers,
// from the server it came from, in the shape taskhooks serve sends; otherwise nothing (the snapshot is fetched).
import { describe, expect, it } from 'vitest';
import { pushedPatch } from '../../src/sources/agenthub/pushed.js';

const SERVER = 'http://127.0.0.1:9/mcp';
const basis = `agenthub ${SERVER} branch b-main`;
const raw = (id: string, branch: string | null, extra: Record<string, unknown> = {}) => ({
  id,
  title: `task ${id}`,
  description: '',
  git_branch_id: branch,
  status: 'todo',
  priority: 'high',
  details: `details of ${id}`,
  ...extra,
});
const carried = (extra: Record<string, unknown> = {}) => ({
  since: 10,
  sequence: 14,
  tasks: [raw('T-1', 'b-main'), raw('T-2', 'b-feature'), raw('T-3', null)],
  deleted_task_ids: ['T-9'],
  next: { 'b-main': 'T-1' },
  ...extra,
});
const args = (sequence: number, extra: Record<string, unknown> = {}) => ({
  server: SERVER,
  branch: 'main',
  cursor: { sequence, basis },
  nextId: undefined as string | undefined,
  carried: carried(),
  ...extra,
});

describe('a pushed delta applied to a snapshot', () => {
  it('takes the tasks written on its branch, drops those moved away or deleted, and the next task told', () => {
    const patch = pushedPatch(args(10));
    // T-3, on no branch, is the whole project's: every branch takes it, marked so.
    expect(patch?.changed.map((t) => [t.id, t.branch, t.projectTask])).toEqual([
      ['T-1', 'main', undefined],
      ['T-3', undefined, true],
    ]);
    expect(patch?.removedIds.sort()).toEqual(['T-2', 'T-9']);
    expect(patch?.cursor).toEqual({ sequence: 14, basis });
    expect(patch?.next).toMatchObject({ id: 'T-1', branch: 'main', details: 'details of T-1' });
  });

  it('applies to any cursor from since to sequence, and to no other', () => {
    expect(pushedPatch(args(12))?.cursor.sequence).toBe(14);
    expect(pushedPatch(args(14))?.cursor.sequence).toBe(14);
    expect(pushedPatch(args(9))).toBeUndefined();
    expect(pushedPatch(args(15))).toBeUndefined();
  });

  it('leaves alone a listing of another server or shape, and a notification of another shape', () => {
    expect(pushedPatch(args(10, { server: 'http://127.0.0.1:8/mcp' }))).toBeUndefined();
    expect(pushedPatch(args(10, { cursor: { sequence: 10, basis: 'tracker x' } }))).toBeUndefined();
    expect(pushedPatch(args(10, { carried: { since: 10 } }))).toBeUndefined();
    expect(pushedPatch(args(10, { carried: carried({ tasks: [{ id: 'T-1' }] }) }))).toBeUndefined();
    expect(pushedPatch(args(10, { carried: 'changes' }))).toBeUndefined();
  });

  it('keeps its next task when none is told, unless that task was written or went', () => {
    const quiet = carried({ next: {} });
    expect(pushedPatch(args(10, { carried: quiet, nextId: 'T-5' }))).not.toHaveProperty('next');
    expect(pushedPatch(args(10, { carried: quiet, nextId: 'T-9' }))).toBeUndefined();
    expect(pushedPatch(args(10, { carried: quiet, nextId: 'T-2' }))).toBeUndefined();
    expect(pushedPatch(args(10, { carried: quiet, nextId: 'T-1' }))).toBeUndefined();
  });

  it('a branch told it has no next task has none; a next task named but not sent is read instead', () => {
    expect(pushedPatch(args(10, { carried: carried({ next: { 'b-main': null } }) }))?.next).toBeNull();
    expect(pushedPatch(args(10, { carried: carried({ next: { 'b-main': 'T-7' } }) }))).toBeUndefined();
  });
});
