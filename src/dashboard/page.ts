// The dashboard as HTML, rendered on the server: the read-only parts need no JavaScript, and the page's script only
// swaps in a freshly rendered <main> when the monitor says something changed. Every value from a task, a server or a
// session goes through `esc`, so task text is always text.
import { stripControls } from '../context/sanitize.js';
import { agentLabel } from '../agents/hooks.js';
import { ON_TASK, type TaskFieldValues } from '../tasks/fields.js';
import type { Task } from '../tasks/task.js';
import { TASK_PRIORITIES, TASK_STATUSES } from '../tasks/task.js';
import type { CacheView } from './state.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/**
 * Text as HTML text: controls, escape sequences and what shows nothing (bidi overrides and isolates, zero-width
 * characters) are taken out first, so no task can reorder or hide what the page shows; newlines and tabs stay.
 */
export const esc = (v: unknown): string =>
  stripControls(String(v), { multiline: true }).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** "12 s ago", "3 min ago": how old a time is, for a person. */
function ago(at: number | undefined, now: number): string {
  if (!at) return 'never';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

const time = (at: number | undefined, now: number): string =>
  at ? `<time datetime="${esc(new Date(at).toISOString())}">${esc(ago(at, now))}</time>` : 'never';

const options = (values: readonly string[], selected: string): string =>
  values.map((v) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(v)}</option>`).join('');

/** The plain fields a person meets (src/tasks/fields.ts), each an input of the add and the edit form. */
const fieldInputs = (values: TaskFieldValues, indent: string): string =>
  ON_TASK.map(
    ({ name, spec }) =>
      `<label>${esc(spec.task.label.charAt(0).toUpperCase() + spec.task.label.slice(1))} <input name="${esc(name)}" type="${spec.kind === 'date' ? 'date' : 'text'}" value="${esc(values[name] ?? '')}" maxlength="10000"></label>`,
  ).join(`\n${indent}`);

function card(t: Task): string {
  const fields = ON_TASK.flatMap(({ name, spec }) => (t[name] ? [`${spec.task.label} ${t[name]}`] : []));
  const meta = [t.priority, ...fields, ...t.assignees.map((a) => `@${a}`), t.branch ? `⎇ ${t.branch}` : ''].filter(
    Boolean,
  );
  return `<li class="card" data-id="${esc(t.id)}">
  <div class="card-head"><span class="id">${esc(t.id)}</span> <span class="title">${esc(t.title)}</span></div>
  <div class="meta">${meta.map((m) => `<span>${esc(m)}</span>`).join(' ')}</div>
  <form class="move" data-action="move" data-id="${esc(t.id)}">
    <label>Status <select name="status">${options(TASK_STATUSES, t.status)}</select></label>
    <button type="submit">Move</button>
  </form>
  <details><summary>Edit</summary>
    <form class="edit" data-action="edit" data-id="${esc(t.id)}">
      <label>Title <input name="title" value="${esc(t.title)}" required maxlength="500"></label>
      <label>Priority <select name="priority">${options(TASK_PRIORITIES, t.priority)}</select></label>
      <label>Description <textarea name="description" rows="3">${esc(t.description ?? '')}</textarea></label>
      ${fieldInputs(t, '      ')}
      <button type="submit">Save</button>
    </form>
    <form class="delete" data-action="delete" data-id="${esc(t.id)}"><button type="submit" class="danger">Delete ${esc(t.id)}</button></form>
  </details>
</li>`;
}

function board(tasks: Task[] | string): string {
  if (typeof tasks === 'string') return `<p class="problem" role="alert">${esc(tasks)}</p>`;
  const columns = TASK_STATUSES.map((status) => {
    const here = tasks.filter((t) => t.status === status);
    return `<section class="column" aria-labelledby="col-${status}"><h3 id="col-${status}">${esc(status)} <span class="count">${here.length}</span></h3>
<ul>${here.map(card).join('')}</ul></section>`;
  });
  return `<form class="add" data-action="add">
  <label>New task <input name="title" required maxlength="500" placeholder="Title"></label>
  <label>Priority <select name="priority">${options(TASK_PRIORITIES, 'medium')}</select></label>
  ${fieldInputs({}, '  ')}
  <button type="submit">Add</button>
</form>
<div class="columns">${columns.join('')}</div>`;
}

/** Whether the session's transcript shows the context arrived (its marker), when the injection carried one. */
function delivery(t: CacheView['told'][number]): string {
  const d = t.delivery;
  if (!d) return '';
  return `, <span class="delivery ${esc(d.state)}">${esc(d.state)}${d.retold ? ' (told again)' : ''}</span>`;
}

/** The session's agent, as " (Codex)". */
function agentOf(view: CacheView, sessionId: string): string {
  const label = agentLabel(view.agents.get(sessionId));
  return label ? ` (${esc(label)})` : '';
}

function sessions(view: CacheView, now: number): string {
  if (view.told.length === 0) return '<p>No session has been told anything yet.</p>';
  return `<ul class="told">${view.told
    .map(
      (
        t,
      ) => `<li><details><summary><code>${esc(t.sessionId.slice(0, 8))}</code>${agentOf(view, t.sessionId)} ${esc(t.event)}, ${time(t.at, now)}${delivery(t)}</summary>
<pre>${esc(t.text)}</pre></details></li>`,
    )
    .join('')}</ul>`;
}

function health(view: CacheView, now: number): string {
  const rows = view.snapshots.map((s) => {
    const project = view.projects.find((p) => p.name === s.project && p.sourceKey === s.sourceKey);
    const state = s.lastError ? 'error' : s.staleSince ? 'stale' : 'fresh';
    return `<tr><td>${esc(s.project)}</td><td>${esc(s.branch || '(none)')}</td><td class="${state}">${esc(state)}</td><td>${time(s.fetchedAt, now)}</td>
<td>${esc(project?.lastOutcome ?? '')}</td><td>${s.lastError ? `${esc(s.lastError)} (${time(s.lastErrorAt, now)})` : ''}</td><td>${project ? esc(project.root) : ''}</td></tr>`;
  });
  const breakers = view.breakers.map(
    (
      b,
    ) => `<tr><td>${esc(b.server)}</td><td class="${b.state === 'closed' ? 'fresh' : 'error'}">${esc(b.state)}</td><td>${b.failures}</td>
<td>${b.lastError ? `${esc(b.lastError)} (${time(b.lastErrorAt, now)})` : ''}</td></tr>`,
  );
  return `<div class="scroll"><table><thead><tr><th>Project</th><th>Branch</th><th>Snapshot</th><th>Fetched</th><th>Last refresh</th><th>Last error</th><th>Folder</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="7">No snapshot yet.</td></tr>'}</tbody></table></div>
<h3>Task servers</h3>
<div class="scroll"><table><thead><tr><th>Server</th><th>Breaker</th><th>Failures</th><th>Last error</th></tr></thead>
<tbody>${breakers.join('') || '<tr><td colspan="4">No breaker recorded: one appears when a remote server fails.</td></tr>'}</tbody></table></div>`;
}

function alerts(view: CacheView, now: number): string {
  if (view.alerts.length === 0) return '<p>No alerts waiting.</p>';
  return `<ul>${view.alerts.map((a) => `<li>${esc(a.project)}: ${esc(a.message)} (${time(a.createdAt, now)})</li>`).join('')}</ul>`;
}

/** Mean and p95 of each task server's calls as horizontal bars: an SVG drawn here, no chart library. */
function timings(view: CacheView): string {
  if (view.metrics.length === 0) return '<p>No task server calls recorded yet.</p>';
  const max = Math.max(1, ...view.metrics.map((m) => m.p95Ms));
  const rowH = 34;
  const bars = view.metrics.map((m, i) => {
    const y = i * rowH;
    const w = (ms: number): number => Math.max(1, Math.round((ms / max) * 300));
    return `<text x="0" y="${y + 12}">${esc(m.server.slice(0, 60))}: ${m.calls} calls, ${m.failures} failed</text>
<rect class="mean" x="0" y="${y + 16}" width="${w(m.meanMs)}" height="6"><title>mean ${esc(Math.round(m.meanMs))} ms</title></rect>
<rect class="p95" x="0" y="${y + 24}" width="${w(m.p95Ms)}" height="6"><title>p95 ${esc(Math.round(m.p95Ms))} ms</title></rect>
<text x="${w(m.p95Ms) + 6}" y="${y + 30}">${esc(Math.round(m.meanMs))} / ${esc(Math.round(m.p95Ms))} ms</text>`;
  });
  return `<svg class="chart" role="img" aria-label="task server call times, mean and p95" width="420" height="${view.metrics.length * rowH}" viewBox="0 0 420 ${view.metrics.length * rowH}">${bars.join('')}</svg>`;
}

export interface PageModel {
  view: CacheView;
  /** The project shown (its name), and every project to choose from. */
  project: string | undefined;
  tasks: Task[] | string;
  now: number;
}

/** The <main> the script swaps in on every change. */
export function renderMain(m: PageModel): string {
  const picker = m.view.board.length
    ? `<nav aria-label="projects">${m.view.board
        .map(
          ({ name }) =>
            `<a href="?project=${encodeURIComponent(name)}"${name === m.project ? ' aria-current="page"' : ''}>${esc(name)}</a>`,
        )
        .join(' ')}</nav>`
    : '<p>No project yet: add a task with <code>taskhooks tasks add</code>, run <code>taskhooks install</code> in a project, or start a session there.</p>';
  return `${picker}
<section aria-labelledby="h-board"${m.project ? ` data-project="${esc(m.project)}"` : ''}><h2 id="h-board">Tasks${m.project ? ` of ${esc(m.project)}` : ''}</h2>${m.project ? board(m.tasks) : ''}</section>
<section aria-labelledby="h-sessions"><h2 id="h-sessions">What sessions were told</h2>${sessions(m.view, m.now)}</section>
<section aria-labelledby="h-health"><h2 id="h-health">Projects and sources</h2>${health(m.view, m.now)}</section>
<section aria-labelledby="h-alerts"><h2 id="h-alerts">Alerts</h2>${alerts(m.view, m.now)}</section>
<section aria-labelledby="h-timings"><h2 id="h-timings">Task server timings</h2>${timings(m.view)}</section>`;
}

/** The whole page: the shell, the session's CSRF token for the script, and the first <main>. */
export function renderPage(m: PageModel, csrf: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(csrf)}"><meta name="color-scheme" content="light dark">
<title>taskhooks${m.project ? ` · ${esc(m.project)}` : ''}</title>
<link rel="stylesheet" href="/dashboard/style.css"><script type="module" src="/dashboard/app.js"></script></head>
<body><header><h1>taskhooks</h1><p id="live" role="status" aria-live="polite">live</p></header>
<main id="main">${renderMain(m)}</main></body></html>`;
}
