// Local servers a web page cannot reach: forged Host and Origin headers are refused by the task server (in-process
// and as `taskhooks serve`) and by the monitor's served hooks; short tokens, tokens that never expire and guessing are
// refused or slowed; /health tells strangers nothing but that it is up. A monitor says when it cannot serve hooks, and
// what it published dies with it.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startServedHooks } from '../../src/monitor/serve/served-hooks.js';
import { openTaskDb, sqliteStore, startHttpServer } from '../../src/server/index.js';
import { silentLogger } from '../helpers/cache.js';
import { runCli } from '../helpers/cli.js';
import { hookEnv, ROOT, tempHome } from '../helpers/hooks.js';
import { goneWithin } from '../helpers/pid.js';
import { startReferenceServer } from '../helpers/reference-server.js';
import { monitorHome } from '../monitor/helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A raw request with headers a browser page (or a rebinding attacker) would send. */
function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The wait each failed authentication cost, in the order they were logged. */
const penaltiesIn = (logFile: string): number[] =>
  readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"authentication failed"'))
    .map((l) => (JSON.parse(l) as { penaltyMs: number }).penaltyMs);

/**
 * The penalty waits a server was told to take, recorded instead of slept: a second or more each, which the throttle
 * computes as if every one had been waited (auth-throttle.test.ts has its arithmetic).
 */
function penaltyRecorder(): { ms: number[]; wait: (ms: number) => Promise<void> } {
  const ms: number[] = [];
  return { ms, wait: async (penalty) => void ms.push(penalty) };
}

const mcpPost = (token: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
    ...headers,
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
});

describe('Host and Origin', () => {
  it('the task server refuses a foreign Host or a web page Origin, and serves local clients', async () => {
    const server = await startReferenceServer();
    cleanups.push(() => server.close());
    expect((await request(server.url, mcpPost(server.token))).status).toBe(200);
    expect((await request(server.url, mcpPost(server.token, { origin: 'http://localhost:5173' }))).status).toBe(200);
    const rebound = await request(server.url, mcpPost(server.token, { host: 'attacker.example:8765' }));
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('Host \\"attacker.example:8765\\" is not');
    expect((await request(server.url, mcpPost(server.token, { origin: 'https://attacker.example' }))).status).toBe(403);
    expect((await request(server.url, mcpPost(server.token, { origin: 'null' }))).status).toBe(403);
    expect(
      (await request(server.url.replace('/mcp', '/health'), { headers: { host: 'attacker.example' } })).status,
    ).toBe(403);
  });

  it('a server bound to another loopback address (127.0.0.2) serves requests that name it, and still refuses a foreign Host', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const db = openTaskDb(path.join(home, 'tasks.db'));
    const server = await startHttpServer({
      host: '127.0.0.2',
      store: sqliteStore(db),
      log: silentLogger(),
      auth: 'none',
    });
    cleanups.push(async () => {
      await server.close();
      db.close();
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/mcp$/);
    expect((await request(server.url, mcpPost('unused'))).status).toBe(200);
    expect((await request(server.url, mcpPost('unused', { origin: `http://127.0.0.2:${server.port}` }))).status).toBe(
      200,
    );
    expect((await request(server.url, mcpPost('unused', { host: 'attacker.example' }))).status).toBe(403);
  });

  it('`taskhooks serve --no-auth` refuses them too', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'serve', '--no-auth', '--port', '0'], {
      env: hookEnv(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
        if (m?.[1] && out.includes('Ctrl-C')) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    expect((await request(url, mcpPost('unused'))).status).toBe(200);
    expect((await request(url, mcpPost('unused', { host: 'rebound.example' }))).status).toBe(403);
    expect((await request(url, mcpPost('unused', { origin: 'https://evil.example' }))).status).toBe(403);
  });

  it('the served hooks refuse a foreign Host or Origin before looking at the token', async () => {
    const token = 'a'.repeat(64);
    const served = await startServedHooks({ port: 0, token, log: silentLogger(), handle: async () => ({ ok: true }) });
    cleanups.push(() => served.close());
    const url = `http://127.0.0.1:${served.port}/hooks/pre-tool-use`;
    const post = (headers: Record<string, string>) =>
      request(url, { method: 'POST', headers: { 'x-taskhooks-token': token, ...headers }, body: '{}' });
    expect((await post({})).status).toBe(200);
    expect((await post({ host: 'attacker.example' })).status).toBe(403);
    expect((await post({ origin: 'https://attacker.example' })).status).toBe(403);
  });
});

describe('credentials', () => {
  it('tokens shorter than 32 characters are refused by the server and by `serve --token`', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const db = openTaskDb(path.join(home, 'tasks.db'));
    cleanups.push(() => db.close());
    await expect(
      startHttpServer({
        store: sqliteStore(db),
        log: silentLogger(),
        auth: { tokens: [{ principal: 'p', token: 'only-twenty-chars-xx', tools: ['*'] }] },
      }),
    ).rejects.toThrow(/principal "p" has 20 characters: at least 32/);
    // Refused before it binds anything: the command's code in this process says it as the built CLI would.
    const r = await runCli(['serve', '--token', 'short-token'], { cwd: home, env: hookEnv(home) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--token must be at least 32 characters long/);
  });

  it('`serve --host 0.0.0.0` needs --allow-remote: tokens would cross the network in clear', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const r = await runCli(['serve', '--host', '0.0.0.0'], { cwd: home, env: hookEnv(home) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--host 0\.0\.0\.0 is reachable from the network, and without TLS every token crosses it in clear: pass --allow-remote/,
    );
  });

  it('a JWT without exp is refused; the same issuer with exp is accepted', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const issuerServer = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
      const body = req.url === '/jwks' ? { keys: [jwk] } : { issuer: base, jwks_uri: `${base}/jwks` };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => issuerServer.close(() => r())));
    const issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    const server = await startReferenceServer({ issuer, audience: 'taskhooks' });
    cleanups.push(() => server.close());
    const sign = (withExp: boolean) => {
      const jwt = new SignJWT({ scope: 'tasks:all' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('taskhooks')
        .setIssuedAt();
      return (withExp ? jwt.setExpirationTime('5m') : jwt).sign(privateKey);
    };
    const forever = await request(server.url, mcpPost(await sign(false)));
    expect(forever.status).toBe(401);
    expect(forever.body).toContain('token has no expiry (exp)');
    expect((await request(server.url, mcpPost(await sign(true)))).status).toBe(200);
  });

  it('failed authentication from one address is slowed every time; /health tells a stranger only that it is up', async () => {
    const waited = penaltyRecorder();
    const server = await startReferenceServer({ penaltyWait: waited.wait });
    cleanups.push(() => server.close());
    const tries = [];
    for (let i = 0; i < 7; i++)
      tries.push((await request(server.url, mcpPost(`wrong-${i}-token-0123456789abcdefghij`))).status);
    expect(tries).toEqual([401, 401, 401, 401, 401, 401, 401]);
    // Each wrong attempt waits: none is answered at once, not even the first.
    const penalties = penaltiesIn(server.logFile);
    expect(penalties).toHaveLength(7);
    expect(penalties.filter((ms) => ms < 500)).toEqual([]);
    expect(waited.ms).toEqual(penalties);
    expect(JSON.parse((await request(server.url.replace('/mcp', '/health'), {})).body)).toEqual({ status: 'ok' });
  });

  it('/health, which answers more to a known token, slows every guess like /mcp does', async () => {
    const waited = penaltyRecorder();
    const server = await startReferenceServer({ penaltyWait: waited.wait });
    cleanups.push(() => server.close());
    const health = server.url.replace('/mcp', '/health');
    for (let i = 0; i < 6; i++) {
      const answer = await request(health, {
        headers: { authorization: `Bearer wrong-${i}-token-0123456789abcdefghij` },
      });
      expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
    }
    const penalties = penaltiesIn(server.logFile);
    expect(penalties).toHaveLength(6);
    expect(penalties.filter((ms) => ms < 500)).toEqual([]);
    expect(waited.ms).toEqual(penalties);
  });
});

describe('the monitor and what it publishes', () => {
  it('a monitor whose served-hooks port another process holds serves on a free one, and says so', async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => squatter.close(() => r())));
    const port = (squatter.address() as AddressInfo).port;
    const m = monitorHome({ monitor: { hookPort: port } });
    cleanups.push(m.cleanup);
    const started = m.cli(['monitor', 'start']);
    expect(started.code).toBe(0);
    const info = JSON.parse(readFileSync(path.join(m.home, 'monitor.json'), 'utf8')) as { hookPort: number };
    expect(info.hookPort).not.toBe(port);
    const said = `another process holds 127.0.0.1:${port}, so hooks are served on ${info.hookPort}`;
    expect(started.stdout).toContain(`Served hooks: http://127.0.0.1:${info.hookPort}/hooks/session-start`);
    expect(started.stdout).toContain(`Note: ${said}`);
    expect(m.cli(['monitor', 'status']).stdout).toContain(`note: ${said}`);
    const doctor = JSON.parse(m.cli(['doctor', '--json']).stdout) as {
      steps: Array<{ name: string; ok: boolean; detail: string; fix?: string }>;
    };
    expect(doctor.steps.find((s) => s.name === 'monitor')).toMatchObject({
      ok: true,
      detail: expect.stringContaining(said) as string,
    });
  });

  it("a killed monitor's embedded.json sends its token nowhere, and a new token comes only with a new port", async () => {
    const m = monitorHome({});
    cleanups.push(m.cleanup);
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const first = JSON.parse(readFileSync(path.join(m.home, 'embedded.json'), 'utf8')) as {
      url: string;
      token: string;
      pid: number;
    };
    expect(m.cli(['tasks', 'add', 'Written through the monitor']).code).toBe(0);
    process.kill(first.pid, 'SIGKILL');
    expect(await goneWithin(first.pid)).toBe(true);
    // Whoever takes the port next hears nothing from taskhooks.
    const heard: string[] = [];
    const taker = http.createServer((req, res) => {
      heard.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => taker.listen(Number(new URL(first.url).port), '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => taker.close(() => r())));
    const listed = m.cli(['tasks', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Written through the monitor');
    expect(heard).toEqual([]);

    await new Promise<void>((r) => taker.close(() => r()));
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    const second = JSON.parse(readFileSync(path.join(m.home, 'embedded.json'), 'utf8')) as {
      url: string;
      token: string;
      pid: number;
    };
    expect(second.pid).not.toBe(first.pid);
    // The port written last is taken back, and the token good there with it (src/home/endpoint.ts).
    expect(second.url).toBe(first.url);
    expect(second.token).toBe(first.token);
    expect(second.token.length).toBeGreaterThanOrEqual(32);
  });
});
