// After a task write, whoever made it (a CLI command in its own process, the monitor's store server, a command through
// a remote source): the one place that tells the cache and the monitor. In one transaction it marks the changed
// projects' snapshots stale, records the snapshot the writer read again (if any) and registers a project the monitor
// does not follow yet. Then it bumps the news generation once and wakes the monitor once, and only when something is
// left for the monitor to fetch. What the writer recorded is not stale, so a woken monitor does not fetch it again.
import type { Logger } from '../log/logger.js';
import { wakeMonitor } from '../home/signals.js';
import type { Cache } from './cache.js';
import { bumpNewsGeneration } from './news-generation.js';
import { registerProject } from './registered-projects.js';
import { markProjectRows, putSnapshot, type SnapshotKey, type TaskSnapshot } from './snapshots.js';
import { addAlert, type Alert } from './alerts.js';
import { noteOwnWrites, type OwnWrite } from './own-writes.js';

/** A scope read again after the write, when that read began, and the alerts its difference from the cache raises. */
export interface FreshScope {
  snapshot: TaskSnapshot;
  startedAt: number;
  alerts?: ReadonlyArray<Omit<Alert, 'id' | 'createdAt'>> | undefined;
}

export interface TaskWrite {
  home: string;
  log: Logger;
  /** The projects the write changed: every snapshot of theirs is distrusted until fetched again. */
  projects: readonly string[];
  /** When the change was committed; now if left out. A read of the scope must begin at or after it. */
  at?: number;
  /** The scopes read again after the change: each recorded in place of its stale mark, with its alerts. */
  fresh?: readonly FreshScope[] | undefined;
  /** The session that made the write and the tasks it wrote: no news to it (./own-writes.ts). */
  by?: { sessionId: string; writes: readonly OwnWrite[] } | undefined;
  /** A project the monitor should follow from now on: a write before any session or install registers it. */
  register?: { root: string; name: string; sourceKey: string; registeredBy: string } | undefined;
  /** Why the monitor is woken, for the log. */
  why: string;
}

/** What a write changed, as the route that made it reports it; the recorder adds the home, the log and why. */
export type TaskChange = Pick<TaskWrite, 'projects' | 'at' | 'fresh' | 'register' | 'by'>;

export interface TaskWriteRecord {
  /** How many snapshots were marked stale (the fresh one among them, when it was cached before). */
  marked: number;
  /** How many of the writer's snapshots were recorded: a hook reads them without a fetch. */
  recorded: number;
  /** The monitor was woken: something is left for it (a stale snapshot, a new project). */
  woke: boolean;
}

const sameKey = (a: SnapshotKey, b: SnapshotKey): boolean =>
  a.sourceKey === b.sourceKey && a.project === b.project && a.branch === b.branch;

/**
 * Records one task write. It never throws: the write itself is done, so a cache that cannot be told is logged and
 * the monitor is still woken to catch up.
 */
export function recordTaskWrite(cache: Cache, write: TaskWrite): TaskWriteRecord {
  const at = write.at ?? Date.now();
  try {
    const { marked, recorded, registered } = cache.write(() => {
      const marked = write.projects.flatMap((project) => markProjectRows(cache, project, at));
      const recorded = (write.fresh ?? []).filter((f) => putSnapshot(cache, f.snapshot, f.startedAt).written);
      for (const f of recorded) for (const a of f.alerts ?? []) addAlert(cache, a, at);
      if (write.by) noteOwnWrites(cache, write.by.sessionId, write.by.writes);
      const registered = write.register ? registerProject(cache, write.register) === true : false;
      return { marked, recorded: recorded.map((f) => f.snapshot), registered };
    });
    if (marked.length > 0 || recorded.length > 0) bumpNewsGeneration(cache);
    const left = marked.filter((key) => !recorded.some((fresh) => sameKey(key, fresh)));
    const woke = registered || left.length > 0;
    if (woke) wakeMonitor(write.home, write.log, write.why);
    write.log.debug(
      { projects: write.projects, marked: marked.length, recorded: recorded.length, woke },
      'task write recorded',
    );
    return { marked: marked.length, recorded: recorded.length, woke };
  } catch (err) {
    write.log.warn({ err }, 'the change is made, but the cache could not be told of it: hooks may show the old tasks');
    wakeMonitor(write.home, write.log, write.why);
    return { marked: 0, recorded: 0, woke: true };
  }
}
