// The agenthub tools' argument shapes (that server's parameter names) and the coercions its loose inputs need.
import * as z from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '../../tasks/task.js';
import { SORT_KEYS } from '../../store/index.js';
import { invalid, type TaskDbError } from '../../store/errors.js';
import { FIELD_ARGS, REQUEST_ID_ARG } from '../task-fields.js';

const text = z.string().optional();
const list = z.union([z.string(), z.array(z.string())]).optional();
const int = z.union([z.number(), z.string()]).optional();

export const TASK_ACTIONS = [
  'list',
  'get',
  'next',
  'create',
  'update',
  'complete',
  'search',
  'delete',
  'add_dependency',
  'remove_dependency',
  'claim',
  'release',
  'add_note',
  'add_work_record',
  'list_work_records',
] as const;
export const BRANCH_ACTIONS = ['list', 'get', 'create', 'update', 'delete'] as const;
export const PROJECT_ACTIONS = ['list', 'get', 'create', 'update'] as const;

export const manageTaskShape = {
  action: z.string().describe(`One of: ${TASK_ACTIONS.join(', ')}`),
  task_id: text,
  git_branch_id: text,
  project_id: text.describe(
    'create: the project (id or name) of a task without git_branch_id; with task_id: the project holding it, needed only when the id is in several projects you can see (ids are counted per project)',
  ),
  title: text,
  description: text,
  ...FIELD_ARGS,
  status: text.describe(`${TASK_STATUSES.join(' | ')}; list accepts a comma-separated set`),
  priority: text.describe(TASK_PRIORITIES.join(' | ')),
  assignees: list,
  labels: list,
  dependencies: list,
  dependency_id: text,
  limit: int.describe('1..100, default 50'),
  offset: int,
  since: int.describe(
    'list / search: a sequence an earlier answer gave; answers only the tasks changed after it and deleted_task_ids',
  ),
  query: text,
  sort_by: text.describe(SORT_KEYS.join(' | ')),
  sort_order: text.describe('asc | desc'),
  completion_summary: text,
  testing_notes: text,
  include_context: z.union([z.boolean(), z.string()]).optional(),
  claimant: text.describe('claim / release: who takes or gives up the task (a person, a session)'),
  lease_seconds: int.describe('claim: how long the task stays taken unless claimed again, 1..86400, default 900'),
  version: int.describe(
    "claim / update: the task's version as read; refused with CONFLICT when the task has changed since",
  ),
  note: text.describe('add_note: the text of the note'),
  author: text.describe('add_note: who writes it'),
  work_record: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'add_work_record: what a session did on the task: session_id, agent, branch, machine, started_at, ended_at (ISO), commits [{hash, subject}], uncommitted [paths], status_to, status_changes [{status, at}], closing_words',
    ),
  branch: text.describe("list_work_records without task_id: the branch whose sessions' records are wanted"),
  task_ids: list.describe('list_work_records without task_id: and the records of these tasks'),
  request_id: REQUEST_ID_ARG,
};

export const manageBranchShape = {
  action: z.string().describe(`One of: ${BRANCH_ACTIONS.join(', ')}`),
  project_id: text.describe('Required for every action'),
  git_branch_id: text,
  git_branch_name: text,
  git_branch_description: text,
};

export const manageProjectShape = {
  action: z.string().describe(`One of: ${PROJECT_ACTIONS.join(', ')}`),
  project_id: text,
  name: text,
  description: text,
};

export type TaskArgs = z.infer<z.ZodObject<typeof manageTaskShape>>;
export type BranchArgs = z.infer<z.ZodObject<typeof manageBranchShape>>;
export type ProjectArgs = z.infer<z.ZodObject<typeof manageProjectShape>>;

/** agenthub takes lists either as arrays or as comma-separated strings. */
export function toList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const items = Array.isArray(v) ? v : v.split(',');
  return items.map((s) => s.trim()).filter(Boolean);
}

export function requireArg(value: string | undefined, name: string, action: string): string {
  if (value === undefined || value.trim() === '')
    throw invalid(`Missing required field: ${name} (required for action "${action}")`);
  return value.trim();
}

export function toInt(
  v: number | string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (v === undefined || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalid(`Invalid ${name}: ${String(v)}. Allowed values: ${min}..${max}`);
  return n;
}

export function unknownAction(action: string, allowed: readonly string[]): TaskDbError {
  return invalid(`Unknown action: '${action}'. Allowed values: ${allowed.join(', ')}`);
}
