// Which project a repository is: the name it was first seen under, kept by its identity (src/git/identity.ts), so its
// folder renamed, moved or cloned again stays the same project; two repositories first seen under one folder name are
// two projects, the later one's name numbered.
import { statSync } from 'node:fs';
import { readOriginKey, readRootCommitKey } from '../git/identity.js';
import { gitDirs } from '../git/repo.js';
import type { GitRunner } from '../git/safe.js';
import { resolveScope } from '../tasks/scope.js';
import type { Cache } from './cache.js';

/** Where a repository's metadata is, and a stamp that changes when another repository is made at the same path. */
interface Place {
  gitDir: string;
  stamp: string;
}

function placeOf(root: string): Place | undefined {
  const { commonDir } = gitDirs(root);
  const s = statSync(commonDir, { throwIfNoEntry: false });
  return s ? { gitDir: commonDir, stamp: String(s.ino) } : undefined;
}

/** The identity last read at `place`, while no other repository has been made there since. */
function identityAt(cache: Cache, place: Place): string | undefined {
  const row = cache.db.prepare('SELECT stamp, repository FROM repository_places WHERE git_dir = ?').get(place.gitDir) as
    | { stamp: string; repository: string }
    | undefined;
  return row?.stamp === place.stamp ? row.repository : undefined;
}

const nameOf = (cache: Cache, repository: string): string | undefined =>
  (cache.db.prepare('SELECT name FROM repository_projects WHERE repository = ?').get(repository) as
    | { name: string }
    | undefined)?.name;

/** `folder`, or the first of `folder-2`, `folder-3`, … that no other repository's project is named. */
function freeName(cache: Cache, folder: string): string {
  const taken = cache.db.prepare('SELECT 1 FROM repository_projects WHERE name = ? LIMIT 1');
  let name = folder;
  for (let n = 2; taken.get(name) !== undefined; n++) name = `${folder}-${n}`;
  return name;
}

/**
 * The project of `repository`: the one recorded for it; else the project of the identity this same repository had
 * before at `place` (an origin added or changed since); else `folder`'s name, which a folder-named project of an
 * earlier release thereby joins, once, or a numbered one when another repository took that name first.
 */
export function projectOfRepository(
  cache: Cache,
  p: { repository: string; folder: string; place?: Place },
  now = Date.now(),
): string {
  return cache.write(() => {
    let name = nameOf(cache, p.repository);
    if (name === undefined) {
      const earlier = p.place && identityAt(cache, p.place);
      name = (earlier && nameOf(cache, earlier)) ?? freeName(cache, p.folder);
      cache.db
        .prepare('INSERT INTO repository_projects (repository, name, first_seen) VALUES (?, ?, ?)')
        .run(p.repository, name, now);
    }
    if (p.place && identityAt(cache, p.place) !== p.repository)
      cache.db
        .prepare(
          `INSERT INTO repository_places (git_dir, stamp, repository) VALUES (?, ?, ?)
           ON CONFLICT(git_dir) DO UPDATE SET stamp = excluded.stamp, repository = excluded.repository`,
        )
        .run(p.place.gitDir, p.place.stamp, p.repository);
    return name;
  });
}

/**
 * The project of the repository at git root `root`, by its identity: its origin read from its config file, else its
 * first commit, which git is asked once per place and which is kept here. undefined for a repository without either
 * (no origin, no commit yet): it is named after its folder until it has one.
 */
export async function repositoryProjectName(cache: Cache, root: string, runner: GitRunner): Promise<string | undefined> {
  const folder = resolveScope(undefined, root, '').project;
  if (folder.trim() === '') return undefined;
  const place = placeOf(root);
  const kept = place && identityAt(cache, place);
  const repository =
    readOriginKey(root) ?? (kept?.startsWith('commit:') ? kept : await readRootCommitKey(root, runner));
  if (repository === undefined) return undefined;
  return projectOfRepository(cache, { repository, folder, ...(place ? { place } : {}) });
}
