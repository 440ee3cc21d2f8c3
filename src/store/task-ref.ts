// Naming a task: by its key (project and id), or by an id alone where one project holds it. Ids are counted per
// project, so an id several projects hold is refused with the projects the caller may see, never a guess.
import { TaskDbError, noSuch } from './errors.js';
import type { TaskKey, TaskRef } from './types.js';

export const idOf = (ref: TaskRef): string => (typeof ref === 'string' ? ref : ref.id);

/** The refusal of an id several projects hold: names them (only those the caller may see) and the argument to pass. */
export function ambiguousTask(id: string, projects: readonly string[]): TaskDbError {
  const names = projects.join(', ');
  return new TaskDbError(
    'VALIDATION_ERROR',
    `Task ${id} exists in ${projects.length} projects (${names}): pass project_id (one of ${names}) to say which`,
  );
}

/**
 * The key of `id` among the projects holding it (only those the caller may see): the one that does, undefined when
 * none does, refused when several do.
 */
export function keyAmong(id: string, holders: readonly { id: string; name: string }[]): TaskKey | undefined {
  const [only, ...more] = holders;
  if (!only) return undefined;
  if (more.length > 0)
    throw ambiguousTask(
      id,
      holders.map((p) => p.name),
    );
  return { projectId: only.id, id };
}

/** As keyAmong, with none refused as not found. */
export function requireKeyAmong(id: string, holders: readonly { id: string; name: string }[]): TaskKey {
  const key = keyAmong(id, holders);
  if (!key) throw noSuch('Task', id);
  return key;
}
