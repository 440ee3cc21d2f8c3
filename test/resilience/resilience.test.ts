// The network stack against a fault server on 127.0.0.1: retries and backoff, Retry-After, breakers shared
// through the store (also with a second process), half-open recovery, failover, deadlines, size caps, 401s.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBreaker } from '../../src/cache/breakers.js';
import { metricsOf } from '../helpers/cache.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { ConfigSchema, type Config } from '../../src/config/schema.js';
import { createFileLogger, type FileLogger } from '../../src/log/index.js';
import { openToolSession } from '../../src/resilience/tool-session.js';
import { isSourceBreakerOpen } from '../../src/resilience/index.js';
import { guardedServers } from '../../src/sources/plan.js';
import { openSource } from '../../src/sources/open.js';
import { deadlineIn } from '../../src/util/deadline.js';
import type { AuthProvider } from '../../src/auth/provider.js';
import { taskSourceFailure } from '../helpers/errors.js';
import { refusedUrl, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { sourceOf } from '../helpers/settings.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'fault-token-0123456789abcdef';
const scope = { projectRoot: '/tmp/demo', project: 'demo', branch: 'main' };
const fast = { breakerThreshold: 2, breakerCooldownMs: 400 };

let home: string;
let cache: Cache;
let logger: FileLogger;
let servers: FaultServer[] = [];

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-client-'));
  cache = openCache({ home });
  logger = createFileLogger({ home, file: 'cli.log', sync: true, level: 'debug' });
});

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  cache.close();
  rmSync(home, { recursive: true, force: true });
});

async function fault(opts = {}): Promise<FaultServer> {
  const s = await startFaultServer({ token: TOKEN, ...opts });
  servers.push(s);
  return s;
}

function config(urls: string[], extra: Record<string, unknown> = {}): Config {
  return ConfigSchema.parse({ source: { servers: urls, timeoutMs: 5000, ...extra }, auth: { token: TOKEN } });
}

const source = (urls: string[], policy = {}) =>
  openSource({ source: sourceOf(config(urls)), home, cache, log: logger.logger, projectRoot: home, policy });

const calls = (s: FaultServer, method = 'tools/call') => s.requests.filter((r) => r.method === method);

describe('retries', () => {
  it('retries a 500 with backoff 100/200/400 ms and then succeeds', async () => {
    const s = await fault();
    const src = source([s.url]);
    await src.pending(scope); // connected and ids cached
    const before = s.requests.length;
    const toolCalls = calls(s).length;
    s.queue({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'status', status: 502 });
    const result = await src.next(scope);
    expect(result?.id).toBe('t1');
    // The call failed three times (the retries reconnect, so the later failures hit initialize), then succeeded.
    expect(calls(s).length - toolCalls).toBe(2);
    const at = (i: number): number => (s.requests[before + i] as { at: number }).at;
    expect(at(1) - at(0)).toBeGreaterThanOrEqual(100);
    expect(at(2) - at(1)).toBeGreaterThanOrEqual(200);
    expect(at(3) - at(2)).toBeGreaterThanOrEqual(400);
    await src.close();
  });

  it('retries a connection reset once and then succeeds', async () => {
    const s = await fault();
    const src = source([s.url]);
    await src.pending(scope);
    const before = metricsOf(cache, s.url);
    s.queue({ kind: 'reset' });
    expect((await src.next(scope))?.id).toBe('t1');
    expect(metricsOf(cache, s.url)).toMatchObject({
      calls: (before?.calls ?? 0) + 2,
      failures: (before?.failures ?? 0) + 1,
    });
    await src.close();
  });

  it('honours Retry-After on a 429', async () => {
    const s = await fault();
    const src = source([s.url]);
    await src.pending(scope);
    s.queue({ kind: 'status', status: 429, retryAfter: '1' });
    const start = s.requests.length;
    await src.next(scope);
    const failedAt = (s.requests[start] as { at: number }).at;
    const retriedAt = (s.requests[start + 1] as { at: number }).at;
    expect(retriedAt - failedAt).toBeGreaterThanOrEqual(1000);
    await src.close();
  });

  it('gives up after 3 retries on refused connections, with the URL in the message', async () => {
    const url = await refusedUrl();
    const src = source([url]);
    const err = await taskSourceFailure(src.pending(scope));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toBe(`Task source unavailable: connection refused at ${url}`);
    expect(metricsOf(cache, url)).toMatchObject({ calls: 4, failures: 4 });
    await src.close();
  });

  it('never retries another 4xx', async () => {
    const s = await fault();
    const src = source([s.url]);
    await src.pending(scope);
    const before = s.requests.length;
    s.queue({ kind: 'status', status: 403 });
    const err = await taskSourceFailure(src.next(scope));
    expect(err.status).toBe(403);
    expect(s.requests.length - before).toBe(1);
    await src.close();
  });

  it('reports malformed JSON-RPC and a 10 MB answer as protocol errors, not as empty lists', async () => {
    const s = await fault();
    const src = source([s.url]);
    await src.pending(scope);
    s.queue({ kind: 'malformed' });
    const bad = await taskSourceFailure(src.next(scope));
    expect(bad.kind).toBe('protocol');
    s.queue({ kind: 'huge' });
    const big = await taskSourceFailure(src.next(scope));
    expect(big.kind).toBe('protocol');
    expect(big.message).toMatch(/too large/);
    await src.close();
  });
});

describe('transport', () => {
  it('falls back to legacy SSE on a 404 but not on a 500', async () => {
    const s = await fault();
    s.queue({ kind: 'status', status: 404 });
    await taskSourceFailure(source([s.url], { retries: 0 }).pending(scope));
    expect(s.requests.map((r) => r.method).slice(0, 2)).toEqual(['initialize', 'HTTP GET']); // the SSE handshake
    const t = await fault();
    t.queue({ kind: 'status', status: 500 });
    await taskSourceFailure(source([t.url], { retries: 0 }).pending(scope));
    expect(t.requests.map((r) => r.method)).toEqual(['initialize']);
  });
});

describe('deadlines', () => {
  it('a black-holed server costs no more than the deadline', async () => {
    const s = await fault();
    s.always({ kind: 'blackhole' });
    const src = source([s.url]);
    const err = await taskSourceFailure(src.pending(scope, { deadline: deadlineIn(300) }));
    expect(err.kind).toBe('timeout');
    // The call's deadline ended it, not the source's own timeout (5000 ms) nor a retry after it.
    expect(err.message).toBe(`Task source unavailable: timed out after 300 ms at ${s.url}`);
    await src.close();
  });
});

describe('circuit breaker', () => {
  /** A fault server answering 503 until its breaker (threshold 2) is open. */
  async function openBreaker(): Promise<{ s: FaultServer; src: ReturnType<typeof source> }> {
    const s = await fault();
    s.always({ kind: 'status', status: 503 });
    const src = source([s.url], { ...fast, retries: 0 });
    await taskSourceFailure(src.pending(scope));
    await taskSourceFailure(src.pending(scope));
    expect(readBreaker(cache, s.url).state).toBe('open');
    return { s, src };
  }

  it('opens after consecutive failures, is honoured by a second process, and recovers half-open', async () => {
    const url = await refusedUrl();
    const src = source([url], { ...fast, retries: 0 });
    await taskSourceFailure(src.pending(scope));
    await taskSourceFailure(src.pending(scope));
    expect(readBreaker(cache, url).state).toBe('open');
    const err = await taskSourceFailure(src.pending(scope));
    expect(err.kind).toBe('breaker_open');
    expect(err.message).toContain('connection refused');
    expect(metricsOf(cache, url)?.calls).toBe(2); // the third call never reached the network
    expect(isSourceBreakerOpen(cache, guardedServers(sourceOf(config([url])).plan))).toMatchObject({ open: true });

    // Another process sharing the store fails at once, without a connection attempt.
    const child = await run(process.execPath, [path.join(root, 'dist/cli.js'), 'tasks', 'list', '--json'], {
      cwd: home,
      env: { ...process.env, TASKHOOKS_HOME: home, MCP_SERVER_URL: url, MCP_API_TOKEN: TOKEN, HOME: home },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(child.code).not.toBe(0);
    expect(child.stderr).toMatch(/circuit open/);
    expect(metricsOf(cache, url)?.calls).toBe(2);
    await src.close();
  });

  it('lets one trial through after the cooldown and closes on success', async () => {
    const { s, src } = await openBreaker();
    s.always(undefined);
    await new Promise((r) => setTimeout(r, fast.breakerCooldownMs + 50));
    const ok = await src.pending(scope);
    expect(ok.tasks.map((t) => t.id)).toEqual(['t1']);
    expect(readBreaker(cache, s.url)).toMatchObject({ state: 'closed', failures: 0 });
    await src.close();
  });

  it('a half-open trial the caller cancels leaves the breaker open', async () => {
    const { s, src } = await openBreaker();
    s.always({ kind: 'blackhole' });
    await new Promise((r) => setTimeout(r, fast.breakerCooldownMs + 50));
    const err = await taskSourceFailure(src.pending(scope, { deadline: deadlineIn(5000, AbortSignal.timeout(100)) }));
    expect(err.short).toBe('cancelled');
    expect(readBreaker(cache, s.url).state).not.toBe('closed');
    await src.close();
  });

  it('fails over to the next URL when the first is down or its breaker is open', async () => {
    const dead = await refusedUrl();
    const s = await fault();
    const src = source([dead, s.url], { ...fast, retries: 0 });
    const first = await src.pending(scope);
    expect(first.tasks).toHaveLength(1);
    expect(src.server()).toBe(s.url);
    await src.pending(scope);
    expect(readBreaker(cache, dead).state).toBe('open');
    const before = metricsOf(cache, dead)?.calls;
    await src.pending(scope);
    expect(metricsOf(cache, dead)?.calls).toBe(before); // skipped while open
    await src.close();
  });
});

describe('401 handling', () => {
  it('refreshes the token exactly once on a 401 and then reports it plainly', async () => {
    const s = await fault({ token: 'the-only-good-token-xyz' });
    let refreshes = 0;
    const auth: AuthProvider = {
      describe: 'a test token',
      prepare: async () => undefined,
      headers: () => ({ Authorization: `Bearer bad-token-${refreshes}` }),
      refresh: async () => {
        refreshes++;
      },
    };
    const toolSession = openToolSession({
      endpoints: [{ server: s.url, auth, target: { kind: 'http', url: s.url, headers: () => auth.headers() } }],
      cache,
      log: logger.logger,
      rate: { perSecond: 100, burst: 100 },
    });
    const err = await taskSourceFailure(
      toolSession.call('manage_task', { action: 'list' }, { deadline: deadlineIn(5000) }),
    );
    expect(refreshes).toBe(1);
    expect(err.message).toContain('Task server error: 401 Unauthorized (token rejected after one refresh)');
    expect(s.requests.map((r) => r.authorization)).toEqual(['Bearer bad-token-0', 'Bearer bad-token-1']);
    await toolSession.close();
  });

  it('a 401 with no credentials configured says which ones to set', async () => {
    const s = await fault();
    const src = openSource({
      source: sourceOf(ConfigSchema.parse({ source: { servers: [s.url] } })),
      home,
      cache,
      log: logger.logger,
      projectRoot: home,
    });
    const err = await taskSourceFailure(src.pending(scope));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      `Task server error: 401 Unauthorized at ${s.url} (it needs credentials: set MCP_API_TOKEN, KEYCLOAK_URL/KEYCLOAK_REALM/KEYCLOAK_CLIENT_ID/KEYCLOAK_CLIENT_SECRET, or its Authorization header in .mcp.json)`,
    );
    await src.close();
  });

  it('a rejected static token is not retried and is never logged', async () => {
    const s = await fault({ token: 'some-other-token-000000' });
    const src = source([s.url]);
    const err = await taskSourceFailure(src.pending(scope));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/401 Unauthorized/);
    expect(err.message).not.toContain(TOKEN);
    expect(s.requests).toHaveLength(1);
    await src.close();
    logger.flush();
    for (const f of readdirSync(path.join(home, 'logs')))
      expect(readFileSync(path.join(home, 'logs', f), 'utf8')).not.toContain(TOKEN);
  });
});
