import { expect } from 'vitest';
import { TaskSourceError } from '../../src/errors/task-source.js';

/** Awaits a promise that must reject with a TaskSourceError, and returns that error for further assertions. */
export async function taskSourceFailure(p: Promise<unknown>): Promise<TaskSourceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TaskSourceError);
  return err as TaskSourceError;
}
