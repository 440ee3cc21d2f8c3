// The git state a SessionStart shows: the stored one while it is fresh and the repository's HEAD, index and branch ref
// are as they were when it was read, else read afresh and stored for the next hook (and the monitor).
import { readGitState, writeGitState } from '../../cache/git-state.js';
import type { Cache } from '../../cache/cache.js';
import { readRepoStamp } from '../../git/metadata.js';
import { collectGitState, type GitState } from '../../git/state.js';
import type { Logger } from '../../log/logger.js';

export async function currentGitState(args: {
  cache: Cache;
  repo: string;
  ttlMs: number;
  now: number;
  log: Logger;
}): Promise<{ state: GitState | null; cached: boolean; ageMs?: number }> {
  const { cache, repo, ttlMs, now, log } = args;
  const cached = readGitState(cache, repo);
  // Age alone cannot tell a commit, checkout or `git add` made a second ago; the stamp can, for a few file reads. A row
  // without one (unreadable HEAD, or cached before stamps and commit times were stored) is read afresh.
  const stamp = cached?.state.stamp;
  if (cached && now - cached.fetchedAt < ttlMs && stamp !== undefined && stamp === readRepoStamp(repo)) {
    return { state: cached.state, cached: true, ageMs: Math.max(0, now - cached.fetchedAt) };
  }
  const state = await collectGitState(repo, log);
  if (state) {
    try {
      writeGitState(cache, state, now);
    } catch (err) {
      log.warn({ err, repo }, 'could not cache git state');
    }
  }
  return { state, cached: false };
}
