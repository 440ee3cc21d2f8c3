import { invalidPriorityMessage, invalidStatusMessage, transitionRefusal } from '../tasks/rules.js';
import { isTaskPriority, isTaskStatus, type TaskPriority, type TaskStatus } from '../tasks/task.js';

export type TaskDbErrorCode = 'NOT_FOUND' | 'VALIDATION_ERROR' | 'ALREADY_EXISTS' | 'INVALID_TRANSITION';

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
