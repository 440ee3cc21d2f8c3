// Rows as both engines store them, mapped to the store's records once. The engines differ only in how a list column
// and a claim's expiry come back (SQLite: JSON text and ISO text; PostgreSQL: jsonb arrays and timestamptz).
import type { TaskPriority, TaskStatus } from '../../tasks/task.js';
import type { GitBranch, Project, TaskNote, TaskPatch, TaskRecord } from './types.js';

/** Timestamps are ISO 8601 text: they sort as they read. */
export function now(): string {
  return new Date().toISOString();
}

export interface ProjectRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export type BranchRow = ProjectRow & { project_id: string };

/** A task row; `L` is how the engine hands back a list column, `T` a claim's expiry. */
export interface TaskRowOf<L, T> {
  id: string;
  project_id: string;
  git_branch_id: string | null;
  title: string;
  description: string;
  details: string;
  status: string;
  priority: string;
  assignees: L;
  labels: L;
  dependencies: L;
  estimated_effort: string | null;
  due_date: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  completion_summary: string | null;
  version: number;
  claimed_by: string | null;
  claim_expires_at: T | null;
}

export interface NoteRow {
  id: number;
  task_id: string;
  author: string;
  text: string;
  created_at: string;
}

export const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toBranch = (r: BranchRow): GitBranch => ({ ...toProject(r), projectId: r.project_id });

export const toNote = (r: NoteRow): TaskNote => ({
  id: r.id,
  taskId: r.task_id,
  author: r.author,
  text: r.text,
  createdAt: r.created_at,
});

/** The task of a row, given the engine's readers of a list column and of a claim's expiry. */
export function taskOfRow<L, T>(
  r: TaskRowOf<L, T>,
  list: (value: L) => string[],
  time: (value: T) => string,
): TaskRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    gitBranchId: r.git_branch_id,
    title: r.title,
    description: r.description,
    details: r.details,
    status: r.status as TaskStatus,
    priority: r.priority as TaskPriority,
    assignees: list(r.assignees),
    labels: list(r.labels),
    dependencies: list(r.dependencies),
    estimatedEffort: r.estimated_effort,
    dueDate: r.due_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
    completionSummary: r.completion_summary,
    version: r.version,
    claimedBy: r.claimed_by,
    claimExpiresAt: r.claim_expires_at === null ? null : time(r.claim_expires_at),
  };
}

/** A task row as SQLite hands it back: list columns as JSON text, a claim's expiry as ISO text. */
export type TaskRow = TaskRowOf<string, string>;

const parseList = (text: string): string[] => JSON.parse(text) as string[];
const same = (text: string): string => text;
export const toTask = (r: TaskRow): TaskRecord => taskOfRow(r, parseList, same);

/** The column each patchable field is stored in. */
export const TASK_COLUMN: Record<keyof TaskPatch, string> = {
  title: 'title',
  description: 'description',
  details: 'details',
  status: 'status',
  priority: 'priority',
  assignees: 'assignees',
  labels: 'labels',
  dependencies: 'dependencies',
  estimatedEffort: 'estimated_effort',
  dueDate: 'due_date',
  completionSummary: 'completion_summary',
  gitBranchId: 'git_branch_id',
};

/** The columns a new task is inserted with, in this order (the rest keep their defaults). */
export const NEW_TASK_COLUMNS = [
  'id',
  'project_id',
  'git_branch_id',
  'title',
  'description',
  'details',
  'status',
  'priority',
  'assignees',
  'labels',
  'dependencies',
  'estimated_effort',
  'due_date',
  'created_at',
  'updated_at',
  'completed_at',
] as const;
