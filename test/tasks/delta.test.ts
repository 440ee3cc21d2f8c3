// Patching a pending list with what changed: written tasks replaced or dropped when finished, gone ones dropped,
// claims whose lease ran out let go, and the order the same as a list sorted whole.
import { describe, expect, it } from 'vitest';
import { applyTaskChanges, sortPending, withLiveClaim } from '../../src/tasks/delta.js';
import type { Task } from '../../src/tasks/task.js';

const task = (id: string, extra: Partial<Task> = {}): Task => ({
  id,
  title: id,
  description: '',
  status: 'todo',
  priority: 'medium',
  assignees: [],
  labels: [],
  dependencies: [],
  createdAt: '2026-11-23T10:00:00.000Z',
  ...extra,
});

const NOW = Date.parse('2026-11-23T12:00:00.000Z');

describe('applyTaskChanges', () => {
  it('replaces written tasks, drops finished and removed ones, adds new open ones, in pending order', () => {
    const before = [task('A', { priority: 'high' }), task('B'), task('C')];
    const after = applyTaskChanges(
      before,
      {
        changed: [
          task('B', { status: 'done' }),
          task('C', { status: 'in_progress' }),
          task('D', { priority: 'urgent' }),
        ],
        removedIds: ['A', 'unknown'],
      },
      NOW,
    );
    expect(after.map((t) => t.id)).toEqual(['C', 'D']);
  });

  it('lets a claim go once its lease has ended, and keeps one still running', () => {
    const until = (ms: number) => new Date(NOW + ms).toISOString();
    const ended = task('E', { claimedBy: 'dana/s-1', claimUntil: until(-1) });
    const running = task('R', { claimedBy: 'ann/s-2', claimUntil: until(60_000) });
    const after = applyTaskChanges([ended, running], { changed: [], removedIds: [] }, NOW);
    expect(after.find((t) => t.id === 'E')).toEqual(task('E'));
    expect(after.find((t) => t.id === 'R')).toEqual(running);
    expect(withLiveClaim(running, NOW)).toBe(running);
  });

  it('ties in status, priority and age are ordered by id, whichever way the list was built', () => {
    const same = ['T-3', 'T-1', 'T-2'].map((id) => task(id));
    expect(sortPending([...same]).map((t) => t.id)).toEqual(['T-1', 'T-2', 'T-3']);
    expect(applyTaskChanges(same.slice(0, 1), { changed: same.slice(1), removedIds: [] }, NOW)).toEqual(
      sortPending([...same]),
    );
  });
});
