// What a new task takes, one definition for every way one is added: `taskhooks tasks add`, the board's add form, the
// session's add_task and the tracker's add_task given one task. Each keeps the schema of its own words (flags, form
// inputs, tool arguments) and hands what it was given to `checkNewTask`, so the fields, their defaults and the words
// of a refusal are the same everywhere. Plain code, no zod: the CLI and the dashboard load it.
import { fieldProblem, ON_TASK, type TaskFieldValues } from './fields.js';
import { isTaskPriority, TASK_PRIORITIES, type TaskPriority } from './task.js';

/** A new task's priority when none is given; the store's add holds to it too. */
export const DEFAULT_PRIORITY: TaskPriority = 'medium';

/** A new task, checked: what a task source's `create` takes. The plain fields follow from their declaration. */
export interface NewTaskInput extends TaskFieldValues {
  title: string;
  /**
   * Only the scope's branch lists the task; else (the default) every branch of the project does, where the source can
   * say so (the built-in store; agenthub keeps every task on a branch).
   */
  onBranch?: boolean | undefined;
  description?: string | undefined;
  details?: string | undefined;
  priority?: TaskPriority | undefined;
  labels?: string[] | undefined;
}

/** A new task as it was given, before it is checked: the priority as typed, the labels as listed. */
export type NewTaskGiven = Omit<NewTaskInput, 'priority' | 'labels'> & {
  priority?: string | undefined;
  labels?: readonly string[] | undefined;
};

/**
 * `given` checked and trimmed, or what is wrong with it in one sentence. A field whose value is wrong is named by
 * `prefix` and its word (`--due` for the CLI, `due` for a tool), so every way of adding a task refuses in the same
 * words; a field given empty is left out.
 */
export function checkNewTask(
  given: NewTaskGiven,
  prefix: '--' | '',
): { task: NewTaskInput; problem?: undefined } | { task?: undefined; problem: string } {
  const title = given.title.trim();
  if (!title) return { problem: 'the title is empty' };
  const { priority } = given;
  if (priority !== undefined && !isTaskPriority(priority))
    return { problem: `${prefix}priority ${JSON.stringify(priority)} is not one of ${TASK_PRIORITIES.join(', ')}` };
  const labels = (given.labels ?? []).map((l) => l.trim());
  if (labels.includes('')) return { problem: `${prefix}label is empty: give each label some text` };
  const task: NewTaskInput = { title };
  for (const { name, spec } of ON_TASK) {
    const value = given[name];
    if (!value) continue;
    const problem = fieldProblem(spec.kind, value);
    if (problem) return { problem: `${prefix}${spec.task.flag} ${problem}` };
    task[name] = value;
  }
  if (given.description) task.description = given.description;
  if (given.details) task.details = given.details;
  if (priority) task.priority = priority;
  if (labels.length) task.labels = [...new Set(labels)];
  if (given.onBranch) task.onBranch = true;
  return { task };
}
