// The plain task fields (src/tasks/fields.ts) as both tool families take and answer them, by their argument names.
import * as z from 'zod';
import {
  fieldSpec,
  ON_TASK,
  TASK_FIELD_NAMES,
  type FieldArgs,
  type OnTaskFlags,
  type StoredFields,
} from '../tasks/fields.js';
import type { TaskRecord } from '../store/types.js';

const text = z.string().optional();

/** The plain fields as tool arguments: text, a date saying its form. */
export const FIELD_ARGS = Object.fromEntries(
  TASK_FIELD_NAMES.map((name) => {
    const { arg, kind } = fieldSpec(name);
    return [arg, kind === 'date' ? text.describe('a day, YYYY-MM-DD') : text];
  }),
) as FieldArgs<typeof text>;

/** The plain fields a person meets, as the session's add_task takes them: by their `tasks add` flag (`due`). */
export const FLAG_ARGS = Object.fromEntries(
  ON_TASK.map(({ spec }) => [spec.task.flag, spec.kind === 'date' ? text.describe('YYYY-MM-DD') : text]),
) as OnTaskFlags<typeof text>;

/** A write's request id, which both families take (see idempotent.ts). */
export const REQUEST_ID_ARG = text.describe(
  'a write: its id, the same on every retry; a retry of one that landed answers the first answer',
);

/** The plain fields a call's arguments give; absent ones are left out (the store checks the values). */
export function fieldPatch(args: Partial<FieldArgs<string | undefined>>): Partial<StoredFields> {
  const patch: Partial<StoredFields> = {};
  for (const name of TASK_FIELD_NAMES) {
    const value = args[fieldSpec(name).arg as keyof FieldArgs<unknown>];
    if (value !== undefined) patch[name] = value;
  }
  return patch;
}

/** The plain fields by their argument names: how the tracker tools answer them. */
export function fieldsByArg(t: TaskRecord): Record<string, string | null> {
  return Object.fromEntries(TASK_FIELD_NAMES.map((name) => [fieldSpec(name).arg, t[name]]));
}
