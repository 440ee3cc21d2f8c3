// Jira's words as taskhooks' statuses and priorities: the status category (every workflow has one of three),
// over it a status the user or the common words name (Blocked), and the priority names; descriptions and comments
// in Atlassian Document Format.
import type { Task, TaskPriority, TaskStatus } from '../../tasks/task.js';
import { JIRA_PRIORITIES, JIRA_STATUSES } from './definition.js';
import { readTrackerFields } from '../issues/tracker-fields.js';
import { JIRA_TASK_FIELDS, type JiraIssue } from './schema.js';

export const JIRA_CATEGORIES: Readonly<Record<string, TaskStatus>> = {
  new: 'todo',
  indeterminate: 'in_progress',
  done: 'done',
};

export const TO_JIRA_PRIORITY: Readonly<Record<TaskPriority, string>> = {
  critical: 'Highest',
  urgent: 'Highest',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** The category a status change moves an issue into. */
export const TARGET_CATEGORY: Readonly<Partial<Record<TaskStatus, string>>> = {
  todo: 'new',
  in_progress: 'indeterminate',
  review: 'indeterminate',
  testing: 'indeterminate',
  done: 'done',
};

const lower = (words: Readonly<Record<string, TaskStatus>>): Map<string, TaskStatus> =>
  new Map(Object.entries(words).map(([w, s]) => [w.toLowerCase(), s]));

/** A status by its name (the user's words over the built-in ones), else by its category. */
export function jiraStatus(
  custom: Readonly<Record<string, TaskStatus>>,
): (name: string, category: string) => TaskStatus {
  const named = new Map([...lower(JIRA_STATUSES), ...lower(custom)]);
  return (name, category) => named.get(name.toLowerCase()) ?? JIRA_CATEGORIES[category] ?? 'todo';
}

/** The text of an Atlassian Document Format node: paragraphs and list items on lines of their own. */
export function adfText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return typeof node === 'string' ? node : '';
  const { type, text, content } = node as { type?: unknown; text?: unknown; content?: unknown };
  if (type === 'text' && typeof text === 'string') return text;
  if (type === 'hardBreak') return '\n';
  const inner = Array.isArray(content) ? content.map(adfText) : [];
  const block = type === 'doc' || type === 'bulletList' || type === 'orderedList' || type === 'listItem';
  return inner.join(block ? '\n' : '').trim();
}

/** Plain text as an Atlassian Document Format document: one paragraph per line. */
export function adfDocument(text: string): { type: 'doc'; version: 1; content: Record<string, unknown>[] } {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({
      type: 'paragraph',
      content: line ? [{ type: 'text', text: line }] : [],
    })),
  };
}

/** Jira's `2026-11-01T10:00:00.000+0000` as ISO 8601 UTC, which sorts by code unit. */
const iso = (value: string | null | undefined): string | undefined => {
  const at = value ? Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : Number.NaN;
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
};

export function jiraTask(issue: JiraIssue, statusOf: (name: string, category: string) => TaskStatus): Task {
  const f = issue.fields;
  const task: Task = {
    id: issue.key,
    title: f.summary,
    description: adfText(f.description),
    status: statusOf(f.status.name, f.status.statusCategory.key),
    priority: (f.priority && JIRA_PRIORITIES[f.priority.name]) || 'medium',
    assignees: f.assignee ? [f.assignee.displayName || f.assignee.accountId] : [],
    labels: f.labels ?? [],
    dependencies: [],
    ...readTrackerFields(JIRA_TASK_FIELDS, f),
  };
  if (f.comment?.comments.length) task.details = f.comment.comments.map((c) => adfText(c.body)).join('\n\n');
  const created = iso(f.created);
  const updated = iso(f.updated);
  if (created) task.createdAt = created;
  if (updated) task.updatedAt = updated;
  return task;
}
