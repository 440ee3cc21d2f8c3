// What a starting session is told of the sessions before it: the work records (./work-record.ts) of its branch and of
// the tasks it may take (the ones in progress, the next one), newest first, read from the built-in store. Only the
// session's own project's: a record never reaches another project's session.
import type { Cache } from '../../cache/cache.js';
import { notePlace, noteStartHead, type SessionOrigin } from '../../cache/session-work.js';
import type { TaskSnapshot } from '../../cache/snapshots.js';
import { HARD_CAP, type RenderedContext } from '../../context/render.js';
import { viewOf, withWork, workLine, type WorkView } from '../../context/work-lines.js';
import { readHeadCommit } from '../../git/metadata.js';
import { safeGit, spawnGitRunner, type GitRunner } from '../../git/safe.js';
import { homeFiles } from '../../home/files.js';
import { readStore } from '../../store/tasks-db/reader.js';
import type { WorkRecord } from '../../store/work-records.js';
import { keepsWorkRecords } from '../../sources/work-sharing.js';
import type { Scope } from '../../tasks/scope.js';
import type { HookDeps } from '../types.js';

/**
 * Keeps where the session runs and the commit it starts on, where its own record's commits begin: called inside
 * SessionStart's write registering the session, so the start costs no write of its own.
 */
export function noteStart(cache: Cache, session: SessionOrigin, root: string | undefined): void {
  notePlace(cache, session);
  const head = root ? readHeadCommit(root) : undefined;
  if (head) noteStartHead(cache, session.sessionId, head, session.startedAt);
}

/** How many records a session start hears of at most: the last few sessions, not the task's history. */
export const WORK_TOLD = 3;

/** The records to tell, newest first: the built-in store's, or a team's server's; none where they cannot be read. */
async function recordsToTell(deps: HookDeps, scope: Scope, snapshot: TaskSnapshot | undefined): Promise<WorkRecord[]> {
  const { settings, log } = deps;
  const taskIds = [
    ...(snapshot?.tasks ?? []).filter((t) => t.status === 'in_progress').map((t) => t.id),
    ...(snapshot?.next ? [snapshot.next.id] : []),
  ];
  if (settings.source.plan.kind !== 'embedded') {
    if (!keepsWorkRecords(settings.source.plan)) return [];
    return (await import('./work-remote.js')).serverRecords(deps, scope, { taskIds, limit: WORK_TOLD });
  }
  try {
    return (
      readStore(homeFiles(settings.home).tasks, (reads) => {
        const project = reads.listProjects().find((p) => p.name === scope.project);
        if (!project) return [];
        return reads.recentWorkRecords({ projectId: project.id, branch: scope.branch, taskIds, limit: WORK_TOLD });
      }) ?? []
    );
  } catch (err) {
    log.warn({ err }, 'work records not read: the session starts without them');
    return [];
  }
}

/**
 * The last record of `taskId` in `project`, as a subagent of the session holding it is told of it: one sentence, its
 * commits checked against the branches. Undefined when there is none or the store cannot be read (logged).
 */
export async function lastWorkLine(
  deps: HookDeps,
  w: { project: string; taskId: string; root: string | undefined; now: number },
): Promise<string | undefined> {
  try {
    const [last] =
      readStore(homeFiles(deps.settings.home).tasks, (reads) => {
        const project = reads.listProjects().find((p) => p.name === w.project);
        return project ? reads.listWorkRecords({ projectId: project.id, id: w.taskId }).slice(0, 1) : [];
      }) ?? [];
    if (!last) return undefined;
    const [view] = await workViews([last], w.root);
    return view ? workLine(view, w.now, true) : undefined;
  } catch (err) {
    deps.log.warn({ err }, 'work record not read: the subagent starts without it');
    return undefined;
  }
}

/** Git's answer for a commit it does not have (collected away, or from another clone). */
const UNKNOWN_COMMIT = /malformed object name|no such commit|not a valid/i;

/**
 * Whether no local branch holds `hash` any more; undefined when git could not say (then nothing is claimed). One git
 * run, bounded by the runner's timeout.
 */
export async function onNoBranch(
  root: string,
  hash: string,
  runner: GitRunner = spawnGitRunner,
): Promise<boolean | undefined> {
  if (!/^[0-9a-f]{4,64}$/.test(hash)) return undefined;
  const found = await runner.run(
    root,
    safeGit(['for-each-ref', '--count=1', '--format=%(refname)', `--contains=${hash}`, 'refs/heads/']),
  );
  if (found.ok) return found.stdout.trim() === '';
  return UNKNOWN_COMMIT.test(found.error) ? true : undefined;
}

/** The records as the session is told of them, each one's newest commit checked against the branches. */
export async function workViews(records: readonly WorkRecord[], root: string | undefined): Promise<WorkView[]> {
  return Promise.all(
    records.map(async (r) => {
      const newest = r.commits[0]?.hash;
      return viewOf(r, root && newest ? await onNoBranch(root, newest) : undefined);
    }),
  );
}

/**
 * SessionStart's part on the built-in store: adds the records of earlier sessions to what `rendered` says, within the
 * budget. Never fails the start: a failure is logged.
 */
export async function tellWork(
  deps: HookDeps,
  w: { scope: Scope; root: string | undefined; now: number },
  snapshot: TaskSnapshot | undefined,
  rendered: RenderedContext,
): Promise<RenderedContext> {
  try {
    const records = await recordsToTell(deps, w.scope, snapshot);
    if (records.length === 0) return rendered;
    const budget = Math.min(deps.settings.hooks.contextBudget, HARD_CAP);
    return withWork(rendered, await workViews(records, w.root), w.now, budget);
  } catch (err) {
    deps.log.warn({ err }, 'work records not told: the session starts without them');
    return rendered;
  }
}
