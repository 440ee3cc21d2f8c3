// How one task is printed: its times read as the rest of the CLI says them, not as the store keeps them.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { printTask } from '../../src/cli/task-output.js';
import type { Task } from '../../src/tasks/task.js';

function printed(task: Partial<Task>, now: number): string {
  const stdout = new PassThrough();
  const out = { stdout, stderr: new PassThrough(), color: false };
  const base: Task = {
    id: 'TASK-001',
    title: 'Fix login',
    description: '',
    status: 'todo',
    priority: 'medium',
    assignees: [],
    labels: [],
    dependencies: [],
  };
  printTask(out, { ...base, ...task }, now);
  return String(stdout.read());
}

describe('printTask', () => {
  it('says how long ago the task was created and updated', () => {
    const now = Date.parse('2026-11-25T10:00:00.000Z');
    const text = printed({ createdAt: '2026-11-25T09:57:00.000Z', updatedAt: '2026-11-25T09:59:57.000Z' }, now);
    expect(text).toMatch(/^created\s+3 min ago$/m);
    expect(text).toMatch(/^updated\s+3 s ago$/m);
    expect(text).not.toContain('2026-11-25T');
  });

  it('prints a time it cannot read as the source wrote it', () => {
    expect(printed({ createdAt: 'yesterday-ish' }, Date.now())).toMatch(/^created\s+yesterday-ish$/m);
  });
});
