// A project's name when the config names none: its repository's, whatever its folder is called now, recorded in the
// built-in store (src/store/repositories.ts). Read on a miss of the validated-config cache, whose entry then keeps it:
// a hook's usual run reads neither the repository nor the store for it.
import path from 'node:path';
import { hostedPath, originKeyIn, readRootCommitKey } from '../git/identity.js';
import { findGitRoot, gitDirs } from '../git/repo.js';
import { spawnGitRunner } from '../git/safe.js';
import { homeFiles } from '../home/files.js';
import { postNotice } from '../home/notices.js';
import { hookLogger } from '../log/logger.js';
import { openTaskDb, storeFileOptions } from '../store/index.js';
import type { KnownRepository } from '../store/types.js';
import { resolveScope } from '../tasks/scope.js';

/** The working copy whose git common dir is `commonDir`. */
const workingCopy = (commonDir: string): string =>
  path.basename(commonDir) === '.git' ? path.dirname(commonDir) : commonDir;

/**
 * Whether `other`, recorded with the first commit of the repository whose origin is `origin` (in `commonDir`), is
 * another repository still there, which a fork is. It is not when it is gone or has another origin there now (renamed
 * on its host, moved), when both name the same owner and repository (an ssh alias, a mirror on another host), or
 * when this one was cloned from it on this machine.
 */
function isOther(other: Required<KnownRepository>, origin: string | undefined, commonDir: string): boolean {
  if (origin === undefined || other.seenIn === commonDir || originKeyIn(other.seenIn) !== other.repository)
    return false;
  const owned = hostedPath(origin);
  if (owned !== undefined && owned === hostedPath(other.repository)) return false;
  return ![other.seenIn, workingCopy(other.seenIn)].includes(path.resolve(origin));
}

/** Tells the person, once, that a repository was taken for a fork: they may know better. */
function tellFork(
  home: string,
  f: { root: string; repository: string; name: string; forkOf: Required<KnownRepository> },
): void {
  const text = `${f.root} (${f.repository}) starts with the same commit as ${f.forkOf.repository} in ${workingCopy(f.forkOf.seenIn)}, so it is taken for a fork with tasks of its own, project ${f.name}; if it is the same repository, set source.project to "${f.forkOf.project}" in ${path.join(f.root, '.claude', 'taskhooks.json')}`;
  const log = hookLogger('config', home, 'info');
  log.info({ root: f.root, forkOf: f.forkOf }, text);
  try {
    postNotice(home, text);
  } catch (err) {
    log.warn({ err }, `could not leave a notice that ${f.root} is project ${f.name}, a fork; the log keeps it`);
  }
}

/**
 * The project of the repository around `cwd`: undefined outside a repository, or for one without an origin or a
 * commit yet (its folder names it until it has one). A store that cannot be opened leaves the folder's name for this
 * once: the failure is logged, and `failed` set so that the answer is not kept.
 */
export async function repositoryProject(cwd: string, home: string): Promise<{ name?: string; failed?: true }> {
  const root = findGitRoot(cwd);
  if (root === undefined) return {};
  const folder = resolveScope(undefined, root, '').project;
  const { commonDir } = gitDirs(root);
  const origin = originKeyIn(commonDir);
  // git walks to the first commit (up to its timeout) only for a repository the store has not recorded it for: new
  // here, with an origin new here, or recorded by an earlier release; once per repository, as the store keeps it.
  const commit = () => readRootCommitKey(root, spawnGitRunner);
  const firstCommit = origin === undefined ? await commit() : undefined;
  const repository = origin ?? firstCommit;
  if (repository === undefined || folder.trim() === '') return {};
  const file = homeFiles(home).tasks;
  try {
    const db = openTaskDb(file, storeFileOptions(file, home));
    try {
      const known = db.knownRepository(repository);
      // Known, seen here last and its first commit recorded: nothing to read or write.
      if (known?.seenIn === commonDir && (origin === undefined || known.firstCommit !== undefined))
        return { name: known.project };
      const sighting = {
        repository,
        folder,
        seenIn: commonDir,
        isOther: (other: Required<KnownRepository>) => isOther(other, origin, commonDir),
      };
      const read = firstCommit ?? known?.firstCommit ?? (await commit());
      const { name, forkOf } = db.projectOfRepository(
        read === undefined ? sighting : { ...sighting, firstCommit: read },
      );
      if (forkOf !== undefined) tellFork(home, { root, repository, name, forkOf });
      return { name };
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
