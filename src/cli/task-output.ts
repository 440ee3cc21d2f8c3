// How `taskhooks tasks …` prints tasks: a table of them, one task field by field, and the fields a source dropped.
import { stripControls } from '../context/sanitize.js';
import { isOverdue } from '../tasks/due.js';
import { ON_TASK, unkeptFlags, type TaskFieldValues } from '../tasks/fields.js';
import { EVERY_BRANCH, OPEN_STATUSES, type Task } from '../tasks/task.js';
import { formatAge } from '../util/age.js';
import { paint, printNote, table, type Out } from './output.js';
import { viewOf, workLine } from '../context/work-lines.js';
import type { WorkRecord } from '../store/index.js';

// Everything a task says is the server's (or its author's) text: it reaches the terminal only through stripControls,
// so no escape sequence can recolour, retitle or rewrite the screen.
function row(out: Out, t: Task, cols: { due: boolean; branch: boolean }, now: number): string[] {
  const status =
    t.status === 'in_progress'
      ? paint(out, 'yellow', t.status)
      : t.status === 'blocked'
        ? paint(out, 'red', t.status)
        : stripControls(t.status);
  return [
    stripControls(t.id),
    status,
    stripControls(t.priority),
    ...(cols.due ? [dueCell(out, t, now)] : []),
    ...(cols.branch ? [whereCell(out, t)] : []),
    stripControls(t.title),
  ];
}

/** Where a task belongs: every branch of its project, or its one branch; empty where the source does not say. */
function whereCell(out: Out, t: Task): string {
  if (t.projectTask) return paint(out, 'dim', EVERY_BRANCH);
  return t.branch ? stripControls(t.branch) : '';
}

/** `tasks add`'s answer: the task's id, where it belongs (as `tasks list` shows it) and its title. */
export function addedLine(t: Task): string {
  const where = t.projectTask ? ` (${EVERY_BRANCH})` : t.branch ? ` (branch ${stripControls(t.branch)})` : '';
  return `Added ${stripControls(t.id)}${where}: ${stripControls(t.title)}\n`;
}

/** The day a task is due, "(overdue)" once it has passed for a task still open; empty when it names none. */
function dueCell(out: Out, t: Task, now: number): string {
  if (!t.dueDate) return '';
  const day = stripControls(t.dueDate).slice(0, 10);
  return OPEN_STATUSES.includes(t.status) && isOverdue(day, now) ? paint(out, 'red', `${day} (overdue)`) : day;
}

/**
 * The tasks as a table; the DUE column only when one of them is due some day, and BRANCH (where each belongs) only
 * where the source says, so the table stays narrow.
 */
export function printTasks(out: Out, tasks: Task[], none = 'No pending tasks.', now = Date.now()): void {
  if (tasks.length === 0) {
    out.stdout.write(`${none}\n`);
    return;
  }
  const cols = { due: tasks.some((t) => t.dueDate), branch: tasks.some((t) => t.projectTask || t.branch) };
  const header = [
    'ID',
    'STATUS',
    'PRIORITY',
    ...(cols.due ? ['DUE'] : []),
    ...(cols.branch ? ['BRANCH'] : []),
    'TITLE',
  ];
  out.stdout.write(
    table(
      out,
      header,
      tasks.map((t) => row(out, t, cols, now)),
    ),
  );
}

/** `tasks next`'s answer: what the task is to the person (started already, or the one to take), then the task. */
export function printNextTask(out: Out, t: Task, now = Date.now()): void {
  out.stdout.write(`${paint(out, 'bold', t.status === 'in_progress' ? 'Task in progress:' : 'Next task:')}\n`);
  printTask(out, t, now);
}

/** When a task was written, as the rest of the CLI says it ("3 s ago"); a time the source wrote oddly, as written. */
function when(at: string, now: number): string {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? stripControls(at) : `${formatAge(now - ms)} ago`;
}

export function printTask(out: Out, t: Task, now = Date.now()): void {
  const multiline = (text: string): string => stripControls(text, { multiline: true });
  const lines: Array<[string, string]> = [
    ['id', stripControls(t.id)],
    ['title', stripControls(t.title)],
    ['status', stripControls(t.status)],
    ['priority', stripControls(t.priority)],
  ];
  if (t.description) lines.push(['description', multiline(t.description)]);
  // A branch the source could not name is shown by its id, and said to be one.
  if (t.branch)
    lines.push([
      'branch',
      t.branch === t.branchId
        ? `${stripControls(t.branch)} ${paint(out, 'dim', '(branch id)')}`
        : stripControls(t.branch),
    ]);
  else if (t.projectTask) lines.push(['branch', paint(out, 'dim', EVERY_BRANCH)]);
  if (t.assignees.length) lines.push(['assignees', stripControls(t.assignees.join(', '))]);
  if (t.labels.length) lines.push(['labels', stripControls(t.labels.join(', '))]);
  if (t.dependencies.length) lines.push(['depends on', stripControls(t.dependencies.join(', '))]);
  for (const { name, spec } of ON_TASK) {
    const value = t[name];
    if (value) lines.push([spec.task.label, multiline(value)]);
  }
  if (t.details) lines.push(['notes', multiline(t.details)]);
  if (t.summary) lines.push(['summary', multiline(t.summary)]);
  if (t.createdAt) lines.push(['created', when(t.createdAt, now)]);
  if (t.updatedAt) lines.push(['updated', when(t.updatedAt, now)]);
  const width = Math.max(...lines.map(([k]) => k.length));
  // A multi-line value's later lines stay indented under it, so none of them can pass for another field.
  const value = (v: string): string => v.split('\n').join(`\n${' '.repeat(width + 2)}`);
  out.stdout.write(`${lines.map(([k, v]) => `${paint(out, 'dim', k.padEnd(width))}  ${value(v)}`).join('\n')}\n`);
}

/**
 * The sessions that worked on a task (its work records), newest first: what each did in the line a session is told,
 * then where and how long it ran.
 */
export function printWorkRecords(out: Out, records: readonly WorkRecord[], now = Date.now()): void {
  if (records.length === 0) return;
  out.stdout.write(`${paint(out, 'dim', 'sessions')}\n`);
  records.forEach((r, i) => {
    const lasted = Math.max(0, Date.parse(r.endedAt) - Date.parse(r.startedAt));
    const where = `session ${stripControls(r.sessionId)} on ${stripControls(r.machine) || 'an unknown machine'}, ${formatAge(lasted)} long`;
    out.stdout.write(`- ${workLine(viewOf(r), now, i === 0)}\n  ${paint(out, 'dim', where)}\n`);
  });
}

/**
 * Says on stderr which given fields the task source did not keep (a source with nowhere to keep a due date drops it):
 * better said now than found missing later.
 */
/** What `tasks edit` did: the task, then each field it was given as the task now holds it (a due date, say). */
export function editedLine(task: Task, given: TaskFieldValues): string {
  const set = ON_TASK.filter(({ name }) => given[name] !== undefined).map(
    ({ name, spec }) => `${spec.task.flag} ${task[name] ? stripControls(task[name]) : 'cleared'}`,
  );
  return `Edited ${stripControls(task.id)}: ${stripControls(task.title)} (${stripControls(task.priority)})${set.length > 0 ? `; ${set.join(', ')}` : ''}\n`;
}

export function warnUnkept(out: Out, given: TaskFieldValues, task: Task, source: string): void {
  for (const flag of unkeptFlags(given, task)) printNote(out, `the ${source} task source did not keep ${flag}`);
}
