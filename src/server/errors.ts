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

export function notFound(kind: 'Task' | 'Project' | 'Git branch', id: string): TaskDbError {
  return new TaskDbError('NOT_FOUND', `${kind} not found: ${id}`);
}

export function invalid(message: string): TaskDbError {
  return new TaskDbError('VALIDATION_ERROR', message);
}
