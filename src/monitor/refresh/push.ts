// Changes pushed by the task server: for each source the followed projects use, one subscription to their task
// lists when the server offers it. A pushed change marks the project's snapshots stale (but those that already show
// its sequence) and wakes the monitor, which fetches them again: what changed since each snapshot's cursor where the
// server numbers its changes, else the whole list. A source with a live subscription is left out of the schedule
// while its snapshots are fresh. A server that cannot push is polled as before; a subscription that drops is polled
// until it is back, retried with exponential backoff and full jitter so a server restarting under a thousand monitors
// is not met by all at once, and the fetch that follows each resubscription is a delta, not the whole list.
import { listProjects } from '../../cache/registered-projects.js';
import { markProjectStale, type AnnouncedChange } from '../../cache/snapshots.js';
import { loadSettings, type Settings } from '../../config/settings.js';
import { addAlert } from '../../cache/alerts.js';
import type { LiveArgs, PatchedSnapshot, ResourceSubscription, SubscribeOutcome } from '../../network/index.js';
import { deadlineIn } from '../../util/deadline.js';
import { fullJitterMs } from '../../util/jitter.js';
import { diffAlerts } from '../../context/alerts.js';
import type { RefreshDeps } from './refresh.js';

export type SubscribeFn = (args: LiveArgs) => Promise<SubscribeOutcome>;

export interface PushWatch {
  /** Subscribes to the sources of the followed projects (again where their projects changed); drops the others. */
  sync(): Promise<void>;
  /** Whether the source's changes arrive pushed right now. */
  live(sourceKey: string): boolean;
  close(): Promise<void>;
}

export interface PushOptions {
  deps: RefreshDeps;
  subscribe: SubscribeFn;
  /** Fetches what is marked stale (the change watch's wake). */
  wake(): Promise<void>;
  /** Backoff of a dropped or failed subscription: base and cap of the full-jitter delay. */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** How long before a server that cannot push is asked again (it may have been upgraded). */
  recheckMs?: number;
}

interface Feed {
  key: string;
  settings: Settings;
  /** Sorted project names: the subscription is redone when they change. */
  projects: string[];
  state: 'connecting' | 'live' | 'polled';
  subscription?: ResourceSubscription;
  failures: number;
  retry?: NodeJS.Timeout;
  closed: boolean;
}

interface Timing {
  retryBaseMs: number;
  retryCapMs: number;
  recheckMs: number;
}

/** What (re)subscribes a feed: on a change, a drop or a failure, fetch again and keep trying with full jitter. */
class FeedSubscriber {
  private readonly deps: RefreshDeps;

  constructor(
    private readonly opts: PushOptions,
    private readonly timing: Timing,
  ) {
    this.deps = opts.deps;
  }

  async start(feed: Feed): Promise<void> {
    if (feed.closed) return;
    feed.state = 'connecting';
    let outcome: SubscribeOutcome;
    try {
      outcome = await this.subscribe(feed);
    } catch (err) {
      if (!feed.closed) this.polled(feed, err instanceof Error ? err.message : String(err), this.backoff(feed));
      return;
    }
    if (outcome.subscribed) await this.live(feed, outcome.subscription);
    else if (!feed.closed) this.notPushed(feed, outcome);
  }

  private subscribe(feed: Feed): Promise<SubscribeOutcome> {
    const { deps } = this;
    return this.opts.subscribe({
      source: feed.settings.source,
      home: deps.home,
      cache: deps.cache,
      log: deps.log,
      env: deps.env,
      projects: feed.projects,
      onChange: (project, sequence) =>
        this.fetchAgain([project], sequence === undefined ? undefined : { sourceKey: feed.key, sequence }),
      onPatched: (patched) => this.alertOf(feed.key, patched),
      deadline: deadlineIn(Math.max(2000, feed.settings.source.timeoutMs * 3)),
    });
  }

  private async live(feed: Feed, subscription: ResourceSubscription): Promise<void> {
    if (feed.closed) {
      await subscription.close();
      return;
    }
    feed.state = 'live';
    feed.subscription = subscription;
    feed.failures = 0;
    this.deps.log.info({ source: feed.key, projects: feed.projects.length }, 'subscribed: task changes are pushed');
    // What changed while nothing was subscribed is fetched now; from here on every change is heard.
    this.fetchAgain(feed.projects);
    void subscription.ended.then((why) => {
      if (feed.closed || feed.subscription !== subscription) return;
      void subscription.close();
      // No fetch now: a server restarting would meet every monitor at once. The schedule polls meanwhile, and the
      // resubscription, spread by jitter, fetches what was missed.
      this.polled(feed, why, this.backoff(feed));
    });
  }

  private notPushed(feed: Feed, outcome: Extract<SubscribeOutcome, { subscribed: false }>): void {
    feed.state = 'polled';
    // A server that says why (its change feed hears nothing) is one its operator can fix: worth a warning.
    const level = outcome.fix === undefined ? 'info' : 'warn';
    this.deps.log[level](
      { source: feed.key, why: outcome.why, ...(outcome.fix !== undefined && { fix: outcome.fix }) },
      'the task server cannot push changes: polling on monitor.taskSchedule',
    );
    this.later(feed, this.timing.recheckMs);
  }

  private backoff(feed: Feed): number {
    return fullJitterMs(feed.failures++, this.timing.retryBaseMs, this.timing.retryCapMs);
  }

  private fetchAgain(projects: readonly string[], seen?: AnnouncedChange): void {
    const { cache, log } = this.deps;
    const marked = projects.reduce((n, p) => n + markProjectStale(cache, p, Date.now(), seen), 0);
    if (marked === 0 && seen) return;
    this.opts.wake().catch((err: unknown) => log.error({ err }, 'fetching pushed changes failed'));
  }

  /** A snapshot patched from a notification was not fetched: what a fetch would have raised is raised here. */
  private alertOf(sourceKey: string, patched: PatchedSnapshot[]): void {
    const { cache } = this.deps;
    const at = Date.now();
    cache.write(() => {
      for (const { key, previous, current } of patched)
        for (const a of diffAlerts(previous, current)) addAlert(cache, { sourceKey, project: key.project, ...a }, at);
    });
  }

  private later(feed: Feed, ms: number): void {
    clearTimeout(feed.retry);
    feed.retry = setTimeout(() => void this.start(feed), ms);
    feed.retry.unref();
  }

  private polled(feed: Feed, why: string, retryMs: number): void {
    feed.state = 'polled';
    delete feed.subscription;
    this.deps.log.warn(
      { source: feed.key, why, retryMs },
      'changes not pushed: polling on monitor.taskSchedule until subscribed again',
    );
    this.later(feed, retryMs);
  }
}

export function watchPushes(opts: PushOptions): PushWatch {
  const { deps } = opts;
  const { cache } = deps;
  const feeds = new Map<string, Feed>();
  const subscriber = new FeedSubscriber(opts, {
    retryBaseMs: opts.retryBaseMs ?? 500,
    retryCapMs: opts.retryCapMs ?? 30_000,
    recheckMs: opts.recheckMs ?? 10 * 60_000,
  });

  const stop = async (feed: Feed): Promise<void> => {
    feed.closed = true;
    clearTimeout(feed.retry);
    await feed.subscription?.close();
  };

  return {
    async sync() {
      const wanted = new Map<string, { settings: Settings; projects: Set<string> }>();
      for (const p of listProjects(cache)) {
        const { settings } = await loadSettings({ cwd: p.root, env: deps.env });
        if (settings.source.plan.kind !== 'remote') continue;
        const entry = wanted.get(settings.source.key) ?? { settings, projects: new Set<string>() };
        entry.projects.add(p.name);
        wanted.set(settings.source.key, entry);
      }
      for (const [key, feed] of feeds) {
        const w = wanted.get(key);
        if (w && [...w.projects].sort().join('\n') === feed.projects.join('\n')) continue;
        feeds.delete(key);
        await stop(feed);
      }
      for (const [key, w] of wanted) {
        if (feeds.has(key)) continue;
        const feed: Feed = {
          key,
          settings: w.settings,
          projects: [...w.projects].sort(),
          state: 'connecting',
          failures: 0,
          closed: false,
        };
        feeds.set(key, feed);
        void subscriber.start(feed);
      }
    },
    live: (key) => feeds.get(key)?.state === 'live',
    async close() {
      const all = [...feeds.values()];
      feeds.clear();
      await Promise.all(all.map(stop));
    },
  };
}
