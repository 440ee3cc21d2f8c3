// A task's status set through its source, with the server's claim taken for a session that starts it: what
// `taskhooks tasks start|done|block|reopen` does before it prints.
import type { Task, TaskStatus } from '../../tasks/task.js';
import type { TaskSource } from '../source.js';

export interface StatusChanged {
  task: Task;
  /** Why the server kept no claim, when it refused one. */
  refused: string | undefined;
  serverClaimed: boolean;
  /** The note given was kept with the task (a source with nowhere to keep one, Task Master, drops it). */
  noteKept: boolean;
}

/** Sets the status and, with a claimant, takes the server's claim for it (a refusal is said, not thrown). */
export async function changeStatus(
  s: Pick<TaskSource, 'setStatus' | 'claim'>,
  id: string,
  status: TaskStatus,
  o: { note: string | undefined; claimant: string | undefined; leaseSeconds: number },
): Promise<StatusChanged> {
  const task = await s.setStatus(id, status, { note: o.note });
  const noteKept = o.note === undefined || [task.details, task.summary].some((t) => t?.includes(o.note as string));
  const changed = { task, noteKept, refused: undefined, serverClaimed: false };
  if (o.claimant === undefined || !s.claim) return changed;
  return s.claim(task.id, { claimant: o.claimant, leaseSeconds: o.leaseSeconds }).then(
    () => ({ ...changed, serverClaimed: true }),
    (err: unknown) => ({ ...changed, refused: err instanceof Error ? err.message : String(err) }),
  );
}
