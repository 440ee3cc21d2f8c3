// UserPromptSubmit: tells a running session what changed since it was last told, and nothing when nothing did (the
// entry file answers that case from two small files, see src/cache/news-generation.ts). What the session was told is
// a compact baseline in the cache, keyed by session: the first prompt only records it, every later difference is
// told once and folded into it.
import {
  readToldGeneration,
  readNewsGeneration,
  writeToldGeneration,
  isSafeSessionId,
} from '../cache/news-generation.js';
import { snapshotKey, fetchedSnapshot, readSnapshot, type TaskSnapshot } from '../cache/snapshots.js';
import { claimsElsewhere, sessionTask } from '../cache/live-sessions.js';
import { readInjection, writeInjection } from '../cache/sessions.js';
import { sanitize } from '../context/sanitize.js';
import { locateScope } from '../tasks/scope.js';
import type { Task } from '../tasks/task.js';
import type { HookInput } from './input-fields.js';
import type { Trace } from './trace.js';
import { livenessOf } from './live-session.js';
import type { CommandHook, HookDeps, HookResult } from './types.js';

/** session_injections key of the news baseline. */
const BASELINE_KEY = 'user-prompt-submit:baseline';
/** The most a piece of news may take of the model's context. */
export const NEWS_MAX_CHARS = 600;
const URGENT = new Set<Task['priority']>(['critical', 'urgent', 'high']);

/** What the session was last told, small enough to read on every prompt that has news. */
interface Baseline {
  /**
   * The task the session works on (the one it holds, else the one in progress when it was told), with what it last
   * heard of it: `heldBy` is who else holds it, when someone does.
   */
  own?: { id: string; title: string; status: Task['status']; assignees: string[]; heldBy?: string };
  /** Urgent open tasks it has heard of. */
  urgent: string[];
  unreachable: boolean;
}

function parseBaseline(text: string | undefined): Baseline | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Baseline;
    return Array.isArray(v.urgent) && typeof v.unreachable === 'boolean' ? v : undefined;
  } catch {
    // A baseline this version cannot read is as good as none: the prompt records a fresh one and says nothing.
    return undefined;
  }
}

const unreachableNow = (snap: TaskSnapshot | undefined): boolean =>
  Boolean(snap?.lastError && (snap.lastErrorAt ?? 0) >= (snap.fetchedAt ?? 0));

/** Who other than this session holds a task: another live session of this machine, or the server's claimant. */
type HolderOf = (task: Task) => string | undefined;

function baselineOf(
  snap: TaskSnapshot | undefined,
  keep: { own: Baseline['own']; held: string | undefined; holderOf: HolderOf },
): Baseline {
  const tasks = fetchedSnapshot(snap)?.tasks ?? [];
  const find = (id: string | undefined) => (id === undefined ? undefined : tasks.find((t) => t.id === id));
  const own = find(keep.own?.id) ?? find(keep.held) ?? tasks.find((t) => t.status === 'in_progress');
  const base: Baseline = {
    urgent: tasks.filter((t) => URGENT.has(t.priority)).map((t) => t.id),
    unreachable: unreachableNow(snap),
  };
  if (own) {
    const heldBy = keep.holderOf(own);
    base.own = { id: own.id, title: own.title, status: own.status, assignees: own.assignees };
    if (heldBy) base.own.heldBy = heldBy;
  }
  return base;
}

const label = (t: { id: string; title: string }): string => `${sanitize(t.id, 40)} (${sanitize(t.title, 60)})`;

/** One line per change since `was`; the snapshot is left out of the task lines when it holds no fetched tasks. */
export function newsLines(was: Baseline, snap: TaskSnapshot | undefined, branch: string, holderOf: HolderOf): string[] {
  const lines: string[] = [];
  const unreachable = unreachableNow(snap);
  if (unreachable && !was.unreachable)
    lines.push('The task server is unreachable: what taskhooks says about tasks may be out of date.');
  if (!unreachable && was.unreachable) lines.push('The task server is reachable again.');
  const fetched = fetchedSnapshot(snap);
  if (!fetched) return lines;
  if (was.own) {
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
    if (URGENT.has(t.priority) && !was.urgent.includes(t.id) && t.id !== was.own?.id)
      lines.push(`New ${t.priority} task${where}: ${label(t)}.`);
  }
  return lines;
}

/** The news as the model reads it, within NEWS_MAX_CHARS (whole lines; the cut says how many more there were). */
export function newsText(lines: string[]): string {
  const head = 'taskhooks: changed since you were last told:';
  let text = head;
  for (let i = 0; i < lines.length; i++) {
    const more = `\n(and ${lines.length - i} more: run taskhooks context)`;
    const next = `${text}\n- ${lines[i]}`;
    if (next.length + (i < lines.length - 1 ? more.length : 0) > NEWS_MAX_CHARS)
      return (text + more).slice(0, NEWS_MAX_CHARS);
    text = next;
  }
  return text;
}

async function userPromptSubmit(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const { session_id: sessionId, cwd } = input;
  if (!sessionId || !isSafeSessionId(sessionId) || !cwd)
    return { output: null, trace: [{ kind: 'no-session', alsoCwd: true }] };
  const { settings, cache, log } = deps;
  const home = settings.home;
  // Read before the cache: a change landing meanwhile bumps it again, so it is heard at the next prompt, never lost.
  const generation = readNewsGeneration(home);
  const { scope } = locateScope(settings.project, cwd);
  let snap = readSnapshot(cache, snapshotKey(settings.source.key, scope));
  const trace: Trace = [{ kind: 'scope', project: scope.project, branch: scope.branch }];
  if (snap?.staleSince !== undefined && deps.allowNetwork) {
    // A file of its own (dist/hooks/lazy/live-fetch.js): only a prompt after a change loads it.
    const { liveSnapshot } = await import('./live-fetch.js');
    const live = await liveSnapshot({
      hook: 'UserPromptSubmit',
      settings,
      cache,
      log,
      scope,
      startedAt: deps.startedAt ?? Date.now(),
      seenFetchedAt: snap.fetchedAt,
    });
    trace.push({ kind: 'fetched', outcome: live.outcome });
    snap = readSnapshot(cache, snapshotKey(settings.source.key, scope));
  }
  const was = parseBaseline(readInjection(cache, sessionId, BASELINE_KEY));
  const now = (deps.now ?? Date.now)();
  const elsewhere = claimsElsewhere(cache, scope.project, sessionId, livenessOf(settings, now));
  const holderOf: HolderOf = (t) => {
    const c = elsewhere.find((e) => e.taskId === t.id);
    if (c) return `the session in ${c.session.cwd} (branch ${c.session.branch || '(none)'})`;
    // The server names its claimant as a person and a session (`dana/session-7`), or the session alone.
    return t.claimedBy && !t.claimedBy.split('/').includes(sessionId) ? `${t.claimedBy} on the task server` : undefined;
  };
  const lines = was ? newsLines(was, snap, scope.branch, holderOf) : [];
  trace.push(was ? { kind: 'news', changes: lines.length } : { kind: 'news' });
  if (!deps.dryRun) {
    // Own task: kept while it is open, so a second task started does not hide news of the first.
    const baseline = baselineOf(snap, { own: was?.own, held: sessionTask(cache, sessionId), holderOf });
    writeInjection(cache, sessionId, BASELINE_KEY, JSON.stringify(baseline));
    // The told mark goes last: a failure before it means the news is tried again, never skipped.
    if (readToldGeneration(home, sessionId) !== generation) writeToldGeneration(home, sessionId, generation);
  }
  if (lines.length === 0) return { output: null, trace };
  log.debug({ items: lines.length }, 'UserPromptSubmit told news');
  return {
    output: { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: newsText(lines) } },
    trace,
  };
}

export const userPromptSubmitHook: CommandHook = {
  name: 'user-prompt-submit',
  run: userPromptSubmit,
  wants: (input) => typeof input.session_id === 'string' && isSafeSessionId(input.session_id),
  // The prompt waits on this hook: a live fetch (only after a change) is bounded by hooks.preToolUseDeadlineMs.
  watchdogMs: (settings) => (settings?.hooks.preToolUseDeadlineMs ?? 1000) + 2000,
  allowNetwork: true,
};
