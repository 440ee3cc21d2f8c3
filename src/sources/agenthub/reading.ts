// What reading an agenthub listing means, with no zod: a task's fields made a Task, the bounds of a branch's read and
// of the branches scanned, and what the reader says of a branch the server does not know. The agenthub reader and the
// embedded store's local read (embedded/local-read.ts) both go by these, so they answer alike.
import { ON_TASK, type OnTaskAnswers } from '../../tasks/fields.js';
import type { Task } from '../../tasks/task.js';

/** manage_task list answers at most 100 a page; ten pages bound a branch's read. */
export const LIST_PAGE = 100;
export const MAX_LIST_PAGES = 10;
/** How many branches an unregistered-branch fallback reads tasks from. */
export const MAX_BRANCHES_SCANNED = 20;

/** Why a scope's tasks were read from the whole project: its branch is not one the server knows, or it has none. */
export const projectWideNote = (project: string, branch: string | undefined): string =>
  `${branch ? `branch ${branch} is not registered on the task server` : 'no git branch'}: pending tasks of project ${project} shown`;

/** The fields agenthub sends under a Task's own names. */
type SameAsTask = Pick<
  Task,
  'id' | 'title' | 'description' | 'status' | 'priority' | 'assignees' | 'labels' | 'dependencies'
>;

/** A task as agenthub sends it, once read (schema.ts reads it from an answer; the embedded store has it as is). */
export interface AgenthubTaskFields extends OnTaskAnswers, SameAsTask {
  git_branch_id?: string | null | undefined;
  details?: string | null | undefined;
  /** The notes kept beside the task (`add_note`), sent with a single task's read. */
  notes?: ReadonlyArray<{ text: string; author?: string | null | undefined }> | null | undefined;
  completion_summary?: string | null | undefined;
  claimed_by?: string | null | undefined;
  claim_expires_at?: string | null | undefined;
  created_at?: string | null | undefined;
  updated_at?: string | null | undefined;
}

/** The normalised task; `notes` keeps its details and completion summary (a single task's read, not a list's). */
export function taskOf(t: AgenthubTaskFields, opts: { notes: boolean }): Task {
  const task: Task = {
    id: t.id,
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    assignees: t.assignees,
    labels: t.labels,
    dependencies: t.dependencies,
  };
  if (t.git_branch_id) {
    task.branch = t.git_branch_id;
    task.branchId = t.git_branch_id;
  }
  const notes = (t.notes ?? []).map((n) => (n.author ? `${n.author}: ${n.text}` : n.text));
  const details = [t.details, ...notes].filter(Boolean).join('\n');
  if (opts.notes && details) task.details = details;
  if (opts.notes && t.completion_summary) task.summary = t.completion_summary;
  // A claim whose lease ran out names no one: the task is free again.
  if (t.claimed_by && !(t.claim_expires_at && Date.parse(t.claim_expires_at) <= Date.now())) {
    task.claimedBy = t.claimed_by;
    if (t.claim_expires_at) task.claimUntil = t.claim_expires_at;
  }
  if (t.created_at) task.createdAt = t.created_at;
  if (t.updated_at) task.updatedAt = t.updated_at;
  for (const { name, spec } of ON_TASK) {
    const value = t[spec.answer as keyof OnTaskAnswers];
    if (value) task[name] = value;
  }
  return task;
}
