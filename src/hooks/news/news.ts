// What changed since a session was last told, told once whichever event tells it: UserPromptSubmit (a person typed),
// PostToolUse and PostToolBatch (mid-turn, beside a tool's result, before the next model request). What the session
// was told is a compact baseline in the cache (./baseline.ts), keyed by session and shared by the three: SessionStart
// records the tasks it told (else the first look records it, silently), every later difference is told once and folded
// into it. The entries answer "nothing new" from two small files before any of this loads (news-gate.ts).
import {
  fetchedSnapshot,
  isProjectRegistered,
  readNewsGeneration,
  readSnapshot,
  readToldGeneration,
  sessionTask,
  snapshotKey,
  writeToldGeneration,
  type Cache,
  type SnapshotKey,
  type TaskSnapshot,
} from '../../cache/index.js';
import { takeOwnWrites } from '../../cache/own-writes.js';
import { readLiveOwner } from '../../home/lock.js';
import { sleep } from '../../util/deadline.js';
import { readInjection, writeInjection } from '../../told/table.js';
import { sanitize } from '../../context/sanitize.js';
import { locateScope } from '../../tasks/scope.js';
import type { Trace } from '../trace.js';
import { fetchLive } from '../fetch/lazy-fetch.js';
import type { HookInput } from '../input/fields.js';
import type { HookDeps, HookEventName, HookResult } from '../types.js';
import { safeSessionId } from './news-gate.js';
import { eventKey } from '../input/event-key.js';
import { MARKER_CHARS, marked, unmarked } from '../../context/marker.js';
import { pendingDeliveries, takeLostSessionStart } from '../../told/table.js';
import {
  afterLook,
  BASELINE_KEY,
  baselineOf,
  lookFrom,
  holdersFor,
  parseBaseline,
  unreachableNow,
  URGENT,
  type Baseline,
  type HolderOf,
} from './baseline.js';

/** The most a piece of news may take of the model's context, its marker included. */
export const NEWS_MAX_CHARS = 600;
/** What the words may take: the marker (src/context/marker.ts) and its space go beside them. */
const NEWS_ROOM = NEWS_MAX_CHARS - MARKER_CHARS - 1;
/** A SessionStart context told again stays within what Claude Code shows the model whole. */
const RETOLD_MAX_CHARS = 9000;

const label = (t: { id: string; title: string }): string => `${sanitize(t.id, 40)} (${sanitize(t.title, 60)})`;

/** One line per change since `was`; the snapshot is left out of the task lines when it holds no fetched tasks. */
function newsLines(
  was: Baseline,
  snap: TaskSnapshot | undefined,
  branch: string,
  holderOf: HolderOf,
  quiet: ReadonlySet<string> = new Set(),
): string[] {
  const lines: string[] = [];
  const unreachable = unreachableNow(snap);
  if (unreachable && !was.unreachable)
    lines.push('The task server is unreachable: what taskhooks says about tasks may be out of date.');
  if (!unreachable && was.unreachable) lines.push('The task server is reachable again.');
  const fetched = fetchedSnapshot(snap);
  if (!fetched) return lines;
  if (was.own && !quiet.has(was.own.id)) {
    const now = fetched.tasks.find((t) => t.id === was.own?.id);
    if (!now) lines.push(`Your task ${label(was.own)} is no longer open: it was finished or closed elsewhere.`);
    else if (now.status === 'blocked' && was.own.status !== 'blocked')
      lines.push(`Your task ${label(now)} is now blocked.`);
    else if (now.assignees.join(',') !== was.own.assignees.join(',') && now.assignees.length > 0)
      lines.push(`Your task ${label(now)} is now assigned to ${sanitize(now.assignees.join(', '), 80)}.`);
    const heldBy = now && holderOf(now);
    if (now && heldBy && heldBy !== was.own.heldBy)
      lines.push(`Your task ${label(now)} is now claimed elsewhere: ${sanitize(heldBy, 120)}.`);
  }
  const where = branch ? ` on branch ${sanitize(branch, 60)}` : '';
  for (const t of fetched.tasks) {
    if (URGENT.has(t.priority) && !was.urgent.includes(t.id) && t.id !== was.own?.id && !quiet.has(t.id))
      lines.push(`New ${t.priority} task${where}: ${label(t)}.`);
  }
  return lines;
}

/** The news as the model reads it, within NEWS_MAX_CHARS (whole lines; the cut says how many more there were). */
function newsText(lines: string[]): string {
  const head = 'taskhooks: changed since you were last told:';
  let text = head;
  for (let i = 0; i < lines.length; i++) {
    const more = `\n(and ${lines.length - i} more: run taskhooks context)`;
    const next = `${text}\n- ${lines[i]}`;
    if (next.length + (i < lines.length - 1 ? more.length : 0) > NEWS_ROOM) return (text + more).slice(0, NEWS_ROOM);
    text = next;
  }
  return text;
}

/**
 * Where and for whom to look, and the tasks whose change this very call made (never news to the session; nor are the
 * tasks the session's own writes changed, src/cache/own-writes.ts).
 */
export interface NewsAsk {
  sessionId: string;
  cwd: string;
  hook: 'UserPromptSubmit' | 'PostToolUse' | 'PostToolBatch';
  /** The event's key (../input/event-key.ts): the baseline names the look that made it. */
  key: string | undefined;
  quiet?: ReadonlySet<string>;
}

/**
 * How long PostToolBatch, the last look before the next model request, waits for a running monitor to refetch a
 * snapshot a change made stale (a task written during the tool call): its refresh takes tens of milliseconds, so the
 * change is told in this turn rather than the next. Paid once a change, never when nothing changed (the gate).
 */
const BATCH_WAIT_MS = 300;
const BATCH_POLL_MS = 20;

/** The snapshot once no longer stale, or as it is after `BATCH_WAIT_MS`. */
async function refreshedByMonitor(cache: Cache, key: SnapshotKey, snap: TaskSnapshot): Promise<TaskSnapshot> {
  const until = Date.now() + BATCH_WAIT_MS;
  let now: TaskSnapshot | undefined = snap;
  while (now?.staleSince !== undefined && Date.now() < until) {
    await sleep(BATCH_POLL_MS);
    now = readSnapshot(cache, key);
  }
  return now ?? snap;
}

/**
 * The snapshot of the session's scope, fetched live first when it is stale and the hook may use the network: at a
 * prompt, and mid-turn where the fetch is a read of the built-in store in this process (the monitor's served hooks),
 * so a task written during a tool call is told beside its result rather than after the monitor's own refresh. Where
 * it may not fetch, PostToolBatch waits a moment for a running monitor's refetch instead.
 */
async function newsSnapshot(ask: NewsAsk, deps: HookDeps, trace: Trace) {
  const { settings, cache } = deps;
  const { scope } = locateScope(settings.project, ask.cwd);
  trace.push({ kind: 'scope', project: scope.project, branch: scope.branch });
  const key = snapshotKey(settings.source.key, scope);
  const snap = readSnapshot(cache, key);
  if (snap?.staleSince === undefined) return { scope, snap };
  const local = settings.source.plan.kind === 'embedded';
  if (!deps.allowNetwork || (ask.hook !== 'UserPromptSubmit' && !local)) {
    const waits =
      ask.hook === 'PostToolBatch' &&
      readLiveOwner(settings.home) &&
      isProjectRegistered(cache, scope.project, settings.source.key);
    return { scope, snap: waits ? await refreshedByMonitor(cache, key, snap) : snap };
  }
  const live = await fetchLive(ask.hook, deps, scope, snap.fetchedAt);
  trace.push({ kind: 'fetched', outcome: live.outcome });
  return { scope, snap: readSnapshot(cache, key) };
}

/** The news for the session, worded within NEWS_MAX_CHARS, or undefined when nothing changed since it was told. */
export async function tellNews(ask: NewsAsk, deps: HookDeps, trace: Trace): Promise<string | undefined> {
  const { settings, cache } = deps;
  const { sessionId } = ask;
  const home = settings.home;
  // Read before the cache: a change landing meanwhile bumps it again, so it is heard next time, never lost.
  const generation = readNewsGeneration(home);
  const { scope, snap } = await newsSnapshot(ask, deps, trace);
  const holderOf = holdersFor(deps, scope, sessionId);
  // One transaction from reading the baseline to writing it: two events of one session at once (parallel tool
  // calls) tell an item once between them.
  const lines = cache.write(() => {
    const recorded = parseBaseline(readInjection(cache, sessionId, BASELINE_KEY));
    const was = lookFrom(recorded, ask.key, deps.monitorLate === true);
    // A dry run forgets nothing of the session's own writes: no look is recorded.
    const own = takeOwnWrites(cache, sessionId, scope.project, deps.dryRun ? -1 : (snap?.fetchedAt ?? -1));
    const quiet = new Set([...(ask.quiet ?? []), ...own]);
    const found = was ? newsLines(was, snap, scope.branch, holderOf, quiet) : [];
    trace.push(was ? { kind: 'news', changes: found.length } : { kind: 'news' });
    if (deps.dryRun) return found;
    // Own task: kept while it is open, so a second task started does not hide news of the first.
    const baseline = baselineOf(snap, { own: was?.own, held: sessionTask(cache, sessionId), holderOf });
    writeInjection(cache, sessionId, BASELINE_KEY, JSON.stringify(afterLook(baseline, was, ask.key)));
    return found;
  });
  const retold = deps.dryRun ? undefined : takeLostSessionStart(cache, sessionId);
  if (retold !== undefined) trace.push({ kind: 'retold', what: 'session-start' });
  // The told mark goes last: a failure before it means the news is tried again, never skipped. While what the
  // session was told is not known to have arrived, the gate stays open, so the next event looks again.
  const settled = deps.dryRun || pendingDeliveries(cache, sessionId).length === 0;
  // A copy of the cache (a read-only state directory) has no told mark to keep: every look tells it again.
  if (settled && !cache.copy && readToldGeneration(home, sessionId) !== generation)
    writeToldGeneration(home, sessionId, generation);
  const news = lines.length > 0 ? newsText(lines) : undefined;
  if (retold === undefined) return news && marked(news, deps.marker);
  const again = `taskhooks: your session-start context did not arrive; here it is again:\n${unmarked(retold)}`;
  const text = [again.slice(0, RETOLD_MAX_CHARS - (news ? news.length + 1 : 0)), news].filter(Boolean).join('\n');
  return marked(text, deps.marker);
}

/**
 * The answer of an event whose whole context is the news (UserPromptSubmit, PostToolBatch): nothing without a safe
 * session id and a folder, or when nothing changed; else the news as the context of `answerAs`.
 */
export async function newsAnswer(
  input: HookInput,
  deps: HookDeps,
  hook: NewsAsk['hook'],
  answerAs: HookEventName,
): Promise<HookResult> {
  const sessionId = safeSessionId(input);
  const { cwd } = input;
  if (!sessionId || !cwd) return { output: null, trace: [{ kind: 'no-session', alsoCwd: true }] };
  const trace: Trace = [];
  const news = await tellNews({ sessionId, cwd, hook, key: eventKey(input) }, deps, trace);
  if (!news) return { output: null, trace };
  return { output: { hookSpecificOutput: { hookEventName: answerAs, additionalContext: news } }, trace };
}
