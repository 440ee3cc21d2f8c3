// The one normalised task shape every adapter maps into and every renderer reads from.
import type { TaskFieldValues } from './fields.js';

export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'testing', 'done', 'cancelled'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent', 'critical'] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** The plain fields a person meets (`fields.ts`, `task`) are declared there and follow from it. */
export interface Task extends TaskFieldValues {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** The branch this task belongs to, by name where the source knows it (else by `branchId`), when the server has branches. */
  branch?: string;
  /** The server's id of that branch, when it names branches by id (agenthub, the embedded store). */
  branchId?: string;
  /** A task of the whole project, on no branch: every branch of the project lists it (the built-in store). */
  projectTask?: true;
  /**
   * Notes kept with the task (agenthub's `details`; `tasks start|block --note` adds to them). Read with one task
   * (show, next, a status change), never with a list: lists are what the hooks cache and read.
   */
  details?: string;
  /** What was said when it was finished (`tasks done --note`): a completion summary or completion notes. */
  summary?: string;
  assignees: string[];
  /** Who holds the task's claim while its lease lasts: a person, and their session after a slash (`dana/session-7`). */
  claimedBy?: string;
  /** When that claim's lease ends (ISO 8601), where the server says: a snapshot kept up to date by deltas lets it go then. */
  claimUntil?: string;
  labels: string[];
  dependencies: string[];
  createdAt?: string;
  updatedAt?: string;
}

/** How a task of the whole project (`projectTask`), which every branch lists, is marked wherever it is listed. */
export const EVERY_BRANCH = 'every branch';

/** Statuses that still need work: what "pending" means for hooks and the monitor. */
export const OPEN_STATUSES: readonly TaskStatus[] = ['in_progress', 'todo', 'blocked', 'review', 'testing'];

const PRIORITY_RANK: Record<TaskPriority, number> = { critical: 0, urgent: 1, high: 2, medium: 3, low: 4 };
const STATUS_RANK: Record<TaskStatus, number> = {
  in_progress: 0,
  todo: 1,
  review: 2,
  testing: 3,
  blocked: 4,
  done: 5,
  cancelled: 6,
};

/**
 * ISO 8601 timestamps order correctly by code unit. Not localeCompare: its first call builds an ICU collator,
 * ~6 ms of every hook process that renders tasks.
 */
function compareTimestamps(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** In progress first, then by priority, then oldest first: the order people read pending work in. */
export function comparePending(a: Task, b: Task): number {
  return (
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    compareTimestamps(a.createdAt ?? '', b.createdAt ?? '')
  );
}

export function isTaskStatus(v: unknown): v is TaskStatus {
  return typeof v === 'string' && (TASK_STATUSES as readonly string[]).includes(v);
}

export function isTaskPriority(v: unknown): v is TaskPriority {
  return typeof v === 'string' && (TASK_PRIORITIES as readonly string[]).includes(v);
}

/** The task to work on next: the server's recommendation, else the most urgent pending one. */
export function nextTaskOf(tasks: readonly Task[], serverNext: Task | null | undefined): Task | undefined {
  return serverNext ?? [...tasks].sort(comparePending)[0];
}
