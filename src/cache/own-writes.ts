// The task writes a session made itself, so its news does not tell them back to it. A write learns its session from
// the call that made it (acting-for.ts around a task tool's run; a CLI command run by the session's Bash tool names it
// in CLAUDE_CODE_SESSION_ID); whoever records the write notes its task ids here, and the session's next look for news
// leaves them out, once the snapshot it reads was taken after them.
import type { Cache } from './cache.js';
import { kvDelete, kvGet, kvSet } from './kv.js';

/** A session's own writes wait this long at most for its next look: an ended session's are dropped with the TTL. */
const OWN_WRITES_TTL_SECONDS = 24 * 60 * 60;
/** At most this many kept a session: a burst of writes past it is told as news, never lost. */
const OWN_WRITES_MAX = 200;

export interface OwnWrite {
  project: string;
  id: string;
  at: number;
}

const keyOf = (sessionId: string): string => `own-writes:${sessionId}`;

/** Notes `writes` (a project's task, and when) as `sessionId`'s own; inside the caller's cache transaction, if any. */
export function noteOwnWrites(cache: Cache, sessionId: string, writes: readonly OwnWrite[]): void {
  if (writes.length === 0) return;
  const kept = kvGet<OwnWrite[]>(cache, keyOf(sessionId)) ?? [];
  kvSet(cache, keyOf(sessionId), [...kept, ...writes].slice(-OWN_WRITES_MAX), OWN_WRITES_TTL_SECONDS);
}

/**
 * The ids of `project`'s tasks the session wrote itself, which its news leaves out; those written before `seenAt` (the
 * snapshot it reads now was taken after them, so its baseline takes them in) are forgotten.
 */
export function takeOwnWrites(cache: Cache, sessionId: string, project: string, seenAt: number): Set<string> {
  const kept = kvGet<OwnWrite[]>(cache, keyOf(sessionId));
  if (!kept) return new Set();
  const ids = new Set(kept.filter((w) => w.project === project).map((w) => w.id));
  const left = kept.filter((w) => w.project !== project || w.at > seenAt);
  if (left.length === 0) kvDelete(cache, keyOf(sessionId));
  else if (left.length < kept.length) kvSet(cache, keyOf(sessionId), left, OWN_WRITES_TTL_SECONDS);
  return ids;
}
