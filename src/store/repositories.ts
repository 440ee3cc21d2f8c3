// Which project a repository is: the name it was first seen under, kept by its identity, so its folder renamed, moved
// or cloned again stays the same project. Each origin is recorded with its first commit and where it was last seen,
// so another origin (renamed on its host, moved elsewhere, spelled otherwise) finds its project again, unless another
// repository with that first commit is still there: a fork is a project of its own. Two repositories first seen under
// one folder name are two projects, the later one's name numbered; a folder-named project of an earlier release is
// joined by the first repository seen under its name, once.
import { COMMIT_KEY_PREFIX } from '../git/identity.js';
import type { Connection } from './connection.js';
import type { KnownRepository, TaskDb } from './types.js';

type Row = { repository: string; project: string; firstCommit: string | null; seenIn: string | null };
const COLUMNS = 'repository, project, first_commit AS firstCommit, seen_in AS seenIn';

const known = ({ repository, project, firstCommit, seenIn }: Row): KnownRepository => ({
  repository,
  project,
  ...(firstCommit === null ? {} : { firstCommit }),
  ...(seenIn === null ? {} : { seenIn }),
});

function rowOf(c: Connection, repository: string): KnownRepository | undefined {
  const row = c.statement(`SELECT ${COLUMNS} FROM project_repositories WHERE repository = ?`).get(repository);
  return row === undefined ? undefined : known(row as Row);
}

/** The origins recorded with this first commit (and so with where they were seen), the earliest first. */
function withFirstCommit(c: Connection, firstCommit: string): Required<KnownRepository>[] {
  const rows = c
    .statement(`SELECT ${COLUMNS} FROM project_repositories WHERE first_commit = ? ORDER BY rowid`)
    .all(firstCommit) as Row[];
  return rows.flatMap(({ repository, project, seenIn }) =>
    seenIn === null ? [] : [{ repository, project, firstCommit, seenIn }],
  );
}

/** `folder`, or the first of `folder-2`, `folder-3`, … that no other repository's project is named. */
function freeName(c: Connection, folder: string): string {
  const taken = c.statement('SELECT 1 FROM project_repositories WHERE project = ? LIMIT 1');
  let name = folder;
  for (let n = 2; taken.get(name) !== undefined; n++) name = `${folder}-${n}`;
  return name;
}

export function repositoryProjects(c: Connection): Pick<TaskDb, 'knownRepository' | 'projectOfRepository'> {
  return {
    knownRepository: (repository) => rowOf(c, repository),
    // In one write: two sessions seeing a new repository at once name it once.
    projectOfRepository: ({ repository, folder, firstCommit, seenIn, isOther }) =>
      c.write(() => {
        const byCommit = repository.startsWith(COMMIT_KEY_PREFIX);
        const related = firstCommit === undefined ? [] : withFirstCommit(c, firstCommit);
        const here = related.find((r) => r.seenIn === seenIn);
        // Without an origin, the one it had here comes first: a fork's origin removed leaves it the fork's project.
        const mine = byCommit && here ? undefined : rowOf(c, repository);
        if (mine) {
          c.statement(
            'UPDATE project_repositories SET first_commit = coalesce(first_commit, ?), seen_in = ? WHERE repository = ?',
          ).run(byCommit ? null : (firstCommit ?? null), seenIn, repository);
          return { name: mine.project };
        }
        let name = here?.project;
        let forkOf: Required<KnownRepository> | undefined;
        const ofCommit = firstCommit === undefined ? undefined : rowOf(c, firstCommit)?.project;
        const joined = ofCommit ?? related[0]?.project;
        if (name === undefined && joined !== undefined) {
          forkOf = related.find((r) => r.project === joined && isOther(r));
          if (forkOf === undefined) name = joined;
        }
        name ??= freeName(c, folder);
        const record = c.statement(
          'INSERT OR IGNORE INTO project_repositories (repository, project, first_commit, seen_in) VALUES (?, ?, ?, ?)',
        );
        record.run(repository, name, byCommit ? null : (firstCommit ?? null), seenIn);
        // The first commit names the project too: its origin removed, the repository is still found.
        if (firstCommit !== undefined && !byCommit) record.run(firstCommit, name, null, seenIn);
        return forkOf ? { name, forkOf } : { name };
      }),
  };
}

/** Inside a project's rename: its repositories follow it to the new name. */
export function renameRepositoriesProject(c: Connection, from: string, to: string): void {
  c.statement('UPDATE project_repositories SET project = ? WHERE project = ?').run(to, from);
}
