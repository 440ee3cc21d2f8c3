// What a session was last told of its tasks (its news baseline), kept per session in the cache: recorded by
// SessionStart from the tasks it told (./start-baseline.ts), then by each look for news (./news.ts).
import { claimsElsewhere } from '../../cache/live-sessions.js';
import { fetchedSnapshot, type TaskSnapshot } from '../../cache/snapshots.js';
import type { Scope } from '../../tasks/scope.js';
import type { Task } from '../../tasks/task.js';
import { claimHolder } from '../../tasks/claim-holder.js';
import { livenessOf, otherAgent } from '../live-session.js';
import type { HookDeps } from '../types.js';

/** session_injections key of the news baseline. */
export const BASELINE_KEY = 'user-prompt-submit:baseline';
export const URGENT = new Set<Task['priority']>(['critical', 'urgent', 'high']);

/** What the session was last told, small enough to read on every prompt that has news. */
export interface Baseline {
  /**
   * The task the session works on (the one it holds, else the one in progress when it was told), with what it last
   * heard of it: `heldBy` is who else holds it, when someone does.
   */
  own?: { id: string; title: string; status: Task['status']; assignees: string[]; heldBy?: string };
  /** Urgent open tasks it has heard of. */
  urgent: string[];
  unreachable: boolean;
  /**
   * The baseline before the look that made this one, and that look's event key: a run after a monitor that answered
   * too late (into a closed connection) looks again from it, so what the monitor told is not lost with its answer.
   */
  prior?: { key: string; was: Baseline };
}

const isBaseline = (v: Baseline): boolean => Array.isArray(v.urgent) && typeof v.unreachable === 'boolean';

export function parseBaseline(text: string | undefined): Baseline | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Baseline;
    if (!isBaseline(v)) return undefined;
    // A prior this version cannot read is left out: only a late run's second look would have used it.
    if (v.prior && !(typeof v.prior.key === 'string' && v.prior.was && isBaseline(v.prior.was))) delete v.prior;
    return v;
  } catch {
    // A baseline this version cannot read is as good as none: the prompt records a fresh one and says nothing.
    return undefined;
  }
}

/**
 * What a look compares with: the recorded baseline, or, for a run after a late monitor (`late`) of the event that
 * made it (`key`), the one before, so the news the monitor folded in is told again rather than lost.
 */
export function lookFrom(recorded: Baseline | undefined, key: string | undefined, late: boolean): Baseline | undefined {
  return late && key !== undefined && recorded?.prior?.key === key ? recorded.prior.was : recorded;
}

/** The baseline to record after a look by event `key` from `was`: `next`, keeping `was` as its prior. */
export function afterLook(next: Baseline, was: Baseline | undefined, key: string | undefined): Baseline {
  if (!was || key === undefined) return next;
  const { prior: _older, ...plain } = was;
  return { ...next, prior: { key, was: plain } };
}

export const unreachableNow = (snap: TaskSnapshot | undefined): boolean =>
  Boolean(snap?.lastError && (snap.lastErrorAt ?? 0) >= (snap.fetchedAt ?? 0));

/** Who other than this session holds a task: another live session of this machine, or the server's claimant. */
export type HolderOf = (task: Task) => string | undefined;

export function baselineOf(
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

/** HolderOf for `sessionId`, from the live sessions of the scope's project now. */
export function holdersFor(deps: HookDeps, scope: Scope, sessionId: string): HolderOf {
  const now = (deps.now ?? Date.now)();
  const elsewhere = claimsElsewhere(deps.cache, scope.project, sessionId, livenessOf(deps.settings, now));
  return (t) => {
    const c = elsewhere.find((e) => e.taskId === t.id);
    const agent = c && otherAgent(c.session.agent, deps.agent?.id ?? 'claude');
    if (c) return `the ${agent ? `${agent} ` : ''}session in ${c.session.cwd} (branch ${c.session.branch || '(none)'})`;
    if (!t.claimedBy) return undefined;
    // Said by the person's name; a claim that names only a session has no name to say.
    const holder = claimHolder(t.claimedBy, sessionId);
    return holder === '' ? undefined : `${holder ?? 'another session'} on the task server`;
  };
}
