// A hook input posted to the monitor as hooks/socket-post.pl posts it (HTTP/1.0, the answer read to the connection's
// end), against servers of the test's own: the monitor's real one (node:http), and raw ones that answer wrong.
import http from 'node:http';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, monitorEndpoints, postToMonitor } from '../../src/home/served-post.js';
import { monitorProof } from '../../src/home/monitor-proof.js';
import { NOBODY } from '../helpers/second-user.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function socketPath(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-served-post-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'monitor.sock');
}

async function listening(server: net.Server, where: string | number): Promise<void> {
  await new Promise<void>((resolve) =>
    typeof where === 'string' ? server.listen(where, resolve) : server.listen(where, '127.0.0.1', resolve),
  );
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
}

/** An http server answering 200 with what it was sent: its path, its headers and its body. */
function echoServer(): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => res.end(JSON.stringify({ url: req.url, headers: req.headers, body })));
  });
}

/** A raw server that answers every connection `response` once the request's head arrived, then closes. */
function rawServer(response: string | null): net.Server {
  return net.createServer((socket) => {
    socket.once('data', () => (response === null ? undefined : socket.end(response)));
    socket.on('error', () => undefined);
  });
}

describe('postToMonitor', () => {
  it("gets the monitor's answer over its socket, the agent's pid and name sent along", async () => {
    const sock = socketPath();
    await listening(echoServer(), sock);
    const body = JSON.stringify({ hook_event_name: 'SessionStart', note: 'ünïcode' });
    const answer = await postToMonitor(
      { socketPath: sock },
      'session-start',
      body,
      { agentPid: 42, agent: 'qwen' },
      5_000,
    );
    expect(typeof answer).toBe('object');
    const echoed = JSON.parse((answer as { text: string }).text);
    expect(echoed.url).toBe('/hooks/session-start');
    expect(echoed.body).toBe(body);
    expect(echoed.headers).toMatchObject({ 'x-taskhooks-agent-pid': '42', 'x-taskhooks-agent': 'qwen' });
    expect(echoed.headers['x-taskhooks-token']).toBeUndefined();
  });

  it('sends the hook token to the loopback port, where there is no socket, once the monitor there proves itself', async () => {
    const heard: string[] = [];
    const server = http.createServer((req, res) => {
      heard.push(`${req.method} ${req.url}`);
      const nonce = req.headers['x-taskhooks-nonce'];
      if (typeof nonce === 'string') res.setHeader('x-taskhooks-proof', monitorProof('tok-123', nonce, 4321));
      echoServer().emit('request', req, res);
    });
    await listening(server, 0);
    const port = (server.address() as net.AddressInfo).port;
    const to = { port, token: 'tok-123', pid: 4321 };
    const answer = await postToMonitor(to, 'session-start', '{}', { agentPid: 7 }, 5_000);
    const echoed = JSON.parse((answer as { text: string }).text);
    expect(echoed.headers).toMatchObject({ 'x-taskhooks-token': 'tok-123', 'x-taskhooks-agent-pid': '7' });
    expect(heard).toEqual(['GET /hooks/probe', 'POST /hooks/session-start']);
    // A proof for another pid is none: the monitor the lock names is the one asked.
    heard.length = 0;
    expect(await postToMonitor({ ...to, pid: 999 }, 'session-start', '{}', { agentPid: 7 }, 5_000)).toBe('unreachable');
    expect(heard).toEqual(['GET /hooks/probe']);
  });

  it('sends neither the token nor the input to a listener on the port that does not prove itself', async () => {
    const heard: Array<{ line: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    const stranger = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d));
      req.on('end', () => {
        heard.push({ line: `${req.method} ${req.url}`, headers: req.headers, body });
        res.setHeader('x-taskhooks-proof', 'f'.repeat(64));
        res.end('{"hookSpecificOutput":{"additionalContext":"from a stranger"}}');
      });
    });
    await listening(stranger, 0);
    const port = (stranger.address() as net.AddressInfo).port;
    const input = JSON.stringify({ session_id: 'private-session' });
    const asked = await postToMonitor(
      { port, token: 'tok-123', pid: 4321 },
      'session-start',
      input,
      { agentPid: 7 },
      5_000,
    );
    expect(asked).toBe('unreachable');
    expect(heard).toHaveLength(1);
    expect(heard[0]?.line).toBe('GET /hooks/probe');
    expect(heard[0]?.headers['x-taskhooks-nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(heard)).not.toContain('tok-123');
    expect(JSON.stringify(heard)).not.toContain('private-session');
  });

  it('reads no further than MAX_ANSWER_BYTES: a longer answer is none', async () => {
    const sock = socketPath();
    const huge = `{"a":"${'x'.repeat(MAX_ANSWER_BYTES)}"}`;
    await listening(rawServer(`HTTP/1.0 200 OK\r\nContent-Length: ${huge.length}\r\n\r\n${huge}`), sock);
    expect(await postToMonitor({ socketPath: sock }, 'session-start', '{}', { agentPid: 1 }, 30_000)).toBe('late');
  });

  it.runIf(process.getuid?.() === 0)('never names a socket another user made in the state directory', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'th-served-post-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const sock = path.join(home, 'monitor.sock');
    await listening(echoServer(), sock);
    expect(monitorEndpoints(home)).toEqual([{ socketPath: sock }]);
    chownSync(sock, NOBODY, NOBODY);
    expect(monitorEndpoints(home)).toEqual([]);
  });

  it('says unreachable where nothing listens, so the next endpoint or the hook itself answers', async () => {
    expect(await postToMonitor({ socketPath: socketPath() }, 'session-start', '{}', { agentPid: 1 }, 5_000)).toBe(
      'unreachable',
    );
  });

  it('says late for an answer other than 200, one cut short, or one with no head', async () => {
    const cases = [
      'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\n{}',
      'HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{"hookSpecificOutput":',
      '{"no":"head"}',
    ];
    for (const response of cases) {
      const sock = socketPath();
      await listening(rawServer(response), sock);
      // A wait no busy machine runs out: each answer is judged, not timed out.
      expect(await postToMonitor({ socketPath: sock }, 'session-start', '{}', { agentPid: 1 }, 30_000), response).toBe(
        'late',
      );
    }
  });

  it('says late when a monitor takes the input and gives no answer within the wait', async () => {
    const sock = socketPath();
    await listening(rawServer(null), sock);
    expect(await postToMonitor({ socketPath: sock }, 'session-start', '{}', { agentPid: 1 }, 300)).toBe('late');
  });
});
