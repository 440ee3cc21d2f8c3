// The monitor's housekeeping, run from a task cycle at most every few hours (no timer of its own): the cache forgets
// what nobody will read again, and the embedded store its expired id reservations; notices told to a session go.
import { kvGet, kvSet } from '../../cache/kv.js';
import type { Cache } from '../../cache/cache.js';
import { listProjects, type RegisteredProject } from '../../cache/registered-projects.js';
import { projectSnapshotKeys } from '../../cache/snapshots.js';
import { pruneCache, type CachePrune } from '../../cache/prune.js';
import { TOLD_KEPT_DAYS } from '../../told/table.js';
import { pruneToldNotices } from '../../home/notices-told.js';
import { simpleGitRunner } from '../../git/simple.js';
import { readHeadBranch } from '../../git/repo.js';
import { listLocalBranches } from '../../git/state.js';
import type { RefreshDeps } from '../refresh/refresh.js';

const PRUNE_EVERY_MS = 6 * 3_600_000;
const LAST_PRUNE_KEY = 'monitor:last-prune';
const DAY_MS = 86_400_000;
/** Shown alerts are kept a week: long enough to answer "what did the session say?", short enough not to pile up. */
const SHOWN_ALERT_DAYS = 7;

const projectKey = (sourceKey: string, project: string): string => JSON.stringify([sourceKey, project]);

/**
 * The local branches of `p`'s repository, as its snapshots need them known. One of the branch checked out (or of none)
 * stays whatever git says, so git is run only where the project holds another branch's: after a reboot, nowhere.
 */
async function branchesToCheck(cache: Cache, p: RegisteredProject): Promise<string[] | null> {
  const head = readHeadBranch(p.root);
  const held = projectSnapshotKeys(cache, p.sourceKey, p.name);
  if (head !== null && held.every((k) => k.branch === '' || k.branch === head)) return [head];
  return listLocalBranches(p.root, simpleGitRunner);
}

/**
 * Prunes the cache when the last pruning is older than PRUNE_EVERY_MS. A snapshot goes when its branch exists in none
 * of its project's registered repositories (git must have answered for each), or when its project is registered
 * nowhere and it has not been fetched for monitor.staleProjectDays.
 */
export async function pruneIfDue(deps: RefreshDeps): Promise<CachePrune | undefined> {
  const { cache, log } = deps;
  const now = deps.now?.() ?? Date.now();
  const last = kvGet<number>(cache, LAST_PRUNE_KEY, now);
  if (last !== undefined && now - last < PRUNE_EVERY_MS) return undefined;

  const branches = new Map<string, Set<string> | null>();
  for (const p of listProjects(cache)) {
    const key = projectKey(p.sourceKey, p.name);
    const names = await branchesToCheck(cache, p);
    const known = branches.get(key);
    if (names === null || known === null) branches.set(key, null);
    else branches.set(key, new Set([...(known ?? []), ...names]));
  }
  const leftBefore = now - deps.staleProjectDays * DAY_MS;
  const pruned = pruneCache(cache, {
    now,
    shownBefore: now - SHOWN_ALERT_DAYS * DAY_MS,
    toldBefore: now - TOLD_KEPT_DAYS * DAY_MS,
    dropSnapshot: (s) => {
      const known = branches.get(projectKey(s.sourceKey, s.project));
      if (known === undefined) return Math.max(s.fetchedAt, s.lastErrorAt ?? 0) < leftBefore;
      // No branch ('' outside git or detached) cannot be deleted; a failed git proves nothing.
      return known !== null && s.branch !== '' && !known.has(s.branch);
    },
  });
  pruneToldNotices(deps.home, now);
  kvSet(cache, LAST_PRUNE_KEY, now, undefined, now);
  log.info({ ...pruned }, 'cache pruned');
  return pruned;
}
