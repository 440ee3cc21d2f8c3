// Freshness by change: the monitor wakes when a writer asks it to (a task written, a project registered) and when a
// followed repository's git metadata changes, and otherwise sleeps; the schedules only catch what nothing announces.
import type { FSWatcher } from 'node:fs';
import { listProjects, type RegisteredProject } from '../../cache/registered-projects.js';
import { readHeadBranch } from '../../git/repo.js';
import { watchRefreshRequests } from '../../home/signals.js';
import { createGitWatchers, type GitWatchers, type WatchFn } from '../watch/git-watch.js';
import { coalesced, type Lane } from './lane.js';
import { refreshGitState } from './git-reads.js';
import { refreshProjects, type RefreshDeps } from './refresh.js';
import { refreshStaleSnapshots } from './stale.js';

/** Writes come in bursts (a batch of task updates, a registration then its first fetch): one wake after them. */
const WAKE_SETTLE_MS = 100;

export interface ChangeWatch {
  /** Follows the registered projects (at start, and after a cycle that may have dropped some); returns the ones new here. */
  followProjects(): RegisteredProject[];
  /**
   * Follows the registered projects and fetches the ones new here: the job that follows them answers for them, since
   * the wake their registration asked for then finds nothing new.
   */
  followAndFetchNew(): Promise<void>;
  /** Fetches what is marked stale and picks up new projects, queued in the lane behind any cycle in flight. */
  wake(): Promise<void>;
  /** The fallback poll (monitor.gitSchedule): git state of the followed projects whose metadata is not watched. */
  pollUnwatched(): Promise<void>;
  /** Closes every watcher and waits for the git reads in flight (the lane is the caller's to drain). */
  close(): Promise<void>;
}

interface Followed {
  name: string;
  sourceKey: string;
  /** The branch its tasks were last fetched for ('' detached or unknown): a git state naming another is a switch. */
  branch: string;
}

interface ChangeContext {
  deps: RefreshDeps;
  lane: Lane;
  watch?: WatchFn;
  settleMs?: number;
  /** Told when projects new here are followed. */
  onFollowed?: () => void;
  /** Queued after every wake: what else a writer's signal may mean (a session's claim taken or let go). */
  afterWake?: () => Promise<void>;
}

/** The registered repositories' git metadata, watched: a change re-reads git state, a branch switch fetches it. */
class FollowedRepositories {
  private readonly followed = new Map<string, Followed>();
  /** One coalesced git read per root: a change during a read reads once more after it, never twice at once. */
  private readonly gitReads = new Map<string, () => Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly watchers: GitWatchers;

  constructor(
    private readonly deps: RefreshDeps,
    private readonly lane: Lane,
    ctx: Pick<ChangeContext, 'watch' | 'settleMs'>,
  ) {
    this.watchers = createGitWatchers({
      log: deps.log,
      onChange: (root) => void this.readGit(root),
      ...(ctx.watch ? { watch: ctx.watch } : {}),
      ...(ctx.settleMs !== undefined ? { settleMs: ctx.settleMs } : {}),
    });
  }

  followProjects(): RegisteredProject[] {
    const projects = listProjects(this.deps.cache);
    const added = projects.filter((p) => {
      const known = this.followed.get(p.root);
      return known?.name !== p.name || known.sourceKey !== p.sourceKey;
    });
    const roots = new Set(projects.map((p) => p.root));
    for (const root of this.followed.keys()) {
      if (roots.has(root)) continue;
      this.followed.delete(root);
      this.gitReads.delete(root);
    }
    for (const p of added)
      this.followed.set(p.root, { name: p.name, sourceKey: p.sourceKey, branch: readHeadBranch(p.root) ?? '' });
    this.watchers.follow([...roots]);
    return added;
  }

  async pollUnwatched(): Promise<void> {
    await Promise.all(this.watchers.unwatched().map((root) => this.readGit(root)));
  }

  async close(): Promise<void> {
    this.watchers.close();
    await Promise.allSettled([...this.inFlight]);
  }

  private readGit(root: string): Promise<void> {
    let read = this.gitReads.get(root);
    if (!read) {
      const once = () =>
        this.gitChanged(root).catch((err: unknown) =>
          this.deps.log.error({ err, root }, 'refreshing git state after a change failed'),
        );
      this.gitReads.set(root, (read = coalesced(once)));
    }
    const p = read();
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  private async gitChanged(root: string): Promise<void> {
    const { deps } = this;
    const state = await refreshGitState(deps, root);
    this.watchers.retarget(root);
    const entry = this.followed.get(root);
    if (!entry || !state) return;
    const branch = state.detached ? '' : (state.branch ?? '');
    if (branch === entry.branch) return;
    entry.branch = branch;
    deps.log.info({ root, branch }, 'branch switched: fetching its tasks');
    // Queued, not awaited: further git changes here are read meanwhile. The job reads HEAD when it runs, so a second
    // switch before it starts fetches the branch checked out then.
    void this.lane.run(
      `branch ${root}`,
      async () => {
        const project = listProjects(deps.cache).find((p) => p.root === root);
        if (project) await refreshProjects(deps, [project]);
      },
      'again',
    );
  }
}

/** Calls `wake` once after each burst of refresh requests (the schedule catches them where none can be watched). */
function onRefreshRequests(ctx: ChangeContext, wake: () => void): { close(): void } {
  const { log, home } = ctx.deps;
  let settle: NodeJS.Timeout | undefined;
  let signals: FSWatcher | undefined;
  try {
    signals = watchRefreshRequests(home, () => {
      settle ??= setTimeout(() => {
        settle = undefined;
        wake();
      }, ctx.settleMs ?? WAKE_SETTLE_MS);
    });
    signals.on('error', (err) => {
      log.warn({ err }, 'stopped watching refresh requests: stale snapshots are fetched on monitor.taskSchedule');
      signals?.close();
    });
  } catch (err) {
    log.warn({ err }, 'cannot watch refresh requests: stale snapshots are fetched on monitor.taskSchedule');
  }
  return {
    close: () => {
      clearTimeout(settle);
      signals?.close();
    },
  };
}

export function watchChanges(ctx: ChangeContext): ChangeWatch {
  const { deps, lane } = ctx;
  const repos = new FollowedRepositories(deps, lane, ctx);

  const followAndFetchNew = async (): Promise<void> => {
    const added = repos.followProjects();
    if (added.length === 0) return;
    ctx.onFollowed?.();
    deps.log.info(
      { projects: added.map((p) => p.root) },
      'new projects: fetching their tasks and reading their git state',
    );
    // A session is usually waiting for these tasks: HEAD names the branch at once, git's slower answer is stored
    // alongside instead of holding the fetch up.
    await Promise.all([refreshProjects(deps, added), ...added.map((p) => refreshGitState(deps, p.root))]);
  };

  const wake = async (): Promise<void> => {
    await lane.run(
      'wake',
      async () => {
        await followAndFetchNew();
        await refreshStaleSnapshots(deps);
      },
      'again',
    );
    await ctx.afterWake?.();
  };
  const requests = onRefreshRequests(ctx, () => void wake());

  return {
    followProjects: () => repos.followProjects(),
    followAndFetchNew,
    wake,
    pollUnwatched: () => repos.pollUnwatched(),
    close: async () => {
      requests.close();
      await repos.close();
    },
  };
}
