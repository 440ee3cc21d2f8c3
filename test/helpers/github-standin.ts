// A loopback stand-in of GitHub's REST API for the issues taskhooks reads and writes, held to GitHub's OpenAPI
// description (./github-openapi.ts): a request that breaks it is answered 400 and recorded as a violation, and so is
// an answer of the stand-in's own that the description does not allow. Conditional requests, rate-limit headers and
// `Link` pagination behave as GitHub's do; faults (a status, headers, a body) can be set for the next requests.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { openApiJudge, type SpecName } from './github-openapi.js';
import { issueJson, labelJson, commentJson, userJson, type StandinIssue } from './github-json.js';

export type { StandinIssue } from './github-json.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  operation: string | undefined;
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
  status: number;
  /** Bytes of the answer's body. */
  bytes: number;
}

export interface Fault {
  /** Which requests it hits (all when absent). */
  path?: RegExp;
  /** How many requests it hits before it is spent (every one while set when absent). */
  times?: number;
  status: number;
  headers?: Record<string, string>;
  /** Sent as is: invalid JSON is a fault too. */
  body?: string;
}

export interface GitHubStandin {
  /** The API's base URL (with `/api/v3` for a GitHub Enterprise Server description). */
  url: string;
  /** Each token and the login it is. */
  tokens: Map<string, string>;
  repo(fullName: string): { issues: StandinIssue[]; comments: Array<{ number: number; body: string; login: string }> };
  requests: RecordedRequest[];
  /** What broke the description: requests sent and answers given. */
  violations: string[];
  fault(f: Fault): void;
  /** The core rate limit left, as the headers say; 304s leave it alone. */
  rate: { limit: number; remaining: number; reset: number };
  /** Bytes on the wire so far, headers included: what clients sent and what the stand-in answered. */
  wire(): { received: number; sent: number };
  close(): Promise<void>;
}

const json = (v: unknown): string => JSON.stringify(v);
const etagOf = (body: string): string => `W/"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`;

export async function startGitHubStandin(opts: { spec?: SpecName; tokens?: Record<string, string> } = {}) {
  const spec = opts.spec ?? 'api.github.com';
  const prefix = spec.startsWith('ghes') ? '/api/v3' : '';
  const judge = openApiJudge(spec);
  const repos = new Map<string, ReturnType<GitHubStandin['repo']>>();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const tokens = new Map(Object.entries(opts.tokens ?? { 'gh-token-dana': 'dana' }));
  const rate = { limit: 5000, remaining: 5000, reset: Math.floor(Date.now() / 1000) + 3600 };
  let nextId = 1000;

  const repoOf = (full: string): ReturnType<GitHubStandin['repo']> => {
    let r = repos.get(full);
    if (!r) {
      r = { issues: [], comments: [] };
      repos.set(full, r);
    }
    return r;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const base = `http://${req.headers.host}${prefix}`;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        body = text;
      }
      const record = (operation: string | undefined, status: number, bytes: number): void => {
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search,
          operation,
          authorization: req.headers.authorization,
          ifNoneMatch: req.headers['if-none-match'],
          status,
          bytes,
        });
      };
      const headers = (): Record<string, string> => ({
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': String(rate.limit),
        'x-ratelimit-remaining': String(rate.remaining),
        'x-ratelimit-reset': String(rate.reset),
        'x-ratelimit-used': String(rate.limit - rate.remaining),
        'x-ratelimit-resource': 'core',
      });
      const send = (
        operation: string | undefined,
        status: number,
        value: unknown,
        extra: Record<string, string> = {},
      ) => {
        const out = value === undefined ? '' : json(value);
        const all = { ...headers(), ...extra };
        if (operation && status < 400) {
          for (const p of judge.checkResponse(operation, status, all, value)) violations.push(`answer: ${p}`);
        }
        record(operation, status, Buffer.byteLength(out));
        res.writeHead(status, all);
        res.end(out);
      };
      if (!url.pathname.startsWith(`${prefix}/`)) return send(undefined, 404, { message: 'Not Found' });
      const path = url.pathname.slice(prefix.length);
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
      const login = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!login) return send(undefined, 401, { message: 'Bad credentials' });
      const op = checked.operation as string;
      /** `odd`: holds an item set to break the description on purpose, so the answer is not judged. */
      const conditional = (value: unknown, extra: Record<string, string> = {}, odd = false): void => {
        const etag = etagOf(json(value) + (extra.link ?? ''));
        if (req.headers['if-none-match'] === etag) {
          // HTTP's own conditional answer (RFC 9110 13.1.2), which GitHub gives on every GET though its description
          // lists 304 for only some: no body, and no rate limit spent.
          record(op, 304, 0);
          res.writeHead(304, { ...headers(), etag });
          res.end();
          return;
        }
        rate.remaining = Math.max(0, rate.remaining - 1);
        send(odd ? undefined : op, 200, value, { ...extra, etag });
      };
      if (req.method !== 'GET') rate.remaining = Math.max(0, rate.remaining - 1);
      const m = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+)(?:\/(assignees|labels|comments)(?:\/([^/]+))?)?)?$/.exec(
        path,
      );
      if (op === 'GET /user') return conditional(userJson(login, base, true));
      if (!m) return send(op, 404, { message: 'Not Found' });
      const full = `${m[1]}/${m[2]}`;
      if (!repos.has(full)) return send(op, 404, { message: 'Not Found' });
      const r = repoOf(full);
      const number = m[3] ? Number(m[3]) : undefined;
      const issue = number === undefined ? undefined : r.issues.find((i) => i.number === number);
      const asJson = (i: StandinIssue) => issueJson(i, full, base);
      const b = (body ?? {}) as Record<string, unknown>;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      if (op === 'GET /repos/{owner}/{repo}/issues') {
        const q = url.searchParams;
        const state = q.get('state') ?? 'open';
        const assignee = q.get('assignee');
        const labels = (q.get('labels') ?? '').split(',').filter((l) => l);
        const list = r.issues
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => !assignee || assignee === '*' || i.assignees.includes(assignee))
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .filter((i) => !q.get('milestone') || String(i.milestone ?? '') === q.get('milestone'))
          .sort((x, y) => y.number - x.number);
        const perPage = Number(q.get('per_page') ?? 30);
        const page = Number(q.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(list.length / perPage));
        const pageUrl = (n: number): string => {
          const u = new URL(`${base}${path}`);
          for (const [k, v] of q) u.searchParams.set(k, v);
          u.searchParams.set('page', String(n));
          return u.href;
        };
        const links = [
          ...(page < last ? [`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`] : []),
          ...(page > 1 ? [`<${pageUrl(page - 1)}>; rel="prev"`, `<${pageUrl(1)}>; rel="first"`] : []),
        ];
        const shown = list.slice((page - 1) * perPage, page * perPage);
        const items = shown.map((i) => i.raw ?? asJson(i));
        const odd = shown.some((i) => i.raw !== undefined);
        return conditional(items, links.length > 0 ? { link: links.join(', ') } : {}, odd);
      }
      if (op === 'POST /repos/{owner}/{repo}/issues') {
        const made: StandinIssue = {
          number: Math.max(0, ...r.issues.map((i) => i.number)) + 1,
          title: String(b.title),
          body: typeof b.body === 'string' ? b.body : null,
          state: 'open',
          labels: (b.labels as string[] | undefined) ?? [],
          assignees: (b.assignees as string[] | undefined) ?? [],
          id: nextId++,
          created_at: now,
          updated_at: now,
        };
        r.issues.push(made);
        return send(op, 201, asJson(made), { location: `${base}/repos/${full}/issues/${made.number}` });
      }
      if (!issue) return send(op, 404, { message: 'Not Found' });
      // Only a write changes an issue: a read leaves its ETag alone.
      if (req.method !== 'GET') issue.updated_at = now;
      switch (op) {
        case 'GET /repos/{owner}/{repo}/issues/{issue_number}':
          return conditional(asJson(issue));
        case 'PATCH /repos/{owner}/{repo}/issues/{issue_number}':
          if (b.state === 'closed' || b.state === 'open') issue.state = b.state;
          if (typeof b.state_reason === 'string') issue.state_reason = b.state_reason;
          if (typeof b.title === 'string') issue.title = b.title;
          return send(op, 200, asJson(issue));
        case 'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees':
          for (const a of (b.assignees as string[]) ?? []) if (!issue.assignees.includes(a)) issue.assignees.push(a);
          return send(op, 201, asJson(issue));
        case 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels':
          for (const l of (b.labels as string[]) ?? []) if (!issue.labels.includes(l)) issue.labels.push(l);
          return send(
            op,
            200,
            issue.labels.map((l) => labelJson(l, full, base)),
          );
        case 'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}': {
          const name = decodeURIComponent(m[5] ?? '');
          if (!issue.labels.includes(name)) return send(op, 404, { message: 'Label does not exist' });
          issue.labels = issue.labels.filter((l) => l !== name);
          return send(
            op,
            200,
            issue.labels.map((l) => labelJson(l, full, base)),
          );
        }
        case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments':
          // One page: a test's issue holds a few comments.
          return conditional(
            r.comments.flatMap((c, i) =>
              c.number === issue.number ? [commentJson(900_000 + i, c.body, c.login, full, c.number, base)] : [],
            ),
          );
        case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
          r.comments.push({ number: issue.number, body: String(b.body), login });
          const c = commentJson(900_000 + r.comments.length - 1, String(b.body), login, full, issue.number, base);
          return send(op, 201, c, { location: c.url });
        }
      }
      return send(op, 404, { message: 'Not Found' });
    });
  });
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
  const standin: GitHubStandin = {
    wire: () => {
      const open = [...sockets];
      return {
        received: open.reduce((n, s) => n + s.bytesRead, closed.received),
        sent: open.reduce((n, s) => n + s.bytesWritten, closed.sent),
      };
    },
    url: `http://127.0.0.1:${port}${prefix}`,
    tokens,
    repo: repoOf,
    requests,
    violations,
    rate,
    fault: (f) => faults.push(f),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standin;
}
