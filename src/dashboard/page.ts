// The dashboard as HTML, rendered on the server: the read-only parts need no JavaScript, and the page's script only
// swaps in a freshly rendered <main> when the monitor says something changed. Every value from a task, a server or a
// session goes through `esc` (html.ts), so task text is always text; the board is board.ts's.
import { agentLabel } from '../agents/hooks.js';
import { unmarked } from '../context/marker.js';
import { board, type BoardWork } from './board.js';
import { timings } from './chart.js';
import { esc, time } from './html.js';
import type { Task } from '../tasks/task.js';
import type { CacheView } from './state.js';
import { TOLD_KEPT_DAYS } from '../told/table.js';

type Told = CacheView['told'][number];

/** Whether the session's transcript shows the context arrived (its marker), when the injection carried one. */
function delivery(t: Told): string {
  const d = t.delivery;
  if (!d) return '';
  return `, <span class="delivery ${esc(d.state)}">${esc(d.state)}${d.retold ? ' (told again)' : ''}</span>`;
}

/** The session's agent, as " (Codex)". */
function agentOf(view: CacheView, sessionId: string): string {
  const label = agentLabel(view.agents.get(sessionId));
  return label ? ` (${esc(label)})` : '';
}

/**
 * The same words told by one event, whatever session heard them, newest first: ten sessions started in one project
 * are one line with its count, not ten lines that differ only in their session. The marker is each injection's own.
 */
function repeatsOf(told: readonly Told[]): Told[][] {
  const groups = new Map<string, Told[]>();
  for (const t of told) {
    const key = JSON.stringify([t.event, unmarked(t.text), t.delivery?.state ?? '', t.delivery?.retold ?? false]);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()];
}

const sessionOf = (view: CacheView, id: string): string =>
  `<code>${esc(id.slice(0, 8))}</code>${agentOf(view, id)}${view.live.has(id) ? '' : ' (ended)'}`;

function sessions(view: CacheView, now: number): string {
  if (view.told.length === 0)
    return `<p>No session was told anything in the last ${TOLD_KEPT_DAYS} days: what each is told shows here, and stays ${TOLD_KEPT_DAYS} days after it ends.</p>`;
  const line = (group: Told[]): string => {
    const [t, ...more] = group as [Told, ...Told[]];
    const who = more.length ? `${group.length} sessions` : sessionOf(view, t.sessionId);
    const each = more.length ? `<p>${group.map((g) => sessionOf(view, g.sessionId)).join(', ')}</p>` : '';
    return `<li><details><summary>${who} ${esc(t.event)}, ${more.length ? 'last ' : ''}${time(t.at, now)}${delivery(t)}</summary>
${each}<pre>${esc(t.text)}</pre></details></li>`;
  };
  return `<ul class="told">${repeatsOf(view.told).map(line).join('')}</ul>`;
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

export interface PageModel {
  view: CacheView;
  /** The project shown (its name), and every project to choose from. */
  project: string | undefined;
  tasks: Task[] | string;
  /** The shown tasks' last work records (the built-in store's), by task id. */
  work?: BoardWork;
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
<section aria-labelledby="h-board"${m.project ? ` data-project="${esc(m.project)}"` : ''}><h2 id="h-board">Tasks${m.project ? ` of ${esc(m.project)}` : ''}</h2>${m.project ? board(m.tasks, m.work, m.now) : ''}</section>
<section aria-labelledby="h-sessions"><h2 id="h-sessions">What sessions were told</h2>${sessions(m.view, m.now)}</section>
<section aria-labelledby="h-health"><h2 id="h-health">Projects and sources</h2>${health(m.view, m.now)}</section>
<section aria-labelledby="h-alerts"><h2 id="h-alerts">Alerts</h2>${alerts(m.view, m.now)}</section>
<section aria-labelledby="h-timings"><h2 id="h-timings">Task server timings</h2>${timings(m.view)}</section>`;
}

/**
 * The whole page: the shell, the session's CSRF token for the script, and the first <main>. The header names the
 * state directory and the build it shows.
 */
export function renderPage(m: PageModel, csrf: string, about: { home: string; build: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${esc(csrf)}"><meta name="color-scheme" content="light dark">
<title>taskhooks${m.project ? ` · ${esc(m.project)}` : ''}</title>
<link rel="stylesheet" href="/dashboard/style.css"><script type="module" src="/dashboard/app.js"></script></head>
<body><header><h1>taskhooks</h1><p id="about">${esc(about.home)} · taskhooks ${esc(about.build)}</p><p id="live" role="status" aria-live="polite">live</p></header>
<main id="main">${renderMain(m)}</main></body></html>`;
}
