// The declared fields a person meets (src/tasks/fields.ts) that an issue tracker keeps on its issues, by the
// tracker's own names: the zod shape of the part of an answer holding them, their read onto the Task, and their write.
import { z } from 'zod';
import { ON_TASK, type OnTaskName, type TaskFieldValues } from '../../tasks/fields.js';
import { TaskSourceError } from '../../errors/task-source.js';
import type { TaskEdit } from '../source.js';

/** Where a tracker keeps a field: its name on the tracker's issue (absent: the tracker has nowhere to keep it). */
export type TrackerFieldNames = { readonly [K in OnTaskName]?: string };

const nullish = z.string().nullish();

/** The fields as the tracker answers them: each a string, or null when unset. */
export function trackerFieldShape<const N extends TrackerFieldNames>(
  names: N,
): { [K in keyof N as N[K] & string]: typeof nullish } {
  return Object.fromEntries(Object.values(names).map((name) => [name, nullish])) as {
    [K in keyof N as N[K] & string]: typeof nullish;
  };
}

/** The fields an issue holds, onto its Task; one unset is left off. */
export function readTrackerFields(names: TrackerFieldNames, issue: Readonly<Record<string, unknown>>): TaskFieldValues {
  const values: TaskFieldValues = {};
  for (const { name } of ON_TASK) {
    const key = names[name];
    const value = key === undefined ? undefined : issue[key];
    if (typeof value === 'string' && value) values[name] = value;
  }
  return values;
}

/**
 * The fields a person gave, by the tracker's names; one given empty is null, which clears it. A date goes as its day:
 * both trackers keep a day, and Jira refuses a timestamp.
 */
export function trackerFieldInput(names: TrackerFieldNames, values: TaskFieldValues): Record<string, string | null> {
  const input: Record<string, string | null> = {};
  for (const { name, spec } of ON_TASK) {
    const key = names[name];
    const value = values[name];
    if (key !== undefined && value !== undefined)
      input[key] = (spec.kind === 'date' ? value.slice(0, 10) : value) || null;
  }
  return input;
}

/** A tracker's issue belongs to no branch: `tasks edit --to-branch` is refused in one line naming the tracker. */
export function refuseBranchMove(tracker: string, place: string, edit: TaskEdit): void {
  if (edit.branch === undefined) return;
  throw new TaskSourceError(
    'config',
    `${tracker} issues belong to no branch: ${tracker} cannot move one to ${edit.branch}`,
    {
      short: 'no branches',
      place,
      fix: 'name the branch after the issue instead (its key in the branch name makes it the branch’s issue)',
    },
  );
}
