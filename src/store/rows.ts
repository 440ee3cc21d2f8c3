// Rows as both engines store them, mapped to the store's records once. The engines differ only in how a list column
// and a claim's expiry come back (SQLite: JSON text and ISO text; PostgreSQL: jsonb arrays and timestamptz).
import {
  fieldProblem,
  fieldSpec,
  TASK_FIELD_NAMES,
  type FieldColumns,
  type StoredFields,
  type TaskFieldName,
} from '../tasks/fields.js';
import type { TaskPriority, TaskStatus } from '../tasks/task.js';
import { invalid } from './errors.js';
import type { GitBranch, NewTask, Project, TaskNote, TaskPatch, TaskRecord } from './types.js';

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

/** A task row; `L` is how the engine hands back a list column, `T` a claim's expiry. The plain fields' columns follow from their declaration. */
export interface TaskRowOf<L, T> extends FieldColumns {
  id: string;
  project_id: string;
  git_branch_id: string | null;
  title: string;
  description: string;
  status: string;
  priority: string;
  assignees: L;
  labels: L;
  dependencies: L;
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
    ...fieldsOfRow(r),
    status: r.status as TaskStatus,
    priority: r.priority as TaskPriority,
    assignees: list(r.assignees),
    labels: list(r.labels),
    dependencies: list(r.dependencies),
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

/** The plain fields of a row, by their declaration. */
function fieldsOfRow(r: FieldColumns): StoredFields {
  return Object.fromEntries(
    TASK_FIELD_NAMES.map((name) => [name, r[fieldSpec(name).column as keyof FieldColumns]]),
  ) as StoredFields;
}

/** A plain field's value as stored: checked against its kind; '', null and absent are the field's empty value. */
function storedValue(name: TaskFieldName, value: string | null | undefined): string | null {
  const spec = fieldSpec(name);
  if (value === undefined || value === null || value === '') return spec.empty;
  const problem = fieldProblem(spec.kind, value);
  if (problem) throw invalid(`${spec.arg}: ${problem}`);
  return value;
}

/** The plain fields' columns of a new task, each checked (see storedValue). */
function fieldColumnsOf(input: Partial<StoredFields>): Record<string, string | null> {
  return Object.fromEntries(TASK_FIELD_NAMES.map((name) => [fieldSpec(name).column, storedValue(name, input[name])]));
}

/** Plain field values by their columns, as they are: an import writes back what an export read. */
export function fieldColumns(values: StoredFields): Record<string, string | null> {
  return Object.fromEntries(TASK_FIELD_NAMES.map((name) => [fieldSpec(name).column, values[name]]));
}

/** The column each patchable field is stored in. */
export const TASK_COLUMN: Record<keyof TaskPatch, string> = {
  title: 'title',
  description: 'description',
  status: 'status',
  priority: 'priority',
  assignees: 'assignees',
  labels: 'labels',
  dependencies: 'dependencies',
  completionSummary: 'completion_summary',
  gitBranchId: 'git_branch_id',
  ...(Object.fromEntries(TASK_FIELD_NAMES.map((name) => [name, fieldSpec(name).column])) as Record<
    TaskFieldName,
    string
  >),
};

const isFieldName = (key: string): key is TaskFieldName => (TASK_FIELD_NAMES as string[]).includes(key);

/** A patch's columns and their stored values (lists as JSON text, plain fields checked); absent keys are left out. */
export function patchColumns(patch: TaskPatch): Array<[column: string, value: unknown]> {
  return (Object.entries(patch) as [keyof TaskPatch, unknown][])
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [
      TASK_COLUMN[key],
      isFieldName(key)
        ? storedValue(key, value as string | null)
        : Array.isArray(value)
          ? JSON.stringify(value)
          : value,
    ]);
}

/** The columns a new task is inserted with, in this order (the rest keep their defaults). */
export const NEW_TASK_COLUMNS = [
  'id',
  'project_id',
  'git_branch_id',
  'title',
  'description',
  'status',
  'priority',
  'assignees',
  'labels',
  'dependencies',
  ...TASK_FIELD_NAMES.map((name) => fieldSpec(name).column),
  'created_at',
  'updated_at',
  'completed_at',
];

/** What createOne has checked of a new task before its row is made. */
export interface CheckedTask {
  id: string;
  projectId: string;
  branchId: string | null;
  title: string;
  status: TaskStatus;
  priority: TaskPriority;
}

/** A new task's row by column (NEW_TASK_COLUMNS): the same for both engines. */
export function newTaskRow(input: NewTask, t: CheckedTask, at: string): Record<string, unknown> {
  return {
    id: t.id,
    project_id: t.projectId,
    git_branch_id: t.branchId,
    title: t.title,
    description: input.description ?? '',
    status: t.status,
    priority: t.priority,
    assignees: JSON.stringify(input.assignees ?? []),
    labels: JSON.stringify(input.labels ?? []),
    dependencies: JSON.stringify(input.dependencies ?? []),
    ...fieldColumnsOf(input),
    created_at: at,
    updated_at: at,
    completed_at: t.status === 'done' ? at : null,
  };
}
