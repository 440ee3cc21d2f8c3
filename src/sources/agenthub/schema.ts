// The agenthub/dhafnck payloads, as that server answers them (the built-in task server, src/server/agenthub, speaks
// the same tools: manage_project, manage_git_branch, manage_task).
import { z } from 'zod';
import { anyId as id, numberedList } from '../parse.js';
import { ON_TASK, type OnTaskAnswers } from '../../tasks/fields.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../../tasks/task.js';

const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
const strings = z
  .array(z.union([z.string(), z.number(), z.looseObject({ id })]))
  .nullish()
  .transform((v) => (v ?? []).map((x) => (typeof x === 'object' ? x.id : String(x))));

const nullish = z.string().nullish();
/** The plain fields a person meets, by their answer names (src/tasks/fields.ts). */
const onTaskAnswers = Object.fromEntries(ON_TASK.map(({ spec }) => [spec.answer, nullish])) as {
  [K in keyof Required<OnTaskAnswers>]: typeof nullish;
};

/** A task as agenthub sends it; `taskOf` makes it a Task. */
const AgenthubTask = z.looseObject({
  id,
  title: z.string(),
  description: text,
  project_id: z.string().nullish(),
  git_branch_id: z.string().nullish(),
  status: z.enum(TASK_STATUSES),
  priority: z
    .enum(TASK_PRIORITIES)
    .nullish()
    .transform((p) => p ?? 'medium'),
  assignees: strings,
  labels: strings,
  dependencies: strings,
  details: z.string().nullish(),
  /** The notes kept beside the task (`add_note`), sent with a single task's read. */
  notes: z.array(z.looseObject({ text: z.string(), author: z.string().nullish() })).nullish(),
  completion_summary: z.string().nullish(),
  claimed_by: z.string().nullish(),
  claim_expires_at: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  ...onTaskAnswers,
});
export type AgenthubTask = z.output<typeof AgenthubTask>;

export { taskOf } from './reading.js';

/** Every answer: success with data, or failure with an error message and code. */
export const Envelope = z.union([
  z.looseObject({ success: z.literal(true), data: z.unknown() }),
  z.looseObject({
    success: z.literal(false),
    error: z.union([z.string(), z.looseObject({ message: z.string(), code: z.string().nullish() })]),
  }),
]);

/** A page of the listing, or with `since` what changed after it; `sequence` only from a server that numbers changes. */
export const TaskListData = numberedList(AgenthubTask);
/** What a `taskhooks serve` change notification carries beside its sequence: the project's delta and next tasks. */
export const CarriedChanges = z.looseObject({
  since: z.number().int().nonnegative(),
  sequence: z.number().int().nonnegative(),
  tasks: z.array(AgenthubTask),
  deleted_task_ids: z.array(id),
  next: z.record(z.string(), id.nullable()),
});
export const TaskData = z.looseObject({ task: AgenthubTask });
export const NextData = z.looseObject({
  task: z.looseObject({ has_next: z.boolean().optional(), next_item: AgenthubTask.nullish() }).nullish(),
});

const Named = z.looseObject({ id, name: z.string() });
/** `git_branchs` (sic) has been seen as a single object where a list belongs: both are accepted. */
export const BranchListData = z.looseObject({
  git_branchs: z.union([z.array(Named), Named]).transform((v) => (Array.isArray(v) ? v : [v])),
});
export const ProjectListData = z.looseObject({
  projects: z.union([z.array(Named), Named]).transform((v) => (Array.isArray(v) ? v : [v])),
});
export const ProjectData = z.looseObject({ project: Named });
export const BranchData = z.looseObject({ git_branch: Named });
/** An answer whose data only has to be an envelope's success (delete, add_note): what it holds is not read. */
export const AnyData = z.unknown();
