// The dashboard's HTTP routes, mounted on the monitor's loopback server after its Host/Origin check. Every route but
// the one-time link needs the sign-in cookie; every write also needs the sign-in's CSRF token and, when the browser
// sends one, an Origin naming this very server. Changes reach open pages as server-sent events: the monitor watches
// the cache's news generation (bumped on every snapshot change) and tells each page to fetch its <main> again.
import { buildIdentity, describeBuild } from '../util/package.js';
import { timingSafeEqual } from 'node:crypto';
import { watch, type FSWatcher, readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { newsGenerationFile } from '../cache/news-generation.js';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { shownHome } from '../home/dir.js';
import { LINK_TOKEN_HEADER } from '../home/secrets.js';
import { readJsonBody } from '../util/http-server.js';
import { tooDeepReason } from '../util/json-depth.js';
import { packageRoot } from '../util/package.js';
import { createDashboardAuth, signInCookie, type DashboardAuth, type DashboardSignIn } from './auth.js';
import { renderMain, renderPage, type PageModel } from './page.js';
import { readCacheView } from './state.js';
import { BoardAction, type BoardTasks } from './board-tasks.js';
import { isDashboardPath, type Dashboard } from './mount.js';

const CSP =
  "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  // The one-time link carries its token in the URL: no page it links to may see it.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};
const MAX_BODY = 64 * 1024;
/** Writes come in bursts (a refresh writes several snapshots): one event after them. */
const SETTLE_MS = 50;
/** Keeps idle connections open through proxies and tells a page the monitor still lives; costs nothing between. */
const HEARTBEAT_MS = 30_000;
const ASSETS: Record<string, string> = {
  '/dashboard/app.js': 'text/javascript',
  '/dashboard/events-worker.js': 'text/javascript',
  '/dashboard/style.css': 'text/css',
};

export type { Dashboard };

export interface DashboardOptions {
  home: string;
  cache: Cache;
  log: Logger;
  tasks: BoardTasks;
  /**
   * The dashboard-token file's secret: only a process that reads the home's owner-only files may ask for a link (the
   * hook token, in every session's environment, is refused).
   */
  linkToken: string;
}

function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
const json = (res: http.ServerResponse, status: number, body: unknown): void =>
  send(res, status, 'application/json', JSON.stringify(body));

/** A browser's Origin must be this server itself: another local page (any other port) may not write. */
function originIsSelf(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host}`;
}

const sameToken = (a: string, b: string | string[] | undefined): boolean =>
  typeof b === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The pages' event stream: one file watch on the news generation, only while a page is open. */
function liveEvents(home: string, log: DashboardOptions['log']) {
  const clients = new Set<http.ServerResponse>();
  let watcher: FSWatcher | undefined;
  let settle: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const broadcast = (): void => {
    settle = undefined;
    for (const c of clients) c.write('event: change\ndata: {}\n\n');
  };
  const changed = (_event: string, file: string | Buffer | null): void => {
    if (String(file) !== path.basename(newsGenerationFile(home)) || settle) return;
    settle = setTimeout(broadcast, SETTLE_MS);
  };
  const stopFollowing = (): void => {
    watcher?.close();
    watcher = undefined;
    clearInterval(heartbeat);
    clearTimeout(settle);
    settle = undefined;
  };
  // The watch exists only while a page is open, so an idle monitor with no page pays nothing for the dashboard.
  const follow = (res: http.ServerResponse): void => {
    clients.add(res);
    if (!watcher) {
      watcher = watch(home, changed);
      watcher.on('error', (err) =>
        log.warn({ err }, 'dashboard: watching the cache for changes failed; open pages no longer update'),
      );
      heartbeat = setInterval(() => {
        for (const c of clients) c.write(': still here\n\n');
      }, HEARTBEAT_MS);
      heartbeat.unref();
    }
    res.on('close', () => {
      clients.delete(res);
      if (clients.size === 0) stopFollowing();
    });
  };
  return {
    follow,
    close(): void {
      for (const c of clients) c.end();
      clients.clear();
      stopFollowing();
    },
  };
}

/** A board action from the page: same origin, the sign-in's CSRF token, one JSON action, on a project of the board. */
async function boardWrite(
  opts: DashboardOptions,
  csrfMatches: DashboardAuth['csrfMatches'],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  signIn: DashboardSignIn,
  url: URL,
): Promise<void> {
  const { log } = opts;
  if (!originIsSelf(req)) return json(res, 403, { error: `Origin ${req.headers.origin} is not this dashboard` });
  if (!csrfMatches(signIn, req.headers['x-csrf-token']))
    return json(res, 403, { error: 'missing or wrong X-CSRF-Token: reload the page' });
  if (!String(req.headers['content-type']).startsWith('application/json'))
    return json(res, 415, { error: 'send the action as application/json' });
  const body = await readJsonBody(req, MAX_BODY);
  if (body.kind === 'gone') return;
  if (body.kind === 'too-large')
    return send(res, 413, 'application/json', JSON.stringify({ error: 'the action is larger than 64 KiB' }), {
      connection: 'close',
    });
  if (body.kind === 'too-deep') {
    log.warn({ maxDepth: body.maxDepth }, 'dashboard: a board action refused, nested too deep');
    return json(res, 400, { error: tooDeepReason(body.maxDepth) });
  }
  if (body.kind === 'not-json') return json(res, 400, { error: `the body is not JSON: ${body.reason}` });
  const parsed = BoardAction.safeParse(body.value);
  if (!parsed.success)
    return json(res, 400, {
      error: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; '),
    });
  const name = url.searchParams.get('project');
  const project = readCacheView(opts.cache).board.find((p) => p.name === name);
  if (!project) return json(res, 404, { error: `no project named ${JSON.stringify(name)} has tasks in the cache` });
  try {
    await opts.tasks.act(project, parsed.data);
    json(res, 200, { ok: true });
  } catch (err) {
    log.warn({ err, action: parsed.data.action }, 'dashboard: task action failed');
    json(res, 502, { error: (err as Error).message });
  }
}

/** The files of dist/dashboard/, each read once. */
function assetReader(): (route: string) => string {
  const assets = new Map<string, string>();
  return (route) => {
    let text = assets.get(route);
    if (text === undefined) {
      text = readFileSync(path.join(packageRoot(), 'dist', route), 'utf8');
      assets.set(route, text);
    }
    return text;
  };
}

/** What the page shows: the cache's view and the tasks of the project asked for, else the board's first. */
async function pageModel(opts: DashboardOptions, url: URL): Promise<PageModel> {
  const view = readCacheView(opts.cache);
  const wanted = url.searchParams.get('project');
  const project = view.board.find((p) => p.name === wanted) ?? view.board[0];
  let tasks: PageModel['tasks'] = [];
  let work: PageModel['work'];
  if (project) {
    tasks = await opts.tasks.list(project).catch((err: unknown) => {
      opts.log.warn({ err, project: project.name }, 'dashboard: listing tasks failed');
      return `The task source did not answer: ${(err as Error).message}. The rest of the page is from the cache.`;
    });
    const ids = typeof tasks === 'string' ? [] : tasks.map((t) => t.id);
    // The board shows without them when the store cannot be read: the tasks are what it is for.
    work = await opts.tasks.work(project, ids).catch((err: unknown) => {
      opts.log.warn({ err, project: project.name }, 'dashboard: reading work records failed');
      return undefined;
    });
  }
  return { view, project: project?.name, tasks, ...(work ? { work } : {}), now: Date.now() };
}

/**
 * The two routes open without a sign-in: a one-time link asked for with the dashboard token, and that link redeemed for
 * the sign-in's cookie. False: the request is for neither.
 */
function signIn(
  opts: DashboardOptions,
  auth: DashboardAuth,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): boolean {
  if (url.pathname === '/dashboard/link' && req.method === 'POST') {
    if (!sameToken(opts.linkToken, req.headers[LINK_TOKEN_HEADER]))
      json(res, 401, { error: `missing or wrong ${LINK_TOKEN_HEADER} (see ${shownHome(['dashboard-token'])})` });
    else json(res, 200, { path: `/dashboard/login?token=${auth.issueLink()}` });
    return true;
  }
  if (url.pathname !== '/dashboard/login' || req.method !== 'GET') return false;
  const signedIn = auth.redeem(url.searchParams.get('token') ?? '');
  if (!signedIn)
    send(
      res,
      401,
      'text/plain',
      'This link was used already or has expired: run `taskhooks dashboard` for a new one.\n',
    );
  else send(res, 303, 'text/plain', 'Signed in.\n', { 'set-cookie': signInCookie(signedIn), location: '/dashboard/' });
  return true;
}

export function createDashboard(opts: DashboardOptions): Dashboard {
  const { log } = opts;
  const auth = createDashboardAuth();
  const asset = assetReader();
  const events = liveEvents(opts.home, log);
  const model = (url: URL) => pageModel(opts, url);
  const about = { home: opts.home, build: describeBuild(buildIdentity()) };

  const route = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    if (signIn(opts, auth, req, res, url)) return;
    const signedIn = auth.signedIn(req.headers.cookie);
    if (!signedIn)
      return send(res, 401, 'text/plain', 'Not signed in: run `taskhooks dashboard` and open the link it prints.\n');
    const type = ASSETS[url.pathname];
    if (type && req.method === 'GET') return send(res, 200, type, asset(url.pathname));
    if (url.pathname === '/dashboard/' && req.method === 'GET')
      return send(res, 200, 'text/html', renderPage(await model(url), signedIn.csrf, about));
    if (url.pathname === '/dashboard/main' && req.method === 'GET')
      return send(res, 200, 'text/html', renderMain(await model(url)));
    if (url.pathname === '/dashboard/events' && req.method === 'GET') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
      res.write('retry: 2000\n\n');
      return events.follow(res);
    }
    if (url.pathname === '/dashboard/tasks' && req.method === 'POST')
      return boardWrite(opts, auth.csrfMatches, req, res, signedIn, url);
    return send(res, 404, 'text/plain', 'Not found.\n');
  };

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!isDashboardPath(url.pathname)) return false;
      if (url.pathname === '/dashboard') {
        send(res, 308, 'text/plain', '', { location: '/dashboard/' });
        return true;
      }
      route(req, res, url).catch((err: unknown) => {
        log.error({ err, path: url.pathname }, 'dashboard request failed');
        if (!res.headersSent) send(res, 500, 'text/plain', `The dashboard failed: ${(err as Error).message}\n`);
      });
      return true;
    },
    close() {
      events.close();
    },
  };
}
