// A session's work records where its tasks live outside this machine: a team's server (`taskhooks serve`) keeps them
// with the task, for a teammate's next session; a tracker gets one as a comment on the issue when `hooks.workComments`
// asks for it, and never otherwise. The records a session start or `tasks show` reads from the team's server.
import { asTaskSourceError } from '../errors/task-source.js';
import { loadTokenFormats, scrubData, scrubString } from '../log/redact.js';
import { openSource, type OpenSourceArgs } from '../sources/open.js';
import type { TaskSource } from '../sources/source.js';
import { COMMENTING, sharesWork, type WorkComments } from '../sources/work-sharing.js';
import type { WorkRecord } from '../store/work-records.js';
import type { Scope } from '../tasks/scope.js';
import type { Deadline } from '../util/deadline.js';

export interface ShareWorkArgs extends OpenSourceArgs {
  /** The session's records, each of its task in the session's project (by name, as the record's projectId). */
  records: readonly WorkRecord[];
  comments: WorkComments;
  /** A record as a tracker comment, secrets scrubbed (src/context/work-comment.ts; made by the caller, as text is). */
  comment: (record: WorkRecord) => Promise<string>;
  deadline: Deadline;
}

/** What was shared: records kept by the server, comments written, and a failure per record that was not. */
export interface Shared {
  kept: number;
  commented: number;
  failed: Array<{ taskId: string; error: string }>;
}

type Sharing = Pick<ShareWorkArgs, 'comments' | 'comment' | 'deadline'>;

async function shareOne(source: TaskSource, r: WorkRecord, how: Sharing): Promise<'kept' | 'commented' | 'none'> {
  const opts = { deadline: how.deadline, project: r.projectId };
  if (source.addWorkRecord) {
    await source.addWorkRecord(r, opts);
    return 'kept';
  }
  if (how.comments === 'off' || !COMMENTING.has(source.adapter) || !source.addNote) return 'none';
  const task = await source.get(r.taskId, opts);
  // 'done': only a task the session finished; 'ended': every session that let its task go hands it over.
  if (how.comments === 'done' && task.status !== 'done') return 'none';
  await source.addNote(r.taskId, await how.comment({ ...r, statusTo: task.status }), opts);
  return 'commented';
}

/** Sends each record to an open source; a failure of one is reported with its task, the others still go. */
export async function shareWith(source: TaskSource, records: readonly WorkRecord[], how: Sharing): Promise<Shared> {
  const shared: Shared = { kept: 0, commented: 0, failed: [] };
  for (const r of records) {
    try {
      const done = await shareOne(source, r, how);
      if (done === 'kept') shared.kept++;
      else if (done === 'commented') shared.commented++;
    } catch (err) {
      const e = asTaskSourceError(err);
      await loadTokenFormats(e.message);
      shared.failed.push({ taskId: r.taskId, error: scrubString(e.message) });
    }
  }
  return shared;
}

/** Opens the configured source, when it is one records are sent to, and sends them through one connection. */
export async function shareWork(args: ShareWorkArgs): Promise<Shared> {
  if (!sharesWork(args.source.plan, args.comments)) return { kept: 0, commented: 0, failed: [] };
  const source = openSource(args);
  try {
    return await shareWith(source, args.records, args);
  } finally {
    void source.close().catch((err: unknown) => args.log.debug({ err }, 'closing the task source failed'));
  }
}

export interface ReadWorkArgs extends OpenSourceArgs {
  scope: Scope;
  /** The tasks the session may take, whose records it is told of beside its branch's. */
  taskIds: readonly string[];
  limit: number;
  deadline: Deadline;
}

/** The records a session starting in `scope` is told of, from a server that keeps them; none from another source. */
export async function recentWork(args: ReadWorkArgs): Promise<WorkRecord[]> {
  const source = openSource(args);
  try {
    if (!source.recentWorkRecords) return [];
    const records = await source.recentWorkRecords(args.scope, args, { deadline: args.deadline });
    await loadTokenFormats(records);
    return scrubData(records);
  } catch (err) {
    throw asTaskSourceError(err);
  } finally {
    void source.close().catch((err: unknown) => args.log.debug({ err }, 'closing the task source failed'));
  }
}
