// The monitor's reads of a project's git state into the cache: by the task cycle, a change in git's metadata, and a
// project newly followed. A read runs three git processes, each forking the monitor on the thread that answers hooks.
import type { Cache } from '../../cache/cache.js';
import { readGitState, writeGitState } from '../../cache/git-state.js';
import { readRepoStamp } from '../../git/metadata.js';
import type { GitState } from '../../git/state.js';
import type { Logger } from '../../log/logger.js';

/** `collectGitState` (src/git/state.ts): null when `cwd` is not in a repository or git failed (logged). */
export type CollectGitStateFn = (cwd: string, log: Logger) => Promise<GitState | null>;

/** What a read needs of the refresh's deps. */
export interface GitReadDeps {
  cache: Cache;
  log: Logger;
  collectGitState: CollectGitStateFn;
  now?: () => number;
}

/**
 * A git state read this recently, HEAD, the index and the branch ref as they were, is not read again: a session's
 * start reads its repository, and the monitor's cycle or watch would read it again a moment later.
 */
const GIT_REREAD_MS = 10_000;

async function gitStateOf(deps: GitReadDeps, root: string): Promise<GitState | null> {
  try {
    return await deps.collectGitState(root, deps.log);
  } catch (err) {
    deps.log.warn({ err, root }, 'could not read git state; the cached one is kept');
    return null;
  }
}

/** Reads and stores one project's git state; null when it is no repository or git failed (logged, cache kept). */
export async function refreshGitState(deps: GitReadDeps, root: string): Promise<GitState | null> {
  const cached = readGitState(deps.cache, root);
  const stamp = cached?.state.stamp;
  const now = deps.now?.() ?? Date.now();
  if (cached && now - cached.fetchedAt < GIT_REREAD_MS && stamp !== undefined && stamp === readRepoStamp(root))
    return cached.state;
  const state = await gitStateOf(deps, root);
  if (state) deps.cache.write(() => writeGitState(deps.cache, state, deps.now?.() ?? Date.now()));
  return state;
}
