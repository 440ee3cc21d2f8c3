// What each session did on a task, kept with the task (table work_records): when and where it ran, what it committed,
// what it left uncommitted, the statuses it set, the task's at its end and its closing words. Written when a session
// stops and ends, read when the next one starts and by `taskhooks tasks show`; a task's records go with it, or with
// `taskhooks tasks forget`.
import type { Connection } from './connection.js';

/** A task by its key, as TaskKey (types.ts, which holds these operations) names it. */
type TaskKey = { projectId: string; id: string };

/** A status the session set on the task through its task tools, and when (ISO text). */
export interface WorkStatusChange {
  status: string;
  at: string;
}

/** A commit a session made: its short id and subject. */
export interface WorkCommit {
  hash: string;
  subject: string;
}

/** One session's work on one task. Times are ISO text, as every time of the store. */
export interface WorkRecord {
  projectId: string;
  taskId: string;
  sessionId: string;
  /** The coding agent it ran in, as people name it (`Claude Code`, `Codex`); '' when unknown. */
  agent: string;
  branch: string;
  /** The host name of the machine it ran on. */
  machine: string;
  startedAt: string;
  endedAt: string;
  /** Newest first. */
  commits: WorkCommit[];
  /** Files it changed and left uncommitted, as `git status` names them. */
  uncommitted: string[];
  /** The task's status when the session ended; null when unknown. */
  statusTo: string | null;
  /** The statuses the session set on the task while it ran, oldest first; empty when it set none. */
  statusChanges: WorkStatusChange[];
  /** Its last words, cut and cleaned; null when closing words are not kept. */
  closingWords: string | null;
}

/** Which records a session start wants: a project's, on its branch or for the tasks it may take, newest first. */
export interface RecordQuery {
  projectId: string;
  branch: string;
  taskIds: readonly string[];
  limit: number;
}

export interface WorkRecordOps {
  /**
   * Keeps a session's record of a task, replacing what the same session (since the same start) recorded before (at
   * an earlier Stop); closing words it has none of now are kept from then.
   */
  addWorkRecord(record: WorkRecord): void;
  /** The task's records, newest first. */
  listWorkRecords(key: TaskKey): WorkRecord[];
  /** Drops the task's records; returns how many there were. */
  forgetWorkRecords(key: TaskKey): number;
  recentWorkRecords(query: RecordQuery): WorkRecord[];
}

/** A work_records row as either engine reads it: its list columns are JSON text here, parsed jsonb on PostgreSQL. */
export interface WorkRow<List = string> {
  project_id: string;
  task_id: string;
  session_id: string;
  agent: string;
  branch: string;
  machine: string;
  started_at: string;
  ended_at: string;
  commits: List;
  uncommitted: List;
  status_to: string | null;
  status_changes: List;
  closing_words: string | null;
}

/** A list column's value as `T`s; what this version cannot read is left out, never a failed read. */
const listOf = <T>(value: unknown, keep: (x: unknown) => x is T): T[] =>
  Array.isArray(value) ? value.filter(keep) : [];

/** A JSON text column's value; text that is no JSON reads as nothing, an empty list to listOf. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isCommit = (x: unknown): x is WorkCommit =>
  typeof (x as WorkCommit | null)?.hash === 'string' && typeof (x as WorkCommit).subject === 'string';
const isText = (x: unknown): x is string => typeof x === 'string';
const isStatusChange = (x: unknown): x is WorkStatusChange =>
  typeof (x as WorkStatusChange | null)?.status === 'string' && typeof (x as WorkStatusChange).at === 'string';

/** A row of either engine as a record, its list columns read by `read` (JSON text parsed, or jsonb as it came). */
export function recordOfRow<List>(r: WorkRow<List>, read: (list: List) => unknown): WorkRecord {
  return {
    projectId: r.project_id,
    taskId: r.task_id,
    sessionId: r.session_id,
    agent: r.agent,
    branch: r.branch,
    machine: r.machine,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    commits: listOf(read(r.commits), isCommit),
    uncommitted: listOf(read(r.uncommitted), isText),
    statusTo: r.status_to,
    statusChanges: listOf(read(r.status_changes), isStatusChange),
    closingWords: r.closing_words,
  };
}

export const toRecord = (r: WorkRow): WorkRecord => recordOfRow(r, parsed);

/** The columns a record is written to, in the order both engines' upserts give them. */
export const WORK_COLUMNS = `project_id, task_id, session_id, agent, branch, machine, started_at, ended_at, commits,
    uncommitted, status_to, status_changes, closing_words`;

/** A record's fields by their snake_case names, as the tables' columns and the tools' JSON both name them. */
export function workFields(r: WorkRecord) {
  return {
    task_id: r.taskId,
    session_id: r.sessionId,
    agent: r.agent,
    branch: r.branch,
    machine: r.machine,
    started_at: r.startedAt,
    ended_at: r.endedAt,
    commits: r.commits,
    uncommitted: r.uncommitted,
    status_to: r.statusTo,
    status_changes: r.statusChanges,
    closing_words: r.closingWords,
  };
}

/** A record as a row by column (WORK_COLUMNS), its lists as JSON text: what both engines write. */
export function workRecordRow(r: WorkRecord): Record<string, unknown> {
  return {
    project_id: r.projectId,
    ...workFields(r),
    commits: JSON.stringify(r.commits),
    uncommitted: JSON.stringify(r.uncommitted),
    status_changes: JSON.stringify(r.statusChanges),
  };
}

/**
 * Both engines' rule for a second write of the same session since the same start: it replaces the first, but a later
 * write without closing words (a SessionEnd after a Stop that had some) keeps the earlier ones.
 */
export const WORK_UPSERT_RULE = `ON CONFLICT (project_id, task_id, session_id, started_at) DO UPDATE SET
    agent = excluded.agent, branch = excluded.branch, machine = excluded.machine, ended_at = excluded.ended_at,
    commits = excluded.commits, uncommitted = excluded.uncommitted, status_to = excluded.status_to,
    status_changes = excluded.status_changes, closing_words = COALESCE(excluded.closing_words, work_records.closing_words)`;

const UPSERT = `INSERT INTO work_records (${WORK_COLUMNS})
  VALUES (@project_id, @task_id, @session_id, @agent, @branch, @machine, @started_at, @ended_at, @commits, @uncommitted,
    @status_to, @status_changes, @closing_words)
  ${WORK_UPSERT_RULE}`;

export function workRecords(c: Connection): WorkRecordOps {
  return {
    addWorkRecord: (r) =>
      c.write(() => {
        c.statement(UPSERT).run(workRecordRow(r));
      }),
    listWorkRecords: (key) =>
      (
        c
          .statement('SELECT * FROM work_records WHERE project_id = ? AND task_id = ? ORDER BY ended_at DESC, id DESC')
          .all(key.projectId, key.id) as WorkRow[]
      ).map(toRecord),
    forgetWorkRecords: (key) =>
      c.write(
        () =>
          c.statement('DELETE FROM work_records WHERE project_id = ? AND task_id = ?').run(key.projectId, key.id)
            .changes,
      ),
    recentWorkRecords: (q) =>
      (
        c
          .statement(
            `SELECT * FROM work_records WHERE project_id = ? AND (branch = ? OR task_id IN (SELECT value FROM json_each(?)))
             ORDER BY ended_at DESC, id DESC LIMIT ?`,
          )
          .all(q.projectId, q.branch, JSON.stringify(q.taskIds), q.limit) as WorkRow[]
      ).map(toRecord),
  };
}
