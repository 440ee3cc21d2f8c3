// What changed between two snapshots that a session should hear about once, unasked.
import type { AlertKind } from '../cache/alerts.js';
import { sanitize } from './sanitize.js';
import type { Task, TaskPriority } from '../tasks/task.js';

/** Titles are server data: one clean, bounded line, so an alert cannot smuggle in a paragraph of instructions. */
const oneLine = (title: string): string => sanitize(title, 120);

export interface AlertDraft {
  kind: AlertKind;
  taskId: string;
  message: string;
}

const ALERT_PRIORITIES: ReadonlySet<TaskPriority> = new Set(['high', 'urgent', 'critical']);

/**
 * New tasks of priority high/urgent/critical, and tasks that went from in progress to blocked. With no earlier
 * snapshot there is nothing to compare: the first fetch of a project raises no alerts.
 */
export function diffAlerts(previous: readonly Task[] | undefined, current: readonly Task[]): AlertDraft[] {
  if (!previous) return [];
  const before = new Map(previous.map((t) => [t.id, t]));
  const drafts: AlertDraft[] = [];
  for (const task of current) {
    const old = before.get(task.id);
    if (!old && ALERT_PRIORITIES.has(task.priority)) {
      drafts.push({
        kind: 'new_priority_task',
        taskId: task.id,
        message: `New ${task.priority} task: ${oneLine(task.title)} (id ${task.id})`,
      });
    } else if (old && old.status === 'in_progress' && task.status === 'blocked') {
      drafts.push({
        kind: 'task_blocked',
        taskId: task.id,
        message: `Task blocked: ${oneLine(task.title)} (id ${task.id}) was in progress`,
      });
    }
  }
  return drafts;
}
