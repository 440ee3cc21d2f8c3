// A project's name when the config names none: its repository's, whatever its folder is called now, recorded in the
// built-in store (src/store/repositories.ts). Read on a miss of the validated-config cache, whose entry then keeps it:
// a hook's usual run reads neither the repository nor the store for it.
import { readOriginKey, readRootCommitKey } from '../git/identity.js';
import { findGitRoot } from '../git/repo.js';
import { spawnGitRunner } from '../git/safe.js';
import { homeFiles } from '../home/files.js';
import { hookLogger } from '../log/logger.js';
import { openTaskDb, storeFileOptions } from '../store/index.js';
import { resolveScope } from '../tasks/scope.js';

/**
 * The project of the repository around `cwd`: undefined outside a repository, or for one without an origin or a
 * commit yet (its folder names it until it has one). A store that cannot be opened leaves the folder's name for this
 * once: the failure is logged, and `failed` set so that the answer is not kept.
 */
export async function repositoryProject(cwd: string, home: string): Promise<{ name?: string; failed?: true }> {
  const root = findGitRoot(cwd);
  if (root === undefined) return {};
  const folder = resolveScope(undefined, root, '').project;
  const origin = readOriginKey(root);
  // git runs for the first commit only without an origin, or for an origin new to the store (below).
  const commit = () => readRootCommitKey(root, spawnGitRunner);
  const repository = origin ?? (await commit());
  if (repository === undefined || folder.trim() === '') return {};
  const file = homeFiles(home).tasks;
  try {
    const db = openTaskDb(file, storeFileOptions(file, home));
    try {
      const known = db.repositoryProject(repository);
      if (known !== undefined) return { name: known };
      // The first commit, for an origin new here, only when a repository without one was seen: a long history's
      // walk costs a hook up to git's timeout.
      const earlier = origin !== undefined && db.knowsFirstCommits() ? await commit() : undefined;
      return { name: db.projectOfRepository({ repository, folder, ...(earlier ? { earlier } : {}) }) };
    } finally {
      db.close();
    }
  } catch (err) {
    hookLogger('config', home, 'warn').warn(
      { err, root, store: file },
      `the project of ${root} is named after its folder (${folder}) this time: the task store did not say which it is`,
    );
    return { failed: true };
  }
}
