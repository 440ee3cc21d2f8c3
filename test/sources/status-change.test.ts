// A status change through a source: the status set, the server's claim taken for a claimant (a refusal said, not
// thrown), and whether the note given was kept with the task.
import { describe, expect, it } from 'vitest';
import type { TaskSource } from '../../src/sources/source.js';
import { changeStatus } from '../../src/sources/issues/status-change.js';
import type { TaskStatus } from '../../src/tasks/task.js';
import { task } from '../helpers/hooks.js';

/** A source that keeps the status (and, with `keepsNotes`, the note as the task's details), and claims as told. */
function source(o: { keepsNotes: boolean; claim?: 'takes' | 'refuses' }): {
  s: Pick<TaskSource, 'setStatus' | 'claim'>;
  claims: string[];
} {
  const claims: string[] = [];
  const s: Pick<TaskSource, 'setStatus' | 'claim'> = {
    setStatus: async (id: string, status: TaskStatus, opts?: { note?: string | undefined }) =>
      task(id, { status, ...(o.keepsNotes && opts?.note ? { details: `earlier\n${opts.note}` } : {}) }),
  };
  if (o.claim)
    s.claim = async (id, { claimant }) => {
      if (o.claim === 'refuses') throw new Error(`${id} is claimed by another session`);
      claims.push(`${id} ${claimant}`);
      return task(id);
    };
  return { s, claims };
}

const started = { note: undefined, claimant: 'session-1', leaseSeconds: 60 };

describe('changeStatus', () => {
  it('sets the status and takes the server claim for a claimant', async () => {
    const { s, claims } = source({ keepsNotes: true, claim: 'takes' });
    const changed = await changeStatus(s, 'TASK-001', 'in_progress', started);
    expect(changed).toMatchObject({ refused: undefined, serverClaimed: true, noteKept: true });
    expect(changed.task.status).toBe('in_progress');
    expect(claims).toEqual(['TASK-001 session-1']);
  });

  it('says why the server refused the claim, and keeps the status change', async () => {
    const { s } = source({ keepsNotes: true, claim: 'refuses' });
    const changed = await changeStatus(s, 'TASK-001', 'in_progress', started);
    expect(changed).toMatchObject({ refused: 'TASK-001 is claimed by another session', serverClaimed: false });
    expect(changed.task.status).toBe('in_progress');
  });

  it('claims nothing without a claimant or where the source keeps no claims', async () => {
    const withClaims = source({ keepsNotes: true, claim: 'takes' });
    expect(
      (await changeStatus(withClaims.s, 'TASK-001', 'done', { ...started, claimant: undefined })).serverClaimed,
    ).toBe(false);
    expect(withClaims.claims).toEqual([]);
    expect((await changeStatus(source({ keepsNotes: true }).s, 'TASK-001', 'in_progress', started)).serverClaimed).toBe(
      false,
    );
  });

  it('tells whether the note given was kept with the task', async () => {
    const note = { ...started, claimant: undefined, note: 'waiting for the API key' };
    expect((await changeStatus(source({ keepsNotes: true }).s, 'TASK-001', 'blocked', note)).noteKept).toBe(true);
    expect((await changeStatus(source({ keepsNotes: false }).s, 'TASK-001', 'blocked', note)).noteKept).toBe(false);
  });
});
