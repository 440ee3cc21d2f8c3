// The checks of `taskhooks tasks …` flags a person types (a priority, statuses, a new task) and the question a delete
// asks first: each refusal names what was given and what is allowed.
import {
  TASK_PRIORITIES,
  TASK_STATUSES,
  isTaskPriority,
  isTaskStatus,
  type TaskPriority,
  type TaskStatus,
} from '../../tasks/task.js';
import { fieldsOfFlags } from '../../tasks/fields.js';
import { checkNewTask, type NewTaskInput } from '../../tasks/new-task.js';
import { quoted, UsageError } from '../args.js';

export const checkPriority = (priority: string | undefined): TaskPriority | undefined => {
  if (priority !== undefined && !isTaskPriority(priority))
    throw new UsageError(`--priority ${quoted(priority)} is not one of ${TASK_PRIORITIES.join(', ')}`);
  return priority;
};

/** `tasks add`'s task: its title, flags and plain fields checked as every way of adding a task checks them. */
export function newTaskOfFlags(title: readonly string[], values: Readonly<Record<string, unknown>>): NewTaskInput {
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const { task, problem } = checkNewTask(
    {
      title: title.join(' '),
      description: text(values.description),
      priority: text(values.priority),
      labels: Array.isArray(values.label) ? values.label.filter((l) => typeof l === 'string') : undefined,
      onBranch: values['on-branch'] === true || values.branch !== undefined,
      ...fieldsOfFlags(values),
    },
    '--',
  );
  if (problem !== undefined) throw new UsageError(problem);
  return task;
}

/** --status a,b (or repeated): each one a status taskhooks knows. */
export function checkStatuses(given: string[] | undefined): TaskStatus[] | undefined {
  if (!given?.length) return undefined;
  const statuses = given
    .flatMap((g) => g.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of statuses)
    if (!isTaskStatus(s)) throw new UsageError(`--status ${quoted(s)} is not one of ${TASK_STATUSES.join(', ')}`);
  return statuses as TaskStatus[];
}

/** Asks on a terminal; refuses without one, so a script never deletes by accident. */
export async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new UsageError(
      'deleting asks first, and there is no terminal to ask on: pass --yes to delete without asking',
    );
  // Loaded for the question alone: node:readline and its streams cost every other `tasks` command 5 ms.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
