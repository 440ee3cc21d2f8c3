// A loopback stand-in of GitLab's REST API v4 for the issues taskhooks reads and writes, held to GitLab's shapes as
// npm @gitbeaker/core models them (./gitlab-judge.ts): a request that breaks them is answered 400 and recorded as a
// violation, and so is an answer of the stand-in's own that they do not allow. Offset pagination (`X-Next-Page`,
// `Link`), `RateLimit-*` headers, `updated_after` and the token headers behave as GitLab's do; faults (a status,
// headers, a body) can be set for the next requests. GitLab ignores `If-None-Match`, and so does this.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gitlabJudge } from './gitlab-judge.js';

export interface StandinIssue {
  iid: number;
  title: string;
  description?: string | null;
  state: 'opened' | 'closed';
  labels: string[];
  /** Usernames. */
  assignees: string[];
  due_date?: string | null;
  milestone?: string;
  created_at?: string;
  updated_at?: string;
  /** Sent instead of the built JSON: an item GitLab words oddly. */
  raw?: unknown;
}

export interface StandinNote {
  iid: number;
  body: string;
  username: string;
  system?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  operation: string | undefined;
  privateToken: string | undefined;
  authorization: string | undefined;
  status: number;
  /** Bytes of the answer's body. */
  bytes: number;
}

export interface Fault {
  path?: RegExp;
  times?: number;
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface GitLabStandin {
  /** The API's base URL: `http://127.0.0.1:PORT/api/v4`. */
  url: string;
  /** Each token and the username it is; an OAuth token is sent as Bearer. */
  tokens: Map<string, string>;
  project(path: string): { issues: StandinIssue[]; notes: StandinNote[] };
  requests: RecordedRequest[];
  violations: string[];
  fault(f: Fault): void;
  rate: { limit: number; remaining: number; reset: number };
  /** `link`: pages named by the `Link` header only, as a list past GitLab's count limit may be. */
  paging: 'headers' | 'link';
  wire(): { received: number; sent: number };
  close(): Promise<void>;
}

const PREFIX = '/api/v4';
const json = (v: unknown): string => JSON.stringify(v);

/** A user id from a username: stable, so a test can name it. */
const userId = (username: string): number => [...username].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 1_000_000, 7);

/** When an issue made without a date was made, and last changed. */
const CREATED = '2026-11-01T10:00:00.000Z';
let clock = Date.parse(CREATED);
/** GitLab's timestamps, strictly later at each call: `updated_after` sees every write. */
const stamp = (): string => {
  clock = Math.max(clock + 1, Date.now());
  return new Date(clock).toISOString();
};

function userJson(username: string, base: string) {
  const web = base.replace(/\/api\/v4$/, '');
  return {
    id: userId(username),
    name: username,
    username,
    state: 'active',
    avatar_url: `${web}/uploads/${username}.png`,
    web_url: `${web}/${username}`,
  };
}

function fullUserJson(username: string, base: string) {
  const nulls = ['bio', 'location', 'public_email', 'skype', 'linkedin', 'twitter', 'discord', 'website_url'];
  return {
    ...userJson(username, base),
    created_at: '2026-01-01T00:00:00.000Z',
    locked: false,
    bot: false,
    ...Object.fromEntries(
      [...nulls, 'pronouns', 'organization', 'job_title', 'work_information'].map((k) => [k, null]),
    ),
    followers: 0,
    following: 0,
    local_time: null,
    is_followed: false,
    is_admin: false,
    last_sign_in_at: '2026-11-01T09:00:00.000Z',
    confirmed_at: '2026-01-01T00:00:00.000Z',
    last_activity_on: '2026-11-01',
    email: `${username}@example.invalid`,
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: 100,
    current_sign_in_at: null,
    note: null,
    identities: [],
    can_create_group: true,
    can_create_project: true,
    two_factor_enabled: false,
    external: false,
    private_profile: null,
    namespace_id: null,
    created_by: null,
  };
}

function issueJson(i: StandinIssue, project: { id: number; path: string }, base: string) {
  const web = `${base.replace(/\/api\/v4$/, '')}/${project.path}/-/issues/${i.iid}`;
  const self = `${base}/projects/${project.id}/issues/${i.iid}`;
  const made = i.created_at ?? CREATED;
  return {
    id: project.id * 100_000 + i.iid,
    iid: i.iid,
    project_id: project.id,
    title: i.title,
    description: i.description ?? null,
    state: i.state,
    created_at: made,
    updated_at: i.updated_at ?? made,
    closed_at: i.state === 'closed' ? (i.updated_at ?? made) : null,
    closed_by: null,
    labels: i.labels,
    milestone: i.milestone
      ? {
          id: 7,
          iid: 1,
          project_id: project.id,
          title: i.milestone,
          description: null,
          due_date: null,
          start_date: null,
          state: 'active',
          updated_at: made,
          created_at: made,
          expired: false,
          web_url: `${web}/milestones/1`,
        }
      : null,
    author: userJson('root', base),
    assignees: i.assignees.map((a) => userJson(a, base)),
    type: 'ISSUE',
    upvotes: 0,
    downvotes: 0,
    merge_requests_count: 0,
    user_notes_count: 0,
    due_date: i.due_date ?? null,
    web_url: web,
    references: { short: `#${i.iid}`, relative: `#${i.iid}`, full: `${project.path}#${i.iid}` },
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    has_tasks: false,
    task_status: '',
    confidential: false,
    discussion_locked: false,
    _links: {
      self,
      notes: `${self}/notes`,
      award_emoji: `${self}/award_emoji`,
      project: `${base}/projects/${project.id}`,
    },
    task_completion_status: { count: 0, completed_count: 0 },
    subscribed: true,
  };
}

function noteJson(n: StandinNote, id: number, project: number, base: string) {
  const at = '2026-11-01T10:00:00.000Z';
  return {
    id,
    body: n.body,
    attachment: null,
    author: userJson(n.username, base),
    created_at: at,
    updated_at: at,
    system: n.system ?? false,
    noteable_id: project * 100_000 + n.iid,
    noteable_type: 'Issue',
    noteable_iid: n.iid,
    project_id: project,
    resolvable: false,
  };
}

export async function startGitLabStandin(opts: { tokens?: Record<string, string> } = {}): Promise<GitLabStandin> {
  const judge = gitlabJudge();
  const projects = new Map<string, ReturnType<GitLabStandin['project']> & { id: number }>();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const tokens = new Map(Object.entries(opts.tokens ?? { 'glpat-dana-0123456789abcdef': 'dana' }));
  const rate = { limit: 2000, remaining: 2000, reset: Math.floor(Date.now() / 1000) + 60 };
  const project = (p: string) => {
    let found = projects.get(p);
    if (!found) {
      found = { id: 40 + projects.size, issues: [], notes: [] };
      projects.set(p, found);
    }
    return found;
  };
  const standin = { paging: 'headers' } as GitLabStandin;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const base = `http://${req.headers.host}${PREFIX}`;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        body = text;
      }
      const headers = (): Record<string, string> => ({
        'content-type': 'application/json',
        'ratelimit-limit': String(rate.limit),
        'ratelimit-remaining': String(rate.remaining),
        'ratelimit-reset': String(rate.reset),
        'ratelimit-observed': String(rate.limit - rate.remaining),
      });
      const record = (operation: string | undefined, status: number, bytes: number) =>
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search,
          operation,
          privateToken: req.headers['private-token'] as string | undefined,
          authorization: req.headers.authorization,
          status,
          bytes,
        });
      const send = (op: string | undefined, status: number, value: unknown, extra: Record<string, string> = {}) => {
        const out = value === undefined ? '' : json(value);
        if (op && status < 400) for (const p of judge.checkResponse(op, status, value)) violations.push(`answer: ${p}`);
        record(op, status, Buffer.byteLength(out));
        res.writeHead(status, { ...headers(), ...extra });
        res.end(out);
      };
      if (!url.pathname.startsWith(`${PREFIX}/`)) return send(undefined, 404, { message: '404 Not Found' });
      const path = url.pathname.slice(PREFIX.length);
      const fault = faults.find((f) => !f.path || f.path.test(path));
      if (fault) {
        if (fault.times !== undefined && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
        const out = fault.body ?? json({ message: `fault ${fault.status}` });
        record(undefined, fault.status, Buffer.byteLength(out));
        res.writeHead(fault.status, { ...headers(), ...fault.headers });
        res.end(out);
        return;
      }
      const checked = judge.checkRequest({
        method: req.method ?? 'GET',
        path,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
      if (checked.problems.length > 0) {
        violations.push(...checked.problems.map((p) => `request: ${p}`));
        return send(undefined, 400, { message: checked.problems.join('; ') });
      }
      const credential =
        (req.headers['private-token'] as string | undefined) ?? req.headers.authorization?.replace(/^Bearer /, '');
      const username = tokens.get(credential ?? '');
      if (!username) return send(undefined, 401, { message: '401 Unauthorized' });
      rate.remaining = Math.max(0, rate.remaining - 1);
      handle(
        checked.operation as string,
        path,
        url.searchParams,
        (body ?? {}) as Record<string, unknown>,
        username,
        base,
        send,
      );
    });
  });

  type Send = (op: string | undefined, status: number, value: unknown, extra?: Record<string, string>) => void;
  function list(op: string, items: unknown[], q: URLSearchParams, path: string, base: string, send: Send): void {
    const perPage = Number(q.get('per_page') ?? 20);
    const page = Number(q.get('page') ?? 1);
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    const pageUrl = (n: number) => {
      const u = new URL(`${base}${path}`);
      for (const [k, v] of q) u.searchParams.set(k, v);
      u.searchParams.set('page', String(n));
      return u.href;
    };
    const links = [
      ...(page < pages ? [`<${pageUrl(page + 1)}>; rel="next"`] : []),
      ...(page > 1 ? [`<${pageUrl(page - 1)}>; rel="prev"`] : []),
      `<${pageUrl(1)}>; rel="first"`,
      `<${pageUrl(pages)}>; rel="last"`,
    ];
    const numbers: Record<string, string> =
      standin.paging === 'headers'
        ? {
            'x-page': String(page),
            'x-per-page': String(perPage),
            'x-next-page': page < pages ? String(page + 1) : '',
            'x-prev-page': page > 1 ? String(page - 1) : '',
            'x-total': String(items.length),
            'x-total-pages': String(pages),
          }
        : {};
    const shown = items.slice((page - 1) * perPage, page * perPage);
    const odd = shown.some((i) => (i as { odd?: boolean }).odd);
    send(
      odd ? undefined : op,
      200,
      shown.map((i) => (i as { odd?: boolean; json: unknown }).json),
      { link: links.join(', '), ...numbers },
    );
  }

  function handle(
    op: string,
    path: string,
    q: URLSearchParams,
    b: Record<string, unknown>,
    username: string,
    base: string,
    send: Send,
  ): void {
    if (op === 'GET /user') return send(op, 200, fullUserJson(username, base));
    const m = /^\/projects\/([^/]+)\/issues(?:\/(\d+)(?:\/notes)?)?$/.exec(path);
    const name = decodeURIComponent(m?.[1] ?? '');
    const p = [...projects.entries()].find(([k, v]) => k === name || String(v.id) === name);
    if (!m || !p) return send(op, 404, { message: '404 Project Not Found' });
    const [full, proj] = p;
    const where = { id: proj.id, path: full };
    const asJson = (i: StandinIssue) => issueJson(i, where, base);
    if (op === 'GET /projects/{id}/issues') {
      const after = q.get('updated_after');
      const state = q.get('state') ?? 'all';
      const wanted = (q.get('labels') ?? '').split(',').filter((l) => l);
      const found = proj.issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => !q.get('assignee_username') || i.assignees.includes(q.get('assignee_username') as string))
        .filter((i) => wanted.every((l) => i.labels.includes(l)))
        .filter((i) => !q.get('milestone') || i.milestone === q.get('milestone'))
        .filter((i) => !after || Date.parse(i.updated_at ?? i.created_at ?? CREATED) >= Date.parse(after))
        .sort((x, y) =>
          q.get('order_by') === 'updated_at'
            ? (q.get('sort') === 'asc' ? 1 : -1) * ((x.updated_at ?? CREATED) < (y.updated_at ?? CREATED) ? -1 : 1)
            : y.iid - x.iid,
        );
      return list(
        op,
        found.map((i) => (i.raw ? { odd: true, json: i.raw } : { json: asJson(i) })),
        q,
        path,
        base,
        send,
      );
    }
    const now = stamp();
    if (op === 'POST /projects/{id}/issues') {
      const ids = (b.assignee_ids as number[] | undefined) ?? [];
      const made: StandinIssue = {
        iid: Math.max(0, ...proj.issues.map((i) => i.iid)) + 1,
        title: String(b.title),
        description: typeof b.description === 'string' ? b.description : null,
        state: 'opened',
        labels: typeof b.labels === 'string' ? b.labels.split(',') : [],
        assignees: [...new Set(tokens.values())].filter((u) => ids.includes(userId(u))),
        due_date: typeof b.due_date === 'string' ? b.due_date : null,
        created_at: now,
        updated_at: now,
      };
      proj.issues.push(made);
      return send(op, 201, asJson(made));
    }
    const issue = proj.issues.find((i) => i.iid === Number(m[2]));
    if (!issue) return send(op, 404, { message: '404 Not found' });
    switch (op) {
      case 'GET /projects/{id}/issues/{issue_iid}':
        return send(op, 200, asJson(issue));
      case 'PUT /projects/{id}/issues/{issue_iid}': {
        const split = (v: unknown) => (typeof v === 'string' ? v.split(',') : []);
        issue.labels = [...issue.labels.filter((l) => !split(b.remove_labels).includes(l)), ...split(b.add_labels)];
        issue.labels = [...new Set(issue.labels)];
        if (Array.isArray(b.assignee_ids))
          issue.assignees = (b.assignee_ids as number[]).flatMap((id) =>
            [...new Set([...tokens.values(), 'sam'])].filter((u) => userId(u) === id),
          );
        if (b.state_event === 'close') issue.state = 'closed';
        if (b.state_event === 'reopen') issue.state = 'opened';
        if (typeof b.title === 'string') issue.title = b.title;
        issue.updated_at = now;
        return send(op, 200, asJson(issue));
      }
      case 'GET /projects/{id}/issues/{issue_iid}/notes': {
        const notes = proj.notes.flatMap((n, k) =>
          n.iid === issue.iid ? [{ json: noteJson(n, 500 + k, proj.id, base) }] : [],
        );
        return list(op, notes, q, path, base, send);
      }
      case 'POST /projects/{id}/issues/{issue_iid}/notes': {
        proj.notes.push({ iid: issue.iid, body: String(b.body), username });
        issue.updated_at = now;
        return send(op, 201, noteJson(proj.notes.at(-1) as StandinNote, 500 + proj.notes.length - 1, proj.id, base));
      }
    }
    return send(op, 404, { message: '404 Not Found' });
  }

  const sockets = new Set<Socket>();
  const closed = { received: 0, sent: 0 };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      closed.received += socket.bytesRead;
      closed.sent += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(standin, {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    tokens,
    project: (p: string) => project(p),
    requests,
    violations,
    rate,
    fault: (f: Fault) => faults.push(f),
    wire: () => {
      const open = [...sockets];
      return {
        received: open.reduce((n, s) => n + s.bytesRead, closed.received),
        sent: open.reduce((n, s) => n + s.bytesWritten, closed.sent),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
