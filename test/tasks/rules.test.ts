// The words every tool family and the task store refuse a bad status, priority or transition with.
import { describe, expect, it } from 'vitest';
import { invalidPriorityMessage, invalidStatusMessage, transitionRefusal } from '../../src/tasks/rules.js';

describe('transitionRefusal', () => {
  it('lets an open task go anywhere, and a closed one only stay or reopen to todo', () => {
    expect(transitionRefusal({ id: 'T-1', status: 'in_progress' }, 'done')).toBeUndefined();
    expect(transitionRefusal({ id: 'T-1', status: 'blocked' }, 'cancelled')).toBeUndefined();
    expect(transitionRefusal({ id: 'T-2', status: 'done' }, 'done')).toBeUndefined();
    expect(transitionRefusal({ id: 'T-2', status: 'done' }, 'todo')).toBeUndefined();
    expect(transitionRefusal({ id: 'T-3', status: 'cancelled' }, 'todo')).toBeUndefined();
    expect(transitionRefusal({ id: 'T-2', status: 'done' }, 'in_progress')).toBe(
      'Invalid status transition: T-2 is done; from done it can only go to todo (reopen)',
    );
    expect(transitionRefusal({ id: 'T-3', status: 'cancelled' }, 'done')).toMatch(/^Invalid status transition: T-3/);
  });
});

describe('invalid values', () => {
  it('name the value and every allowed word, in the caller’s vocabulary where it has one', () => {
    expect(invalidStatusMessage('finished')).toBe(
      "Invalid status: 'finished'. Allowed values: todo, in_progress, blocked, review, testing, done, cancelled",
    );
    expect(invalidStatusMessage(7, ['pending', 'completed'])).toBe(
      "Invalid status: '7'. Allowed values: pending, completed",
    );
    expect(invalidPriorityMessage('p0')).toBe(
      "Invalid priority: 'p0'. Allowed values: low, medium, high, urgent, critical",
    );
  });
});
