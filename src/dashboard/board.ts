// The board: a column per status in people's words, an empty one folded to a narrow labelled strip that still takes a
// dropped card, and on each card one menu that moves it in one click (the keyboard's way to do what a drag does).
// Dates are shown and entered as the CLI writes them, YYYY-MM-DD, in a text input the browser checks.
import { workLine, type WorkView } from '../context/work-lines.js';
import { ON_TASK, type TaskFieldValues } from '../tasks/fields.js';
import type { Task, TaskStatus } from '../tasks/task.js';
import { transitionRefusal } from '../tasks/rules.js';
import { DEFAULT_PRIORITY } from '../tasks/new-task.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../tasks/task.js';
import { esc, options } from './html.js';

/** Each status as a person says it. */
export const STATUS_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  in_progress: 'In progress',
  blocked: 'Blocked',
  review: 'In review',
  testing: 'Testing',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** A calendar day as `tasks add --due` takes it; the browser refuses anything else before the form is sent. */
const DAY_PATTERN = '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const DAY_HINT = 'Write the day as YYYY-MM-DD, as the CLI does: 2026-12-01';

/** A stored day as the CLI writes it: a timestamp (some task servers send one) shows as its day. */
const day = (v: string): string => (/^\d{4}-\d{2}-\d{2}T/.test(v) ? v.slice(0, 10) : v);

/** The plain fields a person meets (src/tasks/fields.ts), each an input of the add and the edit form. */
const fieldInputs = (values: TaskFieldValues, indent: string): string =>
  ON_TASK.map(({ name, spec }) => {
    const label = spec.task.label.charAt(0).toUpperCase() + spec.task.label.slice(1);
    const value = values[name] ?? '';
    const input =
      spec.kind === 'date'
        ? `<input name="${esc(name)}" type="text" inputmode="numeric" pattern="${DAY_PATTERN}" placeholder="YYYY-MM-DD" title="${DAY_HINT}" maxlength="10" autocomplete="off" value="${esc(day(value))}">`
        : `<input name="${esc(name)}" type="text" maxlength="10000" value="${esc(value)}">`;
    return `<label>${esc(label)} ${input}</label>`;
  }).join(`\n${indent}`);

/** The statuses a task may go to from its own, as the store allows: a closed one is only reopened. */
const movesOf = (t: Task): TaskStatus[] =>
  TASK_STATUSES.filter((s) => s !== t.status && transitionRefusal(t, s) === undefined);

/** One button per status the card may go to: a click moves it there. */
const moveMenu = (t: Task): string => `<details class="move"><summary>Move</summary>
    <form class="move" data-action="move" data-id="${esc(t.id)}" aria-label="Move ${esc(t.id)} to">${movesOf(t)
      .map((s) => `<button type="submit" name="status" value="${s}">${esc(STATUS_LABELS[s])}</button>`)
      .join('')}</form>
  </details>`;

/** What the last sessions on a task did (its work records), newest first, folded under the card. */
export type BoardWork = ReadonlyMap<string, readonly WorkView[]>;

function sessionsOf(work: readonly WorkView[] | undefined, now: number): string {
  if (!work?.length) return '';
  return `
  <details class="work"><summary>Sessions <span class="count">${work.length}</span></summary>
    <ul>${work.map((r, i) => `<li>${esc(workLine(r, now, i === 0))}</li>`).join('')}</ul>
  </details>`;
}

function card(t: Task, work: BoardWork, now: number): string {
  const fields = ON_TASK.flatMap(({ name, spec }) => {
    const value = t[name];
    return value ? [`${spec.task.label} ${spec.kind === 'date' ? day(value) : value}`] : [];
  });
  const meta = [t.priority, ...fields, ...t.assignees.map((a) => `@${a}`), t.branch ? `⎇ ${t.branch}` : ''].filter(
    Boolean,
  );
  return `<li class="card" data-id="${esc(t.id)}" data-status="${t.status}" data-moves="${movesOf(t).join(' ')}" draggable="true">
  <div class="card-head"><span class="id">${esc(t.id)}</span> <span class="title">${esc(t.title)}</span></div>
  <div class="meta">${meta.map((m) => `<span>${esc(m)}</span>`).join(' ')}</div>${sessionsOf(work.get(t.id), now)}
  <div class="actions">${moveMenu(t)}
  <details class="edit"><summary>Edit</summary>
    <form class="edit" data-action="edit" data-id="${esc(t.id)}">
      <label>Title <input name="title" value="${esc(t.title)}" required maxlength="500"></label>
      <label>Priority <select name="priority">${options(TASK_PRIORITIES, t.priority)}</select></label>
      <label>Description <textarea name="description" rows="3">${esc(t.description ?? '')}</textarea></label>
      ${fieldInputs(t, '      ')}
      <button type="submit">Save</button>
    </form>
    <form class="delete" data-action="delete" data-id="${esc(t.id)}"><button type="submit" class="danger">Delete ${esc(t.id)}</button></form>
  </details></div>
</li>`;
}

/** A status's column; an empty one is folded to a strip that shows its name and still takes a dropped card. */
function column(status: TaskStatus, here: Task[], work: BoardWork, now: number): string {
  const folded = here.length === 0;
  return `<section class="column${folded ? ' folded' : ''}" data-status="${status}" aria-labelledby="col-${status}"><h3 id="col-${status}">${esc(STATUS_LABELS[status])} <span class="count">${here.length}</span></h3>
<ul>${here.map((t) => card(t, work, now)).join('')}</ul></section>`;
}

export function board(tasks: Task[] | string, work: BoardWork = new Map(), now = Date.now()): string {
  if (typeof tasks === 'string') return `<p class="problem" role="alert">${esc(tasks)}</p>`;
  const columns = TASK_STATUSES.map((status) =>
    column(
      status,
      tasks.filter((t) => t.status === status),
      work,
      now,
    ),
  );
  return `<form class="add" data-action="add">
  <label>New task <input name="title" required maxlength="500" placeholder="Title"></label>
  <label>Priority <select name="priority">${options(TASK_PRIORITIES, DEFAULT_PRIORITY)}</select></label>
  ${fieldInputs({}, '  ')}
  <label>Labels <input name="labels" type="text" maxlength="10000" placeholder="auth, ui" autocomplete="off"></label>
  <button type="submit">Add</button>
</form>
${tasks.length ? '' : '<p>No task yet: add one above, or with <code>taskhooks tasks add</code>.</p>'}<div class="columns">${columns.join('')}</div>
<p class="hint">Drag a card to another column, or use its <b>Move</b> menu.</p>`;
}
