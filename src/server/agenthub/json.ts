// The store's records as agenthub answers them (its field names, and the fields it has that this server does not).
import type { GitBranch, Project, TaskNote, TaskRecord } from '../../store/types.js';
import { fieldSpec, TASK_FIELD_NAMES, type FieldAnswers } from '../../tasks/fields.js';
import type { TaskPriority, TaskStatus } from '../../tasks/task.js';

/** A task as manage_task answers it (the embedded store's local read makes a Task of it as a reader of an answer would). */
export type TaskJson = FieldAnswers & {
  id: string;
  title: string;
  description: string;
  project_id: string;
  git_branch_id: string | null;
  status: TaskStatus;
  priority: TaskPriority;
  assignees: string[];
  labels: string[];
  dependencies: string[];
  subtasks: never[];
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  completion_summary: string | null;
  context_id: null;
  progress_percentage: number;
  version: number;
  claimed_by: string | null;
  claim_expires_at: string | null;
};

/** The plain fields by their answer names. */
function fieldAnswers(t: TaskRecord): FieldAnswers {
  return Object.fromEntries(TASK_FIELD_NAMES.map((name) => [fieldSpec(name).answer, t[name]])) as FieldAnswers;
}

export function taskJson(t: TaskRecord): TaskJson {
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    project_id: t.projectId,
    git_branch_id: t.gitBranchId,
    status: t.status,
    priority: t.priority,
    ...fieldAnswers(t),
    assignees: t.assignees,
    labels: t.labels,
    dependencies: t.dependencies,
    subtasks: [],
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    completed_at: t.completedAt,
    completion_summary: t.completionSummary,
    context_id: null,
    progress_percentage: t.status === 'done' ? 100 : 0,
    version: t.version,
    claimed_by: t.claimedBy,
    claim_expires_at: t.claimExpiresAt,
  };
}

export const noteJson = (n: TaskNote): Record<string, unknown> => ({
  id: n.id,
  task_id: n.taskId,
  author: n.author,
  text: n.text,
  created_at: n.createdAt,
});

export const branchJson = (b: GitBranch): Record<string, unknown> => ({
  id: b.id,
  project_id: b.projectId,
  name: b.name,
  description: b.description,
  created_at: b.createdAt,
  updated_at: b.updatedAt,
});

export const projectJson = (p: Project): Record<string, unknown> => ({
  id: p.id,
  name: p.name,
  description: p.description,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
});
