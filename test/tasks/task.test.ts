// The normalised task: the order pending work is read in, the next task, and which words are statuses.
import { describe, expect, it } from 'vitest';
import { comparePending, isTaskPriority, isTaskStatus, nextTaskOf } from '../../src/tasks/task.js';
import { task } from '../helpers/hooks.js';

describe('comparePending', () => {
  it('puts in-progress work first, then higher priority, then the oldest', () => {
    const tasks = [
      task('new', { priority: 'high', createdAt: '2024-03-02T10:00:00.000Z' }),
      task('old', { priority: 'high', createdAt: '2024-03-01T10:00:00.000Z' }),
      task('undated', { priority: 'high' }),
      task('low', { priority: 'low', createdAt: '2020-01-01T00:00:00.000Z' }),
      task('doing', { status: 'in_progress', priority: 'low' }),
    ];
    expect(tasks.sort(comparePending).map((t) => t.id)).toEqual(['doing', 'undated', 'old', 'new', 'low']);
  });
});

describe('nextTaskOf', () => {
  it("takes the server's recommendation when it gives one, else the most urgent pending task", () => {
    const tasks = [task('low', { priority: 'low' }), task('urgent', { priority: 'urgent' })];
    expect(nextTaskOf(tasks, task('picked'))?.id).toBe('picked');
    expect(nextTaskOf(tasks, null)?.id).toBe('urgent');
    expect(tasks.map((t) => t.id)).toEqual(['low', 'urgent']);
    expect(nextTaskOf([], undefined)).toBeUndefined();
  });
});

describe('isTaskStatus and isTaskPriority', () => {
  it('know the normalised words only', () => {
    expect(['todo', 'in_progress', 'cancelled'].every(isTaskStatus)).toBe(true);
    expect([' todo', 'In_Progress', 'pending', 3, undefined].some(isTaskStatus)).toBe(false);
    expect(['low', 'critical'].every(isTaskPriority)).toBe(true);
    expect(['p1', 'HIGH', null].some(isTaskPriority)).toBe(false);
  });
});
