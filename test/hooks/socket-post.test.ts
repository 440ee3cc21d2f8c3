// The hook commands' socket client, hooks/socket-post.pl, run by the real perl against a server on a Unix socket: the
// input posted whole with the agent's headers, the answer printed only when it is a whole 200, and curl's exit codes
// for the rest, which the command reads to choose the node hook and whether the monitor may hold the event.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SOCKET_POST } from '../../src/install/settings.js';
import { ROOT } from '../helpers/hooks.js';

const CLIENT = path.join(ROOT, SOCKET_POST);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Heard {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A server on a fresh socket that records each request and answers it with `answer` (or never, when it is null). */
async function server(answer: ((res: http.ServerResponse) => void) | null) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-socket-post-'));
  const socket = path.join(dir, 's.sock');
  const heard: Heard[] = [];
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      heard.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer?.(res);
    });
  });
  await new Promise<void>((resolve) => s.listen(socket, resolve));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        s.closeAllConnections();
        s.close(resolve);
      }),
  );
  return { socket, heard, dir };
}

function post(args: string[], input: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('perl', [CLIENT, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(input);
  });
}

const json = (text: string) => (res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

describe('socket-post.pl', () => {
  it('posts the input whole with the agent named, and prints a 200 answer as it came', async () => {
    const s = await server(json('{"ok":"ü"}'));
    const input = JSON.stringify({ session_id: 's1', text: 'é'.repeat(200_000) });
    const r = await post(['0.3', s.socket, 'pre-tool-use', '4242', 'copilot', 'preToolUse'], input);
    expect(r).toEqual({ code: 0, stdout: '{"ok":"ü"}' });
    expect(s.heard).toHaveLength(1);
    expect(s.heard[0]?.url).toBe('/hooks/pre-tool-use');
    expect(s.heard[0]?.body).toBe(input);
    expect(s.heard[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-taskhooks-agent-pid': '4242',
      'x-taskhooks-agent': 'copilot',
      'x-taskhooks-agent-event': 'preToolUse',
    });
  });

  it("names no agent for Claude Code's own hooks", async () => {
    const s = await server(json('{}'));
    expect(await post(['0.3', s.socket, 'session-start', '7'], '{}')).toEqual({ code: 0, stdout: '{}' });
    expect(s.heard[0]?.headers['x-taskhooks-agent']).toBeUndefined();
  });

  it('exits 7 when nothing listens, before anything is sent', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-socket-post-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    expect(await post(['0.3', path.join(dir, 'none.sock'), 'session-start', '7'], '{}')).toEqual({
      code: 7,
      stdout: '',
    });
  });

  it('exits 28, printing nothing, when the answer does not come within the wait', async () => {
    const s = await server(null);
    expect(await post(['0.2', s.socket, 'post-tool-use', '7'], '{}')).toEqual({ code: 28, stdout: '' });
    expect(s.heard).toHaveLength(1);
  });

  it('exits 22 on an answer other than 200, and 18 on one cut short', async () => {
    const refused = await server((res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"e":1}'));
    expect(await post(['0.3', refused.socket, 'pre-tool-use', '7'], '{}')).toEqual({ code: 22, stdout: '' });
    const cut = await server((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 });
      res.write('{"half":', () => res.socket?.destroy());
    });
    expect(await post(['2', cut.socket, 'pre-tool-use', '7'], '{}')).toEqual({ code: 18, stdout: '' });
  });
});
