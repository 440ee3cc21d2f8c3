import { invalidPriorityMessage, invalidStatusMessage, transitionRefusal } from '../tasks/rules.js';
import { isTaskPriority, isTaskStatus, type TaskPriority, type TaskStatus } from '../tasks/task.js';

/**
 * CLAIMED: another claimant's lease holds the task; CONFLICT: the version named is not the task's any more;
 * UNAVAILABLE: the store's database (or its pooler) could not be reached: worth a retry, a write with its request id.
 */
export type TaskDbErrorCode =
  | 'NOT_FOUND'
  | 'VALIDATION_ERROR'
  | 'ALREADY_EXISTS'
  | 'INVALID_TRANSITION'
  | 'CLAIMED'
  | 'CONFLICT'
  | 'UNAVAILABLE';

/** A refusal the caller can act on: the message names the thing and what is allowed. */
export class TaskDbError extends Error {
  constructor(
    readonly code: TaskDbErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TaskDbError';
  }
}

export function noSuch(kind: 'Task' | 'Project' | 'Git branch', id: string): TaskDbError {
  return new TaskDbError('NOT_FOUND', `${kind} not found: ${id}`);
}

export function invalid(message: string): TaskDbError {
  return new TaskDbError('VALIDATION_ERROR', message);
}

export function requireStatus(value: unknown): TaskStatus {
  if (!isTaskStatus(value)) throw invalid(invalidStatusMessage(value));
  return value;
}

export function requirePriority(value: unknown): TaskPriority {
  if (!isTaskPriority(value)) throw invalid(invalidPriorityMessage(value));
  return value;
}

export function checkTransition(task: { id: string; status: TaskStatus }, to: TaskStatus): void {
  const refusal = transitionRefusal(task, to);
  if (refusal) throw new TaskDbError('INVALID_TRANSITION', refusal);
}

/** `value` trimmed; refused when nothing is left. `what` names the field in the refusal. */
export function requireNonEmpty(what: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw invalid(`${what} must not be empty`);
  return trimmed;
}

/** The refusal of a claim or write while `holder` holds the task until `until`. */
export function claimedBy(taskId: string, holder: string, until: string): TaskDbError {
  return new TaskDbError(
    'CLAIMED',
    `Task ${taskId} is claimed by ${holder} until ${until}: wait for the lease to end, or ask ${holder} to release it`,
  );
}

/** The refusal of a compare-and-set that named a version the task has moved past. */
export function staleVersion(taskId: string, expected: number, actual: number): TaskDbError {
  return new TaskDbError(
    'CONFLICT',
    `Task ${taskId} is at version ${actual}, not ${expected}: it changed since it was read; get it again and retry`,
  );
}
