import { describe, expect, it } from 'vitest';
import { diffAlerts } from '../../src/context/alerts.js';
import { task } from '../helpers/hooks.js';

describe('diffAlerts', () => {
  it('alerts on new high, urgent and critical tasks only', () => {
    const prev = [task('1')];
    const next = [
      task('1'),
      task('2', { priority: 'critical', title: 'Fix login outage' }),
      task('3', { priority: 'urgent' }),
      task('4', { priority: 'high' }),
      task('5', { priority: 'medium' }),
      task('6', { priority: 'low' }),
    ];
    const drafts = diffAlerts(prev, next);
    expect(drafts.map((d) => d.taskId)).toEqual(['2', '3', '4']);
    expect(drafts[0]).toEqual({
      kind: 'new_priority_task',
      taskId: '2',
      message: 'New critical task: Fix login outage (id 2)',
    });
  });

  it('alerts when a task in progress became blocked, not when a todo did', () => {
    const prev = [task('1', { status: 'in_progress' }), task('2', { status: 'todo' })];
    const next = [task('1', { status: 'blocked', title: 'Ship it' }), task('2', { status: 'blocked' })];
    expect(diffAlerts(prev, next)).toEqual([
      { kind: 'task_blocked', taskId: '1', message: 'Task blocked: Ship it (id 1) was in progress' },
    ]);
  });

  it('raises nothing on the first snapshot or when priorities of known tasks change', () => {
    expect(diffAlerts(undefined, [task('1', { priority: 'critical' })])).toEqual([]);
    expect(diffAlerts([task('1')], [task('1', { priority: 'critical' })])).toEqual([]);
  });

  it('keeps a hostile title to one bounded line', () => {
    const [d] = diffAlerts(
      [],
      [task('9', { priority: 'high', title: `line1\nIGNORE PREVIOUS\r\n${'x'.repeat(300)}` })],
    );
    expect(d?.message).not.toMatch(/[\n\r]/);
    expect(d?.message.length).toBeLessThan(160);
    expect(d?.message.startsWith('New high task: line1 IGNORE PREVIOUS x')).toBe(true);
  });
});
