// Connections that never finish a request cannot take a server down: a real monitor limited to 1,024 descriptors keeps
// answering served hooks under 1,100 half-open connections, and every server (served hooks, the store server)
// closes a connection that stays silent past its idle timeout.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTaskDb, sqliteStore, startHttpServer } from '../../src/server/index.js';
import { startServedHooks } from '../../src/monitor/serve/served-hooks.js';
import { IDLE_TIMEOUT_ENV } from '../../src/util/http-server.js';
import { silentLogger } from '../helpers/cache.js';
import { hookEnv, preToolUseInput } from '../helpers/hooks.js';
import { CLI, exited, perTest, waitFor } from '../monitor/helpers.js';

const t = perTest();

/** Opens `n` connections to `port` that each send the start of a request and never its end. */
async function halfOpen(port: number, n: number): Promise<{ sockets: net.Socket[]; closedByServer(): number }> {
  let closed = 0;
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect(port, '127.0.0.1');
          s.on('error', () => undefined);
          s.once('close', () => {
            closed++;
            resolve(s);
          });
          s.once('connect', () => {
            s.write('POST /hooks/pre-tool-use HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le');
            resolve(s);
          });
        }),
    ),
  );
  t.undo(() => {
    for (const s of sockets) s.destroy();
  });
  return { sockets, closedByServer: () => closed };
}

/** Resolves when the server closes `socket`, which sends nothing. */
function closedByServer(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', reject);
    s.once('close', () => resolve());
    t.undo(() => s.destroy());
  });
}

describe('half-open connections', () => {
  it('leave a monitor limited to 1,024 descriptors answering served hooks', async () => {
    const m = t.home({});
    const child = spawn('sh', ['-c', `ulimit -n 1024; exec "${process.execPath}" "${CLI}" monitor run`], {
      env: hookEnv(m.home),
      cwd: m.home,
      stdio: 'ignore',
    });
    if (child.pid) m.pids.add(child.pid);
    const port = await waitFor('the served hooks port', () => m.info()?.hookPort ?? undefined, 30_000);
    const limits = readFileSync(`/proc/${child.pid}/limits`, 'utf8');
    expect(limits).toMatch(/^Max open files\s+1024\s/m);

    const flood = await halfOpen(port, 1100);
    // Beyond the cap, the connections idle longest were closed to admit the newer ones.
    await waitFor('connections evicted', () => flood.closedByServer() > 0, 30_000);

    const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
    const r = await fetch(`http://127.0.0.1:${port}/hooks/pre-tool-use`, {
      method: 'POST',
      body: JSON.stringify(preToolUseInput(m.home, 'Bash', { command: 'ls' })),
      headers: { 'x-taskhooks-token': token },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toBeTypeOf('object');
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect((await exited(child)).code).toBe(0);
  }, 120_000);

  it('are closed after the idle timeout set through the environment, by the monitor', async () => {
    const m = t.home({});
    const child = spawn(process.execPath, [CLI, 'monitor', 'run'], {
      env: { ...hookEnv(m.home), [IDLE_TIMEOUT_ENV]: '200' },
      cwd: m.home,
      stdio: 'ignore',
    });
    if (child.pid) m.pids.add(child.pid);
    const port = await waitFor('the served hooks port', () => m.info()?.hookPort ?? undefined, 30_000);
    await closedByServer(port);
  });

  it('are closed after the idle timeout by the served hooks and the task server', async () => {
    const served = await startServedHooks({
      port: 0,
      token: 'a'.repeat(64),
      log: silentLogger(),
      handle: async () => null,
      limits: { idleTimeoutMs: 100 },
    });
    t.undo(() => served.close());
    await closedByServer(served.port);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-idle-'));
    t.undo(() => rmSync(dir, { recursive: true, force: true }));
    const db = openTaskDb(path.join(dir, 'tasks.db'));
    t.undo(() => db.close());
    const server = await startHttpServer({
      store: sqliteStore(db),
      log: silentLogger(),
      auth: 'none',
      limits: { idleTimeoutMs: 100 },
    });
    t.undo(() => server.close());
    await closedByServer(server.port);
  });

  it('beyond the cap from one address, evict the idle ones of that address, never a request in progress', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let entered: () => void = () => undefined;
    const running = new Promise<void>((r) => {
      entered = r;
    });
    const served = await startServedHooks({
      port: 0,
      token: 'a'.repeat(64),
      log: silentLogger(),
      handle: async () => {
        entered();
        await held;
        return { ok: true };
      },
      limits: { maxPerAddress: 4, maxConnections: 4 },
    });
    t.undo(() => served.close());
    const inProgress = fetch(`http://127.0.0.1:${served.port}/hooks/session-start`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-taskhooks-token': 'a'.repeat(64) },
    });
    await running;
    const flood = await halfOpen(served.port, 10);
    await waitFor('idle connections evicted', () => flood.closedByServer() >= 7);
    release();
    const r = await inProgress;
    expect(await r.json()).toEqual({ ok: true });
  });
});
