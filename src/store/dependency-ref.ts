// Naming a task among a task's dependencies: by id for its own project's, with the project for another's. No import
// here: the store's schema (its migrations) uses it, and everything else imports the schema through the connection.

/** The task a dependency names (a TaskKey). */
export interface DependencyKey {
  projectId: string;
  id: string;
}

/**
 * A dependency names a task of its own project by id, or one of another project as `<project id>/<task id>`: the
 * store kept dependencies across projects before ids were counted per project, and a bare id now means this
 * project's task. The prefix counts only when it is another project that exists, so an id of this project that
 * holds a slash stays its own.
 */
export function dependencyKey(
  projectId: string,
  dependency: string,
  isProject: (id: string) => boolean,
): DependencyKey {
  const at = dependency.indexOf('/');
  const other = dependency.slice(0, Math.max(at, 0));
  if (at > 0 && at < dependency.length - 1 && other !== projectId && isProject(other))
    return { projectId: other, id: dependency.slice(at + 1) };
  return { projectId, id: dependency };
}

/** How a task of another project is written among a task's dependencies. */
export const otherProjectDependency = (key: DependencyKey): string => `${key.projectId}/${key.id}`;

/** The project ids a list of dependencies may name (their prefixes), for a caller that looks them up at once. */
export const dependencyPrefixes = (dependencies: readonly string[]): string[] => [
  ...new Set(dependencies.flatMap((d) => (d.indexOf('/') > 0 ? [d.slice(0, d.indexOf('/'))] : []))),
];
