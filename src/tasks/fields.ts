// The task's plain fields, declared once: values a person writes and every layer carries as they are. The store's
// rows, columns, writes, search and export, the agenthub tools' arguments and answers, the tracker tools, the agenthub
// reader, the CLI's `tasks add|edit` flags and `tasks show` lines and the dashboard's cards and forms are derived from
// this list. Fields with rules of their own (status, priority, the lists, branch, claims, timestamps) are code; so is
// what a session is told. Plain data and types, no zod: the CLI, the dashboard and the hooks' readers load it.

/** `text`: free text. `date`: a calendar day, `YYYY-MM-DD` (an ISO timestamp is taken too: agenthub clients send one). */
export type FieldKind = 'text' | 'date';

/** How a person meets the field: on the `Task` every reader gets, a flag of `tasks add|edit`, a line of `tasks show`. */
export interface FieldOnTask {
  flag: string;
  placeholder: string;
  description: string;
  label: string;
}

export interface TaskFieldSpec {
  kind: FieldKind;
  /** The column in both engines' `tasks` table, added by one migration in each (`schema.ts`). */
  column: string;
  /** Its name in manage_task's arguments and the tracker tools' answers. */
  arg: string;
  /** Its name in manage_task's answers (agenthub answers some in camelCase). */
  answer: string;
  /** What the store holds when it is unset: '' for a NOT NULL text column, else null. */
  empty: '' | null;
  /** Read onto the `Task` (from a listing too, so the hooks' snapshots hold it), written and shown by the CLI and the board. */
  task?: FieldOnTask;
}

export const TASK_FIELDS = {
  // On the Task as its notes, joined with the notes kept beside it (agenthub/reading.ts): not a plain read.
  details: { kind: 'text', column: 'details', arg: 'details', answer: 'details', empty: '' },
  estimatedEffort: {
    kind: 'text',
    column: 'estimated_effort',
    arg: 'estimated_effort',
    answer: 'estimatedEffort',
    empty: null,
  },
  dueDate: {
    kind: 'date',
    column: 'due_date',
    arg: 'due_date',
    answer: 'dueDate',
    empty: null,
    task: {
      flag: 'due',
      placeholder: 'DATE',
      description: 'the day it is due, YYYY-MM-DD (`tasks edit --due ""` clears it)',
      label: 'due',
    },
  },
} as const satisfies Record<string, TaskFieldSpec>;

type Fields = typeof TASK_FIELDS;
export type TaskFieldName = keyof Fields;

/** The store's value of a field: text, or null where the column may be empty. */
export type StoredValue<K extends TaskFieldName> = Fields[K]['empty'] extends '' ? string : string | null;
/** The declared fields as the store's records hold them. */
export type StoredFields = { [K in TaskFieldName]: StoredValue<K> };
/** The same, keyed by column: the part of a task row the declaration makes. */
export type FieldColumns = { [K in TaskFieldName as Fields[K]['column']]: StoredValue<K> };
/** Keyed by manage_task's argument names. */
export type FieldArgs<V> = { [K in TaskFieldName as Fields[K]['arg']]: V };
/** Keyed by manage_task's answer names. */
export type FieldAnswers = { [K in TaskFieldName as Fields[K]['answer']]: StoredValue<K> };

/** The fields a person meets (see `task`): on the Task, in `tasks add|edit` and `tasks show`. */
export type OnTaskName = { [K in TaskFieldName]: Fields[K] extends { task: FieldOnTask } ? K : never }[TaskFieldName];
/** Their values on a `Task`, on a new task and on an edit: set, or absent. */
export type TaskFieldValues = { [K in OnTaskName]?: string | undefined };
/** Their values in manage_task's answers, as a reader finds them. */
export type OnTaskAnswers = { [K in OnTaskName as Fields[K]['answer']]?: string | null | undefined };

/** Keyed by the CLI's flag names. */
export type OnTaskFlags<V> = {
  [K in OnTaskName as Fields[K] extends { task: { flag: infer F extends string } } ? F : never]: V;
};

export const TASK_FIELD_NAMES = Object.keys(TASK_FIELDS) as TaskFieldName[];

export const fieldSpec = (name: TaskFieldName): TaskFieldSpec => TASK_FIELDS[name];

/** The fields a person meets, with how. */
export const ON_TASK: ReadonlyArray<{ name: OnTaskName; spec: TaskFieldSpec & { task: FieldOnTask } }> =
  TASK_FIELD_NAMES.flatMap((name) => {
    const spec = fieldSpec(name);
    return spec.task ? [{ name: name as OnTaskName, spec: { ...spec, task: spec.task } }] : [];
  });

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** What is wrong with `value` as a field of `kind`, in words that name the form it takes; undefined when it is right. */
export function fieldProblem(kind: FieldKind, value: string): string | undefined {
  if (kind === 'text') return undefined;
  const day = value.slice(0, 10);
  const at = Date.parse(`${day}T00:00:00Z`);
  const real = DAY.test(day) && !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === day;
  if (real && (value.length === 10 || (TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))))) return undefined;
  return `${JSON.stringify(value)} is not a date: give a day as YYYY-MM-DD, e.g. 2026-12-01`;
}

/** The plain fields given as flags or tool arguments (`values`, keyed by flag), unchecked; absent ones are left out. */
export function fieldsOfFlags(values: Readonly<Record<string, unknown>>): TaskFieldValues {
  const fields: Record<string, string> = {};
  for (const { name, spec } of ON_TASK) {
    const value = values[spec.task.flag];
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

/**
 * The plain fields given as `tasks edit` flags (`values`, keyed by flag), each checked against its kind; absent
 * ones are left out, and one given empty is kept, to clear it. `problem` names the first flag whose value is wrong.
 */
export function fieldsFromFlags(values: Readonly<Record<string, unknown>>): {
  fields: TaskFieldValues;
  problem?: string;
} {
  const fields = fieldsOfFlags(values);
  for (const { name, spec } of ON_TASK) {
    const value = fields[name];
    const problem = value ? fieldProblem(spec.kind, value) : undefined;
    if (problem) return { fields, problem: `--${spec.task.flag} ${problem}` };
  }
  return { fields };
}

/**
 * The flags of the fields `given` that the task a source answered with lacks (a source with nowhere to keep a due
 * date drops it). A field given empty, to clear it, is not looked for.
 */
export const unkeptFlags = (given: TaskFieldValues, task: TaskFieldValues): string[] =>
  ON_TASK.filter(({ name }) => given[name] && !task[name]).map(({ spec }) => `--${spec.task.flag}`);
