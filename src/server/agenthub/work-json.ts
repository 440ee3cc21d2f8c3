// A work record on the wire (src/store/work-records.ts has its meaning): what a home sends `manage_task
// add_work_record` and what `list_work_records` answers, in the tools' snake_case. One schema for both directions;
// lists and text are cut to what a session is ever told, so a record never grows a team's database unbounded.
import * as z from 'zod';
import { type TaskKey, type WorkRecord, workFields } from '../../store/index.js';

/** The most a record keeps: a session's last commits and files, its words cut as the home cuts them and then some. */
const MOST = { commits: 50, files: 100, text: 500, words: 2000 } as const;

const cut = (n: number) => z.string().transform((s) => s.slice(0, n));
const cutList = <T extends z.ZodType>(item: T, n: number) => z.array(item).transform((l) => l.slice(0, n));

export const WorkRecordJson = z.object({
  session_id: cut(MOST.text).pipe(z.string().min(1)),
  agent: cut(MOST.text).default(''),
  branch: cut(MOST.text).default(''),
  machine: cut(MOST.text).default(''),
  started_at: z.iso.datetime(),
  ended_at: z.iso.datetime(),
  commits: cutList(z.object({ hash: cut(64), subject: cut(MOST.text) }), MOST.commits).default([]),
  uncommitted: cutList(cut(MOST.text), MOST.files).default([]),
  /** The task's status when the session ended; the server's own status of the task when absent. */
  status_to: cut(64).nullish(),
  /** The statuses the session set, oldest first. */
  status_changes: cutList(z.object({ status: cut(64), at: z.iso.datetime() }), MOST.commits).default([]),
  closing_words: cut(MOST.words).nullish(),
});
export type WorkRecordJson = z.input<typeof WorkRecordJson>;

/** A record as the tools carry it (the task it is of is named beside it, or is the answer's). */
export function workJson(r: WorkRecord): WorkRecordJson & { task_id: string } {
  return workFields(r);
}

/** The record `json` says, of task `key`. */
export function workOfJson(json: z.output<typeof WorkRecordJson>, key: TaskKey): WorkRecord {
  return {
    projectId: key.projectId,
    taskId: key.id,
    sessionId: json.session_id,
    agent: json.agent,
    branch: json.branch,
    machine: json.machine,
    startedAt: json.started_at,
    endedAt: json.ended_at,
    commits: json.commits,
    uncommitted: json.uncommitted,
    statusTo: json.status_to ?? null,
    statusChanges: json.status_changes,
    closingWords: json.closing_words ?? null,
  };
}
