// The git state a SessionStart shows: the stored one while it is fresh and on the checked-out branch, else read
// afresh and stored for the next hook (and the monitor).
import { readGitState, writeGitState } from '../cache/git-state.js';
import type { Store } from '../cache/store.js';
import { readHeadBranch } from '../git/repo.js';
import { collectGitState, type GitState } from '../git/state.js';
import type { Logger } from '../log/logger.js';

export async function currentGitState(args: {
  store: Store;
  repo: string;
  ttlMs: number;
  now: number;
  log: Logger;
}): Promise<{ state: GitState | null; cached: boolean }> {
  const { store, repo, ttlMs, now, log } = args;
  const cached = readGitState(store, repo);
  if (cached && now - cached.fetchedAt < ttlMs && cached.state.branch === readHeadBranch(repo)) {
    return { state: cached.state, cached: true };
  }
  const state = await collectGitState(repo, log);
  if (state) {
    try {
      writeGitState(store, state, now);
    } catch (err) {
      log.warn({ err, repo }, 'could not cache git state');
    }
  }
  return { state, cached: false };
}
