// The built CLI as real processes: `taskhooks mcp` over stdio, `taskhooks serve` with a generated token, --no-auth,
// two processes handing out ids from one tasks.db, and serve killed with SIGKILL under 200 writes with request ids.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../helpers/cache.js';
import { openTaskDb, sqliteStore, startHttpServer } from '../../src/server/index.js';
import { ensureServerToken } from '../../src/home/secrets.js';
import { openDatabase } from '../../src/sqlite/index.js';
import { startServe } from '../helpers/serve.js';
import { call, connectHttp, data, textOf } from './client.js';
import { expectLandedOnce, replay, underKill } from './killed-writes.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
let home: string;

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-server-proc-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const env = (): NodeJS.ProcessEnv => ({ ...process.env, TASKHOOKS_HOME: home, HOME: home, NO_COLOR: '1' });

/** Starts `taskhooks serve`, resolves with the URL it announces and everything it printed so far. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], {
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    child.stdout!.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
      if (m?.[1] && /Ctrl-C stops/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out });
      }
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('taskhooks mcp (stdio)', () => {
  test("a session is offered the hook tool and the session's three task tools", async () => {
    const client = new Client({ name: 'stdio-test', version: '0.0.0' });
    const args = [cli, 'mcp', '--db', path.join(home, 'session.db')];
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args, env: env() as Record<string, string> }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['add_task', 'hook', 'list_tasks', 'update_task']);
    } finally {
      await client.close();
    }
  });

  test('the SDK StdioClientTransport talks to the same store with --tools all; stdout carries only MCP', async () => {
    const dbFile = path.join(home, 'stdio.db');
    const client = new Client({ name: 'stdio-test', version: '0.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp', '--db', dbFile, '--tools', 'all'],
      env: env() as Record<string, string>,
      stderr: 'pipe',
    });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'add_task',
        'claim_task',
        'get_next_available_id',
        'get_next_task',
        'hook',
        'list_tasks',
        'manage_git_branch',
        'manage_project',
        'manage_task',
        'release_task',
        'reserve_id_range',
        'update_task_status',
      ]);
      const project = (await data(client, 'manage_project', { action: 'create', name: 'stdio' })).project;
      const added = JSON.parse(
        textOf(
          await call(client, 'add_task', { tasks: [{ project_id: 'stdio', title: 'from stdio', priority: 'urgent' }] }),
        ),
      );
      expect(added).toEqual({ success: true, tasks_added: 1, task_ids: ['TASK-001'] });
      const next = await data(client, 'manage_task', { action: 'next', project_id: project.id });
      expect(next.task.next_item).toMatchObject({ id: 'TASK-001', title: 'from stdio' });
    } finally {
      await client.close();
    }
    const db = openTaskDb(dbFile);
    expect(db.getTask('TASK-001')?.title).toBe('from stdio');
    db.close();
    expect(readFileSync(path.join(home, 'logs/server.log'), 'utf8')).toContain('"tool":"add_task"');
  });
});

describe('taskhooks serve', () => {
  test('first start with auth on generates a 0600 token file, prints its path and never the token', async () => {
    const { child, url, output } = await serve([]);
    try {
      const tokenFile = path.join(home, 'server-token');
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(home, 'tasks.db')).mode & 0o777).toBe(0o600);
      expect(output()).toContain(tokenFile);
      expect(output()).toContain('created now, mode 0600');
      expect(output()).not.toContain(token);
      expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
      const client = await connectHttp(url, token);
      expect((await data(client, 'manage_project', { action: 'list' })).projects).toEqual([]);
      await client.close();
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  test('--no-auth is announced on loopback and refused elsewhere', async () => {
    const { child, url, output } = await serve(['--no-auth', '--db', path.join(home, 'open.db')]);
    try {
      expect(output()).toMatch(/Auth: OFF \(--no-auth\)/);
      const res = await fetch(url.replace(/\/mcp$/, '/health'));
      expect(await res.json()).toEqual({ status: 'ok' });
    } finally {
      await stop(child);
    }
    const refused = spawnSync(process.execPath, [cli, 'serve', '--no-auth', '--host', '0.0.0.0'], {
      env: env(),
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--no-auth is allowed only on a loopback host/);
  });

  test('a rate limit of 0 is refused: it would answer every call 429', () => {
    const refused = spawnSync(process.execPath, [cli, 'serve', '--rate-limit', '0'], { env: env(), encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--rate-limit must be an integer 1\.\.1000000, got "0"/);
  });

  test('two processes reserving from one tasks.db never hand out the same id', async () => {
    const dbFile = path.join(home, 'shared.db');
    const { child, url } = await serve(['--token', 'shared-token-123-0123456789abcdefghij', '--db', dbFile]);
    const db = openTaskDb(dbFile);
    const local = await startHttpServer({
      store: sqliteStore(db),
      log: silentLogger(),
      auth: { tokens: [{ principal: 'p', token: 'shared-token-123-0123456789abcdefghij', tools: ['*'] }] },
    });
    try {
      const clients = await Promise.all(
        [url, local.url, url, local.url].map((u) => connectHttp(u, 'shared-token-123-0123456789abcdefghij')),
      );
      const ids = (
        await Promise.all(
          clients.map(async (c) => {
            const got: string[] = [];
            for (let i = 0; i < 10; i++) {
              got.push(
                ...(JSON.parse(
                  textOf(await call(c, 'reserve_id_range', { artifact_type: 'US', count: 3, project_id: 'shared' })),
                ).reserved_ids as string[]),
              );
            }
            return got;
          }),
        )
      ).flat();
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(120);
      expect([...ids].sort().at(-1)).toBe('US-120');
      await Promise.all(clients.map((c) => c.close()));
    } finally {
      await local.close();
      db.close();
      await stop(child);
    }
  });
});

describe('taskhooks serve on a tasks.db, killed with SIGKILL under 200 writes', () => {
  test('the replay through another serve on the file answers the first answers and writes nothing new', async () => {
    const token = 'sqlite-kill-token-0123456789abcdefghijklm';
    const file = path.join(home, 'killed.db');
    const first = await startServe(home, ['--db', file, '--token', token]);
    const answers = await underKill(first.url, token, 'killed', 40, () => first.kill('SIGKILL'));
    expect(answers.filter((a) => a === 'lost').length).toBeGreaterThan(0);
    const next = await startServe(home, ['--db', file, '--token', token]);
    try {
      const counted = async (): Promise<{ rows: number; distinct: number }> => {
        const db = openDatabase(file, { readonly: true });
        try {
          return db
            .prepare(
              `SELECT count(*) AS rows, count(DISTINCT title) AS "distinct" FROM tasks WHERE title LIKE 'killed %'`,
            )
            .get() as { rows: number; distinct: number };
        } finally {
          db.close();
        }
      };
      await expectLandedOnce(answers, await replay(next.url, token, 'killed'), counted);
    } finally {
      await next.kill('SIGTERM');
    }
  }, 120_000);
});

describe('ensureServerToken', () => {
  test('creates one 0600 token, then reads it back; tightens a token file others may read; refuses an empty one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-token-'));
    try {
      const first = ensureServerToken(dir);
      expect(first).toMatchObject({ file: path.join(dir, 'server-token'), created: true });
      expect(statSync(first.file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(['server-token']);
      expect(ensureServerToken(dir)).toEqual({ ...first, created: false });
      chmodSync(first.file, 0o644);
      expect(ensureServerToken(dir).token).toBe(first.token);
      expect(statSync(first.file).mode & 0o777).toBe(0o600);
      writeFileSync(first.file, '\n');
      expect(() => ensureServerToken(dir)).toThrow(`${first.file} holds no token: delete it and start again`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
