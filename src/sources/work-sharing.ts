// Which sources a session's work record leaves this machine for, decided without the network stack: a team's server
// (agenthub's tools, as `taskhooks serve` answers them) keeps records with its tasks; a tracker gets one as a comment
// only when the person turned `hooks.workComments` on.
import type { SourcePlan } from './plan.js';

/** When a tracker's task gets a session's work record as a comment: hooks.workComments's words, its schema's list. */
export const WORK_COMMENTS = ['off', 'done', 'ended'] as const;
export type WorkComments = (typeof WORK_COMMENTS)[number];

/** The trackers a record may be written back to as a comment: the person's own issues, through their own token. */
export const COMMENTING: ReadonlySet<string> = new Set(['github', 'gitlab', 'jira', 'linear', 'azure-devops']);

/** Whether records are sent to `plan`'s source: its server keeps them, or the person asked for comments on it. */
export function sharesWork(plan: SourcePlan, comments: WorkComments): boolean {
  if (plan.kind === 'embedded') return false;
  return plan.adapter === 'agenthub' || (comments !== 'off' && COMMENTING.has(plan.adapter));
}

/** Whether `plan`'s source keeps records a session start may be told of (not the built-in store: that is read here). */
export const keepsWorkRecords = (plan: SourcePlan): boolean => plan.kind !== 'embedded' && plan.adapter === 'agenthub';

/**
 * Whether a session on `plan`'s source may leave a record, so its start notes where it began and its end loads the
 * recorder (both lazy files): the built-in store, or a source sharesWork may send to. Loose on purpose (any source with
 * comments on): the commenting trackers' Set would take SessionStart's bundle past HOT_PATH_MAX_BYTES, and a loose yes
 * costs only a lazy file.
 */
export const mayKeepWork = (plan: SourcePlan, comments: WorkComments): boolean =>
  plan.kind === 'embedded' || plan.adapter === 'agenthub' || comments !== 'off';
