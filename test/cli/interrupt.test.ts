// Ctrl-C ends a command with a line saying so, not a silent exit that reads as a hang that went away.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, ROOT, tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('a command waiting on a task server that never answers says it was stopped by Ctrl-C, and exits 130', async () => {
  const repo: TempRepo = makeRepo({ name: 'shop', branch: 'main', commits: ['initial'] });
  cleanups.push(repo.cleanup);
  const home = tempHome();
  cleanups.push(home.cleanup);
  // Accepts and never answers: the command waits on it until its deadline.
  const sockets: net.Socket[] = [];
  const silent = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => silent.close(resolve));
  });
  const connected = new Promise<void>((resolve) => silent.once('connection', () => resolve()));
  const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/mcp`;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'tasks', 'list'], {
    cwd: repo.dir,
    env: { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1', MCP_SERVER_URL: url, MCP_API_TOKEN: 'a'.repeat(32) },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  await connected;
  child.kill('SIGINT');

  expect(await exited).toBe(130);
  expect(stderr.trim()).toBe('taskhooks tasks list: stopped by Ctrl-C');
});
