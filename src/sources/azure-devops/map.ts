// Azure DevOps' words as taskhooks' statuses and priorities: a state's category (Proposed, InProgress, Resolved,
// Completed, Removed: every process has them, whatever it names its states), over it a state name the user maps
// (source.statuses); priority 1 (highest) to 4; descriptions and comments in HTML, read as text and written from it.
import type { Task, TaskPriority, TaskStatus } from '../../tasks/task.js';
import { readTrackerFields } from '../issues/tracker-fields.js';
import { AZURE_STATE_CATEGORIES } from './definition.js';
import { AZURE_TASK_FIELDS, F, type TypeState, type WorkItem } from './schema.js';

export const TO_AZURE_PRIORITY: Readonly<Record<TaskPriority, number>> = {
  critical: 1,
  urgent: 1,
  high: 1,
  medium: 2,
  low: 3,
};

const FROM_AZURE_PRIORITY: Readonly<Record<number, TaskPriority>> = { 1: 'high', 2: 'medium', 3: 'low', 4: 'low' };

/** The category a status change moves a work item into; blocked has none, only a state the user maps to it. */
export const TARGET_CATEGORY: Readonly<Partial<Record<TaskStatus, string>>> = {
  todo: 'Proposed',
  in_progress: 'InProgress',
  review: 'Resolved',
  testing: 'Resolved',
  done: 'Completed',
  cancelled: 'Removed',
};

/** The state names the user maps to statuses (source.statuses), compared without case. */
export type NamedStates = ReadonlyMap<string, TaskStatus>;

export const namedStates = (custom: Readonly<Record<string, TaskStatus>>): NamedStates =>
  new Map(Object.entries(custom).map(([w, s]) => [w.toLowerCase(), s]));

/** A state's status: its name as the user maps it, else its category's. */
export function stateStatus(named: NamedStates, state: string, category: string | undefined): TaskStatus {
  return named.get(state.toLowerCase()) ?? (category ? AZURE_STATE_CATEGORIES[category] : undefined) ?? 'todo';
}

/** The state a change to `status` moves to: one the user maps to it, else the first of its category. */
export function targetState(
  states: readonly TypeState[],
  status: TaskStatus,
  named: NamedStates,
): TypeState | undefined {
  const category = TARGET_CATEGORY[status];
  return (
    states.find((s) => named.get(s.name.toLowerCase()) === status) ??
    states.find((s) => s.category === category && stateStatus(named, s.name, s.category) === status)
  );
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** HTML as plain text: block ends and line breaks as new lines, tags dropped, entities read. */
export function htmlText(html: string | null | undefined): string {
  if (!html) return '';
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, e: string) => {
      if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? whole;
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isSafeInteger(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text as HTML: escaped, each line its own. */
export function textHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.split('\n').join('<br>');
}

const iso = (value: string | null | undefined): string | undefined => {
  const at = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
};

export function azureTask(item: WorkItem, statusOf: (state: string) => TaskStatus): Task {
  const f = item.fields;
  const assignee = f[F.assignedTo];
  const task: Task = {
    id: String(item.id),
    title: f[F.title],
    description: htmlText(f[F.description]),
    status: statusOf(f[F.state]),
    priority: FROM_AZURE_PRIORITY[f[F.priority] ?? 2] ?? 'medium',
    assignees: assignee ? [assignee.displayName || assignee.uniqueName || assignee.id || 'someone'] : [],
    labels: (f[F.tags] ?? '')
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean),
    dependencies: [],
    ...readTrackerFields(AZURE_TASK_FIELDS, f),
  };
  // A day is what taskhooks keeps: Azure DevOps keeps the moment, in UTC.
  if (task.dueDate) task.dueDate = task.dueDate.slice(0, 10);
  const created = iso(f[F.created]);
  const updated = iso(f[F.changed]);
  if (created) task.createdAt = created;
  if (updated) task.updatedAt = updated;
  return task;
}
