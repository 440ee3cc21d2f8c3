// The dashboard's server side on a real loopback port, with a recording stand-in for the task source: who gets in, what
// a write must carry, how a bad request is answered (one line, nothing done), and that markup stays text.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProject } from '../../src/cache/registered-projects.js';
import { readInjection, recordTold, writeDelivery, writeInjection } from '../../src/told/table.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { createDashboardAuth } from '../../src/dashboard/auth.js';
import { esc } from '../../src/dashboard/html.js';
import { renderMain } from '../../src/dashboard/page.js';
import { createDashboard, type Dashboard } from '../../src/dashboard/routes.js';
import { readCacheView } from '../../src/dashboard/state.js';
import type { BoardAction, BoardTasks } from '../../src/dashboard/board-tasks.js';
import { silentLogger } from '../helpers/cache.js';
import { buildIdentity, describeBuild, packageVersion } from '../../src/util/package.js';
import { demoProject, runHook, seedSnapshot, sessionStartInput, task, tempHome } from '../helpers/hooks.js';

const TOKEN = 'dashboard-token-for-tests';
let home: ReturnType<typeof tempHome>;
let cache: Cache;
let dashboard: Dashboard;
let server: http.Server;
let base: string;
const done: Array<{ root: string | undefined; action: BoardAction }> = [];

const tasks: BoardTasks = {
  list: async () => [task('TASK-001', { title: '<img src=x onerror=alert(1)>' })],
  work: async () => new Map(),
  act: async (project, action) => {
    done.push({ root: project.root, action });
  },
};

beforeAll(async () => {
  home = tempHome();
  cache = openCache({ home: home.home });
  registerProject(cache, { root: '/src/shop', name: 'shop', sourceKey: 'embedded', registeredBy: 'test' });
  dashboard = createDashboard({ home: home.home, cache, log: silentLogger(), tasks, linkToken: TOKEN });
  server = http.createServer((req, res) => {
    if (!dashboard.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  dashboard.close();
  await new Promise((r) => server.close(r));
  cache.close();
  home.cleanup();
});

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const { path } = (await (
    await fetch(`${base}/dashboard/link`, { method: 'POST', headers: { 'x-taskhooks-dashboard-token': TOKEN } })
  ).json()) as { path: string };
  const login = await fetch(`${base}${path}`, { redirect: 'manual' });
  expect(login.status).toBe(303);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const page = await (await fetch(`${base}/dashboard/`, { headers: { cookie } })).text();
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] as string;
  return { cookie, csrf };
}

describe('dashboard access', () => {
  it('gives a link only to a caller holding the dashboard token, and each link opens one session', async () => {
    expect((await fetch(`${base}/dashboard/link`, { method: 'POST' })).status).toBe(401);
    const { path } = (await (
      await fetch(`${base}/dashboard/link`, { method: 'POST', headers: { 'x-taskhooks-dashboard-token': TOKEN } })
    ).json()) as { path: string };
    const first = await fetch(`${base}${path}`, { redirect: 'manual' });
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Path=\/dashboard/);
    expect((await fetch(`${base}${path}`, { redirect: 'manual' })).status).toBe(401);
  });

  it('answers nothing but 401 without the cookie, with a strict CSP on every answer', async () => {
    for (const route of [
      '/dashboard/',
      '/dashboard/main',
      '/dashboard/events',
      '/dashboard/style.css',
      '/dashboard/events-worker.js',
    ]) {
      const res = await fetch(`${base}${route}`);
      expect(res.status).toBe(401);
      // Scripts and the live channel's worker from this server only.
      expect(res.headers.get('content-security-policy')).toContain(
        "default-src 'none'; script-src 'self'; worker-src 'self';",
      );
      expect(await res.text()).not.toContain('TASK-001');
    }
  });

  it('an expired link opens nothing', () => {
    const auth = createDashboardAuth();
    const t = auth.issueLink(0);
    expect(auth.redeem(t, 6 * 60_000)).toBeUndefined();
  });
});

describe('dashboard page', () => {
  it('names in its header the state directory and the build it shows', async () => {
    const { cookie } = await signIn();
    const page = await (await fetch(`${base}/dashboard/`, { headers: { cookie } })).text();
    const header = /<header>(.*?)<\/header>/s.exec(page)?.[1] ?? '';
    expect(header).toContain(`<p id="about">${esc(home.home)} · taskhooks ${esc(describeBuild(buildIdentity()))}</p>`);
    expect(header).toContain(packageVersion());
  });
});

describe('dashboard writes', () => {
  it('need the CSRF token and the page’s own Origin; a good one reaches the task source', async () => {
    const { cookie, csrf } = await signIn();
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}/dashboard/tasks?project=shop`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const before = done.length;
    expect((await post({ action: 'add', title: 'x' }, { 'x-csrf-token': 'nope' })).status).toBe(403);
    expect((await post({ action: 'add', title: 'x' }, { origin: 'http://127.0.0.1:9' })).status).toBe(403);
    const empty = await post({ action: 'add', title: '   ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toContain('the title is empty');
    expect((await post({ action: 'move', id: 'TASK-001', status: 'finished' })).status).toBe(400);
    const notJson = await post('not json');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/^the body is not JSON: .*JSON/);
    const large = await post({ action: 'add', title: 'x'.repeat(65 * 1024) });
    expect([large.status, await large.json()]).toEqual([413, { error: 'the action is larger than 64 KiB' }]);
    expect((await post({ action: 'add', title: 'x' }, { 'content-type': 'text/plain' })).status).toBe(415);
    const unknown = await fetch(`${base}/dashboard/tasks?project=nowhere`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ action: 'add', title: 'x' }),
    });
    expect(unknown.status).toBe(404);
    expect(done.length).toBe(before);

    expect((await post({ action: 'move', id: 'TASK-001', status: 'done' }, { origin: base })).status).toBe(200);
    expect(done.at(-1)).toEqual({ root: '/src/shop', action: { action: 'move', id: 'TASK-001', status: 'done' } });
    // The plain fields of the declaration are part of an edit's shape: the due date reaches the task source.
    const edit = { action: 'edit', id: 'TASK-001', title: 'Ship', dueDate: '2026-12-01' };
    expect((await post(edit, { origin: base })).status).toBe(200);
    expect(done.at(-1)).toEqual({ root: '/src/shop', action: edit });
    // And of an add's, checked by the same schema.
    const add = { action: 'add', title: 'Ship', priority: 'high', dueDate: '2026-12-01' };
    expect((await post(add, { origin: base })).status).toBe(200);
    expect(done.at(-1)).toEqual({ root: '/src/shop', action: add });
    const count = done.length;
    const wrong = await post({ action: 'add', title: 'Ship', dueDate: 20261201 }, { origin: base });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toContain('dueDate');
    expect(done.length).toBe(count);
  });
});

describe('dashboard rendering', () => {
  it("shows a task's due date on its card and in its edit and the add form as the CLI writes it, YYYY-MM-DD", () => {
    const html = renderMain({
      view: readCacheView(cache),
      project: 'shop',
      tasks: [
        task('T-1', { dueDate: '2026-12-01' }),
        task('T-2'),
        task('T-3', { dueDate: '2026-12-02T23:00:00.000Z' }),
      ],
      now: Date.now(),
    });
    expect(html).toContain('<span>due 2026-12-01</span>');
    expect(html).toContain('<span>due 2026-12-02</span>');
    const inputs = [...html.matchAll(/<input name="dueDate"[^>]*>/g)].map((m) => m[0]);
    // The add form's and each card's edit form's: a text input the browser checks, never its locale's date picker.
    expect(inputs).toHaveLength(4);
    for (const input of inputs) {
      expect(input).toContain('type="text"');
      expect(input).toContain('placeholder="YYYY-MM-DD"');
      expect(input).toContain('title="Write the day as YYYY-MM-DD, as the CLI does: 2026-12-01"');
      const pattern = new RegExp(`^(?:${/pattern="([^"]+)"/.exec(input)?.[1]})$`, 'v');
      expect(['2026-12-01', '2026-02-29'].every((d) => pattern.test(d))).toBe(true);
      expect(['12/01/2026', '2026-13-01', '2026-1-1', '2026-12-01x'].some((d) => pattern.test(d))).toBe(false);
    }
    expect(inputs.map((i) => /value="([^"]*)"/.exec(i)?.[1])).toEqual(['', '2026-12-01', '', '2026-12-02']);
  });

  it('names each status as a person does and folds the empty ones, each card moved by one menu of the others', () => {
    const html = renderMain({
      view: readCacheView(cache),
      project: 'shop',
      tasks: [task('T-1'), task('T-2', { status: 'in_progress' }), task('T-3', { status: 'done' })],
      now: Date.now(),
    });
    const columns = [
      ...html.matchAll(/<section class="column( folded)?" data-status="(\w+)"[^>]*><h3[^>]*>([^<]+) </g),
    ];
    expect(columns.map((c) => [c[2], c[3], c[1] === ' folded'])).toEqual([
      ['todo', 'To do', false],
      ['in_progress', 'In progress', false],
      ['blocked', 'Blocked', true],
      ['review', 'In review', true],
      ['testing', 'Testing', true],
      ['done', 'Done', false],
      ['cancelled', 'Cancelled', true],
    ]);
    expect(html).not.toContain('<select name="status"');
    const menu = /<li class="card" data-id="T-2"[\s\S]*?<form class="move"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1];
    expect([...(menu ?? '').matchAll(/value="(\w+)">([^<]+)</g)].map((m) => `${m[1]}=${m[2]}`)).toEqual([
      'todo=To do',
      'blocked=Blocked',
      'review=In review',
      'testing=Testing',
      'done=Done',
      'cancelled=Cancelled',
    ]);
    // A done task is only reopened, as the store allows: its menu and its drag offer To do alone.
    expect(html).toMatch(/<li class="card" data-id="T-3" data-status="done" data-moves="todo" draggable="true">/);
    expect(/data-id="T-3"[\s\S]*?<form class="move"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1]).toBe(
      '<button type="submit" name="status" value="todo">To do</button>',
    );
  });

  it('shows task text as text', () => {
    const html = renderMain({
      view: readCacheView(cache),
      project: 'shop',
      tasks: [task('T-1', { title: '<script>alert(1)</script>' })],
      now: Date.now(),
    });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(esc('<script>alert(1)</script>'));
  });

  it('takes out bidi overrides, isolates, escape sequences, C0/C1 controls and zero-width characters', () => {
    const hostile = [
      'pay \u202Egnp.exe\u202C now', // RLO … PDF
      '\u202Dleft\u2066isolated\u2069\u2067rtl\u2068first\u2069', // LRO, LRI … PDI, RLI, FSI
      '\u001b[31mred\u001b[0m \u009b2J\u001b]0;title\u0007', // ESC CSI, C1 CSI, OSC
      'zero\u200Bwidth\u200C\u200D\uFEFFjoin\u2060ed',
      'bell\u0007 back\u0008 del\u007f c1\u0085',
    ];
    const html = renderMain({
      view: readCacheView(cache),
      project: 'shop',
      tasks: hostile.map((title, i) =>
        task(`T-${i}`, { title, description: `${title}\nsecond line`, assignees: [title] }),
      ),
      now: Date.now(),
    });
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/);
    expect(html).toContain('pay gnp.exe now');
    expect(html).toContain('leftisolatedrtlfirst');
    expect(html).toContain('<span class="title">red </span>');
    expect(html).toContain('zerowidthjoined');
    // Newlines of a description stay: the edit form shows its lines.
    expect(html).toContain('\nsecond line</textarea>');
  });
});

describe('what sessions were told', () => {
  it('shows for each injection whether it reached the session: delivered, or lost and told again', () => {
    const { home, cleanup } = tempHome();
    const own = openCache({ home });
    try {
      recordTold(own, {
        sessionId: 'sess-one',
        event: 'SessionStart',
        text: 'start [taskhooks#aaaaaa]',
        marker: '[taskhooks#aaaaaa]',
      });
      writeDelivery(own, 'sess-one', 'SessionStart', {
        marker: '[taskhooks#aaaaaa]',
        at: 1,
        state: 'lost',
        retold: true,
      });
      recordTold(own, {
        sessionId: 'sess-one',
        event: 'PostToolUse',
        text: 'news [taskhooks#bbbbbb]',
        marker: '[taskhooks#bbbbbb]',
      });
      writeDelivery(own, 'sess-one', 'PostToolUse', { marker: '[taskhooks#bbbbbb]', at: 2, state: 'delivered' });
      const html = renderMain({ view: readCacheView(own), project: 'shop', tasks: [], now: Date.now() });
      expect(html).toContain('SessionStart');
      expect(html).toContain('<span class="delivery lost">lost (told again)</span>');
      expect(html).toContain('<span class="delivery delivered">delivered</span>');
    } finally {
      own.close();
      cleanup();
    }
  });
});

describe('what sessions were told, the same words to many', () => {
  it('shows one line with the count and each session, not a line per session', () => {
    const { home, cleanup } = tempHome();
    const own = openCache({ home });
    try {
      for (let i = 0; i < 10; i++)
        recordTold(own, {
          sessionId: `s${i}-session-id`,
          event: 'SessionStart',
          text: `start [taskhooks#${String(i).padStart(6, 'a')}]`,
          marker: `[taskhooks#${String(i).padStart(6, 'a')}]`,
        });
      recordTold(own, { sessionId: 's0-session-id', event: 'PostToolUse', text: 'news' });
      const html = renderMain({ view: readCacheView(own), project: 'shop', tasks: [], now: Date.now() });
      expect(html.match(/<li><details>/g)).toHaveLength(2);
      expect(html).toMatch(/<summary>10 sessions SessionStart, last /);
      for (let i = 0; i < 10; i++) expect(html).toContain(`<code>s${i}-sessi</code>`);
      expect(html).toMatch(/<summary><code>s0-sessi<\/code>.* PostToolUse, /);
    } finally {
      own.close();
      cleanup();
    }
  });
});

describe('sessions that ended', () => {
  it('are still shown with what they were told, their agent and (ended); their working state goes', async () => {
    const project = demoProject({ name: 'shop' });
    try {
      const opts = { home: project.home, cwd: project.repo.dir };
      for (const id of ['ended-one', 'still-here'])
        expect((await runHook('session-start', sessionStartInput(project.repo.dir, id), opts)).code).toBe(0);
      const own = openCache({ home: project.home });
      try {
        writeInjection(own, 'ended-one', 'reminder', 'TASK-001');
        const end = {
          ...sessionStartInput(project.repo.dir, 'ended-one'),
          hook_event_name: 'SessionEnd',
          reason: 'exit',
        };
        expect((await runHook('session-end', end, opts)).code).toBe(0);
        expect(readInjection(own, 'ended-one', 'reminder')).toBeUndefined();
        const view = readCacheView(own);
        expect(view.told.map((t) => [t.sessionId, t.event]).sort()).toEqual([
          ['ended-one', 'SessionStart'],
          ['still-here', 'SessionStart'],
        ]);
        const html = renderMain({ view, project: 'shop', tasks: [], now: Date.now() });
        expect(html).toMatch(/<code>ended-on<\/code> \(Claude Code\) \(ended\) SessionStart/);
        expect(html).toMatch(/<code>still-he<\/code> \(Claude Code\) SessionStart/);
        expect(html).not.toContain('No session was told anything');
      } finally {
        own.close();
      }
    } finally {
      project.cleanup();
    }
  });

  it('says how long what sessions were told is kept when there is nothing to show', () => {
    const other = tempHome();
    const c = openCache({ home: other.home });
    try {
      expect(renderMain({ view: readCacheView(c), project: undefined, tasks: [], now: 0 })).toContain(
        '<p>No session was told anything in the last 7 days: what each is told shows here, and stays 7 days after it ends.</p>',
      );
    } finally {
      c.close();
      other.cleanup();
    }
  });
});

describe("the board's projects", () => {
  it('lists a project only a snapshot names (tasks added, never installed) after the followed ones', () => {
    const other = tempHome();
    try {
      const c = openCache({ home: other.home });
      try {
        const empty = renderMain({ view: readCacheView(c), project: undefined, tasks: [], now: Date.now() });
        expect(empty).toContain('No project yet');
        seedSnapshot(other.home, { sourceKey: 'embedded', project: 'mall', branch: 'main' });
        const view = readCacheView(c);
        expect(view.board).toEqual([{ name: 'mall', sourceKey: 'embedded', branch: 'main' }]);
        const html = renderMain({ view, project: 'mall', tasks: [task('T-1', { title: 'Open the mall' })], now: 0 });
        expect(html).not.toContain('No project');
        expect(html).toContain('<a href="?project=mall" aria-current="page">mall</a>');
        expect(html).toContain('Open the mall');
        registerProject(c, { root: '/src/shop', name: 'shop', sourceKey: 'embedded', registeredBy: 'test' });
        seedSnapshot(other.home, { sourceKey: 'embedded', project: 'shop', branch: 'main' });
        expect(readCacheView(c).board).toEqual([
          { name: 'shop', root: '/src/shop' },
          { name: 'mall', sourceKey: 'embedded', branch: 'main' },
        ]);
      } finally {
        c.close();
      }
    } finally {
      other.cleanup();
    }
  });
});
