// One live fetch of a snapshot for a hook, within the hook's deadline; SessionStart over the built-in store reads it
// here instead, whatever is left of its deadline. When a monitor runs, it fetches: warm, it needs a few milliseconds
// where a cold hook needs hundreds to load the network stack, and sixteen sessions started at once on two cores cannot
// each afford that. Otherwise concurrent hooks that find the same snapshot cold share one fetch:
// the first takes a lease in the cache and fetches, the others wait for its snapshot.
import { existsSync } from 'node:fs';
import {
  fetchedSnapshot,
  fetchLeaseHeld,
  isProjectRegistered,
  readSnapshot,
  recordSnapshotError,
  releaseFetchLease,
  requestSnapshotFetch,
  snapshotKey,
  takeFetchLease,
  writeSnapshot,
  type Cache,
  type SnapshotKey,
  type TaskSnapshot,
} from '../../cache/index.js';
import type { Settings } from '../../config/settings.js';
import { isTaskSourceError } from '../../errors/task-source.js';
import { earlierPluginStores, homeFiles, readLiveOwner, wakeMonitor } from '../../home/index.js';
import type { Logger } from '../../log/logger.js';
import type { RefreshArgs } from '../../network/index.js';
import { isSourceBreakerOpen } from '../../resilience/index.js';
import { readLocalSnapshot } from '../../sources/embedded/local-read.js';
import { BUILT_IN_STORE } from '../../sources/embedded/notes.js';
import { guardedServers } from '../../sources/plan.js';
import type { Scope } from '../../tasks/scope.js';
import { deadlineAt, earlier, sleep, type Deadline } from '../../util/deadline.js';
import type { FetchOutcome } from '../trace.js';

/** Kept back from the hook's deadline for what comes after the fetch gave up: rendering, printing, exiting. */
const FINISH_MARGIN_MS = 40;
/** Left to refreshTasks to record its own failure (and the breaker's) before the hook's own deadline fires. */
const RECORD_MARGIN_MS = 30;
/** Below this a fetch cannot succeed: not worth loading the network stack for. */
const MIN_FETCH_MS = 100;
/** How often a waiting hook looks for the snapshot another one is fetching: one small SQLite read each time. */
const WAIT_POLL_MS = 25;
/**
 * What a cold fetch from a hook needs on a busy machine: a monitor that has not answered by this long before the
 * deadline is left to itself, and the hook fetches on its own.
 */
const COLD_FETCH_MS = 600;

export type LiveResult =
  | { ok: true; snapshot: TaskSnapshot; outcome: FetchOutcome }
  | { ok: false; problem: string; outcome: FetchOutcome };

export interface LiveArgs {
  /** The hook asking: its setting bounds the fetch, and the log names it. */
  hook: 'SessionStart' | 'PreToolUse' | 'UserPromptSubmit' | 'PostToolUse' | 'PostToolBatch';
  settings: Settings;
  cache: Cache;
  log: Logger;
  scope: Scope;
  /** When the hook process started: the setting's time counts from there. */
  startedAt: number;
  /** The snapshot's fetchedAt as the hook found it (0: none): anything newer is what it waits for. */
  seenFetchedAt: number;
}

/** The setting that bounds a hook's fetch, by the name a user writes it under, and its value. */
interface DeadlineSetting {
  name: 'hooks.sessionStartDeadlineMs' | 'hooks.preToolUseDeadlineMs';
  ms: number;
}

function deadlineSetting(hook: LiveArgs['hook'], settings: Settings): DeadlineSetting {
  return hook === 'SessionStart'
    ? { name: 'hooks.sessionStartDeadlineMs', ms: settings.hooks.sessionStartDeadlineMs }
    : { name: 'hooks.preToolUseDeadlineMs', ms: settings.hooks.preToolUseDeadlineMs };
}

type FetchArgs = LiveArgs & { setting: DeadlineSetting };

class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * One line for the context: what went wrong, in the words of the client's TaskSourceError when there is one. The
 * problems below are the session's too: said by what they mean for its tasks, never by taskhooks' own parts.
 */
function describeFailure(err: unknown): string {
  if (err instanceof DeadlineExceeded) return `task server unreachable (timeout after ${err.ms} ms)`;
  // Thrown by dist/network.js, another bundle: recognised by its brand, not by `instanceof`.
  if (!isTaskSourceError(err)) return `task server unreachable (${err instanceof Error ? err.message : String(err)})`;
  const short = err.short;
  switch (err.kind) {
    case 'auth':
      return `task server rejected the credentials (${short})`;
    case 'config':
      // Only the user can fix the setup: the session is told how, so that it can say so.
      return `task source misconfigured (${short}): ${err.fix}`;
    case 'not_found':
      return `project not found on the task server (${short})`;
    default:
      return `task server unreachable (${short})`;
  }
}

/** Settles when the deadline passes (or is cancelled), with the failure the hook reports then. */
function whenOver(deadline: Deadline, configuredMs: number): Promise<never> {
  return new Promise((_, reject) => {
    const over = (): void => reject(new DeadlineExceeded(configuredMs));
    if (deadline.signal.aborted) over();
    else deadline.signal.addEventListener('abort', over, { once: true });
  });
}

/** One live fetch, given up at the deadline even if the network stack never returns. */
async function fetchBy(
  args: Omit<RefreshArgs, 'deadline'>,
  deadline: Deadline,
  configuredMs: number,
): Promise<TaskSnapshot> {
  const fetch = (async () => {
    // The deadline covers loading the network stack too: on a slow disk that alone can take a while.
    const network = await import('../../network/index.js');
    return network.refreshTasks({ ...args, deadline: earlier(deadline, RECORD_MARGIN_MS) });
  })();
  try {
    return await Promise.race([fetch, whenOver(deadline, configuredMs)]);
  } finally {
    fetch.catch(() => undefined); // settled after the race was lost: already reported
  }
}

/** The snapshot another process fetched after `seenFetchedAt`, once one is there and shows every change made. */
function sharedSnapshot(cache: Cache, key: SnapshotKey, seenFetchedAt: number): TaskSnapshot | undefined {
  const snap = fetchedSnapshot(readSnapshot(cache, key));
  return snap && snap.fetchedAt > seenFetchedAt && snap.staleSince === undefined ? snap : undefined;
}

/** The snapshot's failure recorded since `since` (by the process that fetched it), if any. */
function failureSince(cache: Cache, key: SnapshotKey, since: number): string | undefined {
  const snap = readSnapshot(cache, key);
  return snap?.lastError && (snap.lastErrorAt ?? 0) >= since ? snap.lastError : undefined;
}

/**
 * What another process's fetch (the monitor's or a session's) left since `started`: a snapshot newer than the hook saw,
 * or the failure it recorded, which is this hook's answer too and not a reason to try again.
 */
function fetchedElsewhere(
  args: FetchArgs,
  key: SnapshotKey,
  started: number,
  by: 'monitor' | 'session',
): LiveResult | undefined {
  const snapshot = sharedSnapshot(args.cache, key, args.seenFetchedAt);
  const ms = Date.now() - started;
  if (snapshot)
    return {
      ok: true,
      snapshot,
      outcome: by === 'monitor' ? { via: 'monitor', ms } : { via: 'shared', ms, before: false },
    };
  const error = failureSince(args.cache, key, started);
  if (!error) return undefined;
  const via = by === 'monitor' ? 'monitor-failed' : 'shared-failed';
  return { ok: false, problem: `task server unreachable (${error})`, outcome: { via, error } };
}

/**
 * Asks the running monitor for the snapshot and waits for it until the deadline. The hook fetches on its own instead
 * (undefined) only when the monitor has not taken the fetch up (its lease) while there is still time for a cold fetch:
 * a monitor that is fetching is faster than any hook could be.
 */
async function monitorSnapshot(
  args: FetchArgs,
  key: SnapshotKey,
  started: number,
  deadline: Deadline,
): Promise<LiveResult | undefined> {
  const { cache, setting } = args;
  try {
    requestSnapshotFetch(cache, key, started);
  } catch (err) {
    // The cache stayed locked past its short wait (another process folding its log, say): the hook answers from the
    // snapshot it read rather than wait on.
    args.log.warn(
      { err, project: key.project },
      `${args.hook}: could not ask the monitor for a snapshot; answering without`,
    );
    return {
      ok: false,
      problem: 'could not check for newer tasks just now',
      outcome: { via: 'silent', who: 'monitor', budgetMs: setting.ms },
    };
  }
  wakeMonitor(args.settings.home, args.log, 'a hook needs a snapshot');
  const pickupBy = deadline.at - COLD_FETCH_MS;
  let pickupChecked = started >= pickupBy;
  while (!deadline.done()) {
    const answer = fetchedElsewhere(args, key, started, 'monitor');
    if (answer) return answer;
    if (!pickupChecked && Date.now() >= pickupBy) {
      pickupChecked = true;
      if (!fetchLeaseHeld(cache, key)) {
        args.log.info(
          { project: key.project, branch: key.branch },
          `${args.hook}: the monitor did not take the fetch up; fetching here`,
        );
        return undefined;
      }
    }
    await sleep(WAIT_POLL_MS);
  }
  return {
    ok: false,
    problem: `the task server gave no answer within ${setting.ms} ms`,
    outcome: { via: 'silent', who: 'monitor', budgetMs: setting.ms },
  };
}

async function fetchHoldingLease(
  args: FetchArgs,
  key: SnapshotKey,
  started: number,
  deadline: Deadline,
): Promise<LiveResult> {
  const { settings, cache, log, scope, setting } = args;
  try {
    const snapshot = await fetchBy(
      { source: settings.source, home: settings.home, cache, log, scope },
      deadline,
      setting.ms,
    );
    return {
      ok: true,
      snapshot,
      outcome: { via: 'live', ms: Date.now() - started, setting: setting.name, budgetMs: setting.ms },
    };
  } catch (err) {
    const problem = describeFailure(err);
    log.warn({ err, project: scope.project, branch: scope.branch }, `${args.hook} live fetch failed: ${problem}`);
    // refreshTasks records its own failures (TaskSourceError, with a kind); anything else it never saw or never reported.
    if (!isTaskSourceError(err)) {
      const detail =
        err instanceof DeadlineExceeded
          ? `timeout after ${err.ms} ms`
          : err instanceof Error
            ? err.message
            : String(err);
      try {
        cache.write(() => recordSnapshotError(cache, key, detail, Date.now()));
      } catch (writeErr) {
        log.warn({ err: writeErr }, 'could not record the failed refresh');
      }
    }
    return { ok: false, problem, outcome: { via: 'live-failed', ms: Date.now() - started, problem } };
  }
}

/** Why no live fetch is tried at all: the deadline's setting is 0, or the source's circuit breaker is open. */
function notTried(args: FetchArgs, started: number): LiveResult | undefined {
  const { setting, settings, cache } = args;
  if (setting.ms === 0) {
    return {
      ok: false,
      problem: `not read live (${setting.name} = 0)`,
      outcome: { via: 'off', setting: setting.name },
    };
  }
  const breaker = isSourceBreakerOpen(cache, guardedServers(settings.source.plan), started);
  if (!breaker.open) return undefined;
  return {
    ok: false,
    problem: `task server unreachable (${breaker.lastError ?? 'its last attempts failed'})`,
    outcome: { via: 'breaker' },
  };
}

/**
 * Fetches while holding the cache's lease for the snapshot, or waits for the hook that holds it and answers with
 * what it fetched or the error it recorded; a holder that died leaves the lease to be taken again while time remains.
 */
async function fetchUnderLease(
  args: FetchArgs,
  key: SnapshotKey,
  started: number,
  deadline: Deadline,
): Promise<LiveResult> {
  const { cache, setting } = args;
  const holder = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  let waited = false;
  while (deadline.at - Date.now() >= MIN_FETCH_MS) {
    // The lease outlives the fetch's deadline only by a little, so a holder that dies holds nobody up for long.
    if (takeFetchLease(cache, key, holder, deadline.at + MIN_FETCH_MS)) {
      try {
        return await fetchHoldingLease(args, key, started, deadline);
      } finally {
        releaseFetchLease(cache, key, holder);
      }
    }
    waited = true;
    while (fetchLeaseHeld(cache, key) && !deadline.done()) {
      const shared = sharedSnapshot(cache, key, args.seenFetchedAt);
      if (shared)
        return {
          ok: true,
          snapshot: shared,
          outcome: { via: 'shared', ms: Date.now() - started, before: true },
        };
      await sleep(WAIT_POLL_MS);
    }
    const answer = fetchedElsewhere(args, key, started, 'session');
    if (answer) return answer;
    // The holder died or gave up at its own deadline: try for the lease again while time remains.
  }
  const problem = waited
    ? `the task server gave no answer within ${setting.ms} ms`
    : `no time left to ask the task server within ${setting.ms} ms`;
  return { ok: false, problem, outcome: { via: 'silent', who: waited ? 'session' : 'none', budgetMs: setting.ms } };
}

/**
 * The built-in store read here: local, so it needs neither the monitor nor the network stack. Written to the cache as
 * a live fetch's snapshot is, for the session's later hooks; a cache too busy to take it costs only that. Undefined
 * when the store cannot answer (it needs its full open), and the fetch goes on as before.
 */
async function fromStore(args: FetchArgs): Promise<LiveResult | undefined> {
  const { settings, scope, cache, log } = args;
  const began = Date.now();
  let snapshot: TaskSnapshot | undefined;
  try {
    const own = homeFiles(settings.home).tasks;
    // An earlier plugin release's store not moved in yet (the monitor moves it at its start): read where it is.
    const file = existsSync(own) ? own : (earlierPluginStores(settings.home)[0] ?? own);
    snapshot = await readLocalSnapshot(file, snapshotKey(settings.source.key, scope), scope, BUILT_IN_STORE);
  } catch (err) {
    log.warn({ err }, `${args.hook}: could not read the built-in store here; fetching it instead`);
    return undefined;
  }
  if (!snapshot) return undefined;
  try {
    snapshot = writeSnapshot(cache, snapshot, began);
  } catch (err) {
    log.warn(
      { err },
      `${args.hook}: the tasks read from the built-in store were not cached; the next hook reads again`,
    );
  }
  return { ok: true, snapshot, outcome: { via: 'store', ms: Date.now() - began } };
}

/**
 * A live snapshot for the scope by the deadline: the built-in store read here, for SessionStart; fetched here while holding the cache's lease for it, or fetched by
 * another hook that held the lease first. Never throws: a failure is a one-line problem for the context.
 */
export async function liveSnapshot(live: LiveArgs): Promise<LiveResult> {
  const setting = deadlineSetting(live.hook, live.settings);
  const args: FetchArgs = { ...live, setting };
  const { settings, cache, scope } = args;
  const deadline = deadlineAt(args.startedAt + setting.ms - FINISH_MARGIN_MS);
  const key: SnapshotKey = snapshotKey(settings.source.key, scope);
  const started = Date.now();
  const refused = notTried(args, started);
  if (refused) return refused;
  // Local, and milliseconds long: read whatever time is left, before any monitor is asked or waited for.
  const read =
    live.hook === 'SessionStart' && settings.source.plan.kind === 'embedded' ? await fromStore(args) : undefined;
  if (read) return read;
  // A monitor fetches only for projects registered with it. A hook it serves over HTTP asks it the same way: its job
  // lane runs on this process's event loop while the hook polls, so the fetch still runs one at a time with the others.
  if (readLiveOwner(settings.home) && isProjectRegistered(cache, scope.project, settings.source.key)) {
    const viaMonitor = await monitorSnapshot(args, key, started, deadline);
    if (viaMonitor) return viaMonitor;
  }
  return fetchUnderLease(args, key, started, deadline);
}
