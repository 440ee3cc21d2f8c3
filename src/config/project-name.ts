// A project's name when the config names none: its repository's, whatever its folder is called now
// (src/cache/repository-projects.ts), read once per process and repository.
import { openCache } from '../cache/cache.js';
import { repositoryProjectName } from '../cache/repository-projects.js';
import { readOriginKey } from '../git/identity.js';
import { findGitRoot } from '../git/repo.js';
import { spawnGitRunner } from '../git/safe.js';

/** Names already read in this process (the monitor loads settings for every served hook): a repository keeps its. */
const read = new Map<string, string>();

/**
 * The project of the repository around `cwd`, recorded in `home`'s cache; no name outside a repository or for one
 * without an origin or a commit (then its folder names it). A cache that cannot be opened leaves the folder's name
 * for this once, and says why.
 */
export async function repositoryProject(cwd: string, home: string): Promise<{ name?: string; error?: string }> {
  const root = findGitRoot(cwd);
  if (root === undefined) return {};
  const memo = `${home}\0${root}\0${readOriginKey(root) ?? ''}`;
  const kept = read.get(memo);
  if (kept !== undefined) return { name: kept };
  let cache: ReturnType<typeof openCache>;
  try {
    cache = openCache({ home });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { error: `the project of ${root} is named after its folder this time: the cache did not open (${why})` };
  }
  try {
    const name = await repositoryProjectName(cache, root, spawnGitRunner);
    if (name !== undefined) read.set(memo, name);
    return name === undefined ? {} : { name };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { error: `the project of ${root} is named after its folder this time: its record failed (${why})` };
  } finally {
    cache.close();
  }
}
