// A task as the built-in store's served answers (and agenthub's) name its fields, made the normalised Task: one mapping
// for the agenthub reader, the local read and the task server's own session tools. No zod here.
import { ON_TASK, type OnTaskAnswers } from './fields.js';
import type { Task } from './task.js';

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
  } else if (t.git_branch_id === null) task.projectTask = true;
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
