// Which project a repository is: the name it was first seen under, kept by its identity, so its folder renamed, moved
// or cloned again stays the same project. Two repositories first seen under one folder name are two projects, the
// later one's name numbered; a folder-named project of an earlier release is joined by the first repository seen
// under its name, once.
import { COMMIT_KEY_PREFIX } from '../git/identity.js';
import type { Connection } from './connection.js';
import type { TaskDb } from './types.js';

const nameOf = (c: Connection, repository: string): string | undefined =>
  (
    c.statement('SELECT project FROM project_repositories WHERE repository = ?').get(repository) as
      | { project: string }
      | undefined
  )?.project;

/** `folder`, or the first of `folder-2`, `folder-3`, … that no other repository's project is named. */
function freeName(c: Connection, folder: string): string {
  const taken = c.statement('SELECT 1 FROM project_repositories WHERE project = ? LIMIT 1');
  let name = folder;
  for (let n = 2; taken.get(name) !== undefined; n++) name = `${folder}-${n}`;
  return name;
}

export function repositoryProjects(
  c: Connection,
): Pick<TaskDb, 'repositoryProject' | 'knowsFirstCommits' | 'projectOfRepository'> {
  return {
    repositoryProject: (repository) => nameOf(c, repository),
    knowsFirstCommits: () =>
      c
        .statement('SELECT 1 FROM project_repositories WHERE substr(repository, 1, ?) = ? LIMIT 1')
        .get(COMMIT_KEY_PREFIX.length, COMMIT_KEY_PREFIX) !== undefined,
    // In one write: two sessions seeing a new repository at once name it once.
    projectOfRepository: ({ repository, folder, earlier }) =>
      c.write(() => {
        const known = nameOf(c, repository);
        if (known !== undefined) return known;
        const name = (earlier === undefined ? undefined : nameOf(c, earlier)) ?? freeName(c, folder);
        c.statement('INSERT INTO project_repositories (repository, project) VALUES (?, ?)').run(repository, name);
        return name;
      }),
  };
}

/** Inside a project's rename: its repositories follow it to the new name. */
export function renameRepositoriesProject(c: Connection, from: string, to: string): void {
  c.statement('UPDATE project_repositories SET project = ? WHERE project = ?').run(to, from);
}
