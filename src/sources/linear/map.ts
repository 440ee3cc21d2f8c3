// Linear's words as taskhooks' statuses and priorities, and back: state types (not the team's own state names,
// which each team renames) and the priority numbers.
import type { Task, TaskPriority, TaskStatus } from '../../tasks/task.js';
import { LINEAR_STATE_TYPES } from './definition.js';
import { readTrackerFields } from '../issues/tracker-fields.js';
import { LINEAR_TASK_FIELDS } from './queries.js';
import type { LinearIssue, LinearState } from './schema.js';

/** 0 is "No priority": sorted after Low, as Linear sorts it. */
export const LINEAR_PRIORITIES: Readonly<Record<number, TaskPriority>> = {
  0: 'low',
  1: 'urgent',
  2: 'high',
  3: 'medium',
  4: 'low',
};

export const TO_LINEAR_PRIORITY: Readonly<Record<TaskPriority, number>> = {
  critical: 1,
  urgent: 1,
  high: 2,
  medium: 3,
  low: 4,
};

/** The state types a status change moves an issue to, in order of preference. */
const TARGET_TYPES: Readonly<Record<TaskStatus, readonly string[]>> = {
  todo: ['unstarted', 'backlog'],
  in_progress: ['started'],
  review: ['started'],
  testing: ['started'],
  blocked: [],
  done: ['completed'],
  cancelled: ['canceled'],
};

/**
 * The team's state for `status`: one named like it (a team's "In Review", "Blocked"), else the first by position of
 * the type it means; undefined when the team has none.
 */
export function targetState(states: readonly LinearState[], status: TaskStatus): LinearState | undefined {
  const word = status.replace('_', ' ');
  const named = states.find((s) => s.name.toLowerCase() === word || s.name.toLowerCase() === `in ${word}`);
  if (named && status !== 'todo' && status !== 'in_progress') return named;
  for (const type of TARGET_TYPES[status]) {
    const first = states.filter((s) => s.type === type).sort((a, b) => a.position - b.position)[0];
    if (first) return first;
  }
  return named;
}

export function linearTask(issue: LinearIssue): Task {
  const task: Task = {
    id: issue.identifier,
    title: issue.title,
    description: issue.description ?? '',
    status: LINEAR_STATE_TYPES[issue.state.type] ?? 'todo',
    priority: LINEAR_PRIORITIES[issue.priority] ?? 'low',
    assignees: issue.assignee ? [issue.assignee.displayName || issue.assignee.name] : [],
    labels: issue.labels?.nodes.map((l) => l.name) ?? [],
    dependencies: [],
    ...readTrackerFields(LINEAR_TASK_FIELDS, issue),
  };
  if (issue.comments?.nodes.length) task.details = issue.comments.nodes.map((c) => c.body).join('\n\n');
  if (issue.createdAt) task.createdAt = issue.createdAt;
  if (issue.updatedAt) task.updatedAt = issue.updatedAt;
  return task;
}
