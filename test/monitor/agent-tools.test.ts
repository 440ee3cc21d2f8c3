// Codex's, Gemini CLI's, Qwen Code's, Copilot CLI's and OpenCode's task tools reach the running monitor's store
// server: the entry install wrote in each user's own file answers tools/list with the store token, the monitor's first
// start (which makes a new token) and a move of its port rewrite every one of them at once, and the old token opens
// nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, expect, it } from 'vitest';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, writeConfig } from '../helpers/hooks.js';
import { freePort } from '../helpers/serve.js';
import { CLI } from '../install/cli.js';
import { connectHttp } from '../server/client.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Where each agent's entry is and how it names the URL and header, as that agent reads them. */
function entries(home: string): Record<string, { url: string; authorization: string }> {
  const json = (file: string) => JSON.parse(readFileSync(path.join(home, file), 'utf8')) as Record<string, any>;
  const codex = (parse(readFileSync(path.join(home, '.codex', 'config.toml'), 'utf8')) as Record<string, any>)
    .mcp_servers.taskhooks;
  const gemini = json('.gemini/settings.json').mcpServers.taskhooks;
  const qwen = json('.qwen/settings.json').mcpServers.taskhooks;
  const copilot = json('.copilot/mcp-config.json').mcpServers.taskhooks;
  const opencode = json('.config/opencode/opencode.json').mcp.taskhooks;
  return {
    codex: { url: codex.url, authorization: codex.http_headers.Authorization },
    gemini: { url: gemini.url, authorization: gemini.headers.Authorization },
    qwen: { url: qwen.httpUrl, authorization: qwen.headers.Authorization },
    copilot: { url: copilot.url, authorization: copilot.headers.Authorization },
    opencode: { url: opencode.url, authorization: opencode.headers.Authorization },
  };
}

/** The tools an entry's server lists, asked the way the agent asks: its URL with its header. */
async function toolsOf(entry: { url: string; authorization: string }): Promise<string[]> {
  const client = await connectHttp(entry.url, entry.authorization.replace(/^Bearer /, ''));
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

/** A listener of this test's own on `port`: the monitor must serve elsewhere. */
async function hold(port: number): Promise<net.Server> {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

it("every agent's entry answers tools/list with the store token, and follows the store server when it moves", async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-agent-tools-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const home = path.join(tmp, 'home');
  const th = path.join(tmp, 'th');
  mkdirSync(home);
  const storePort = await freePort();
  writeConfig(th, { monitor: { hookPort: await freePort(), storeServerPort: storePort } });
  const repo = makeRepo({ name: 'shop' });
  cleanups.push(repo.cleanup);
  const env = { ...hookEnv(th), HOME: home, NO_COLOR: '1' };
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: repo.dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  cleanups.push(() => spawnSync(process.execPath, [CLI, 'monitor', 'stop'], { env, timeout: 60_000 }));
  for (const agent of ['codex', 'gemini', 'qwen', 'copilot', 'opencode']) cli('install', '--agent', agent);
  const token = () => readFileSync(path.join(th, 'store-token'), 'utf8').trim();

  // The monitor's first start settles its ports with new tokens: the entries follow before any session reads them.
  cli('monitor', 'start');
  const first = entries(home);
  for (const [agent, entry] of Object.entries(first)) {
    expect(entry, agent).toEqual({ url: `http://127.0.0.1:${storePort}/mcp`, authorization: `Bearer ${token()}` });
    // A session is offered the few task tools; the compatibility families only to a client that asks for them.
    expect(await toolsOf(entry), agent).toEqual(['list_tasks', 'add_task', 'update_task']);
  }

  // Its port held by another process, the monitor serves elsewhere with another token, and every entry moves with it.
  cli('monitor', 'stop');
  const holder = await hold(storePort);
  cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
  cli('monitor', 'start');
  const moved = entries(home);
  for (const [agent, entry] of Object.entries(moved)) {
    expect(entry.url, agent).not.toBe(first[agent]?.url);
    expect(entry.authorization, agent).toBe(`Bearer ${token()}`);
    expect(await toolsOf(entry), agent).toContain('add_task');
  }
  const stale = { url: moved.codex?.url ?? '', authorization: first.codex?.authorization ?? '' };
  await expect(toolsOf(stale)).rejects.toThrow();
});
