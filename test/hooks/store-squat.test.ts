// The task tools' port taken by another local user while the monitor is down: the built SessionStart, run as the
// installed command runs it (the monitor's socket refused, so the node hook answers), stops the session and ends the
// agent, names the port and the user, and leaves the reason for the next command. A port this user holds is no squat.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionStartInput } from '../helpers/hooks.js';
import { NOBODY, squat } from '../helpers/second-user.js';
import { freePort } from '../helpers/serve.js';
import { installedShop, type MonitorHome, waitFor } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A stand-in for Claude Code: runs `command` through sh with `input`, naming itself in CLAUDE_PID; how it ended. */
function runAgent(
  m: MonitorHome,
  command: string,
  input: unknown,
): Promise<{ signal: NodeJS.Signals | null; answer: string }> {
  const script = `
    const sh = require('node:child_process').spawn('/bin/sh', ['-c', process.argv[1]], {
      env: { ...process.env, CLAUDE_PID: String(process.pid) },
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    sh.stdin.end(process.argv[2]);
    sh.on('close', () => process.exit(0));`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script, command, JSON.stringify(input)], {
    env: { ...process.env, TASKHOOKS_HOME: m.home, TASKHOOKS_NO_AUTOSTART: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let answer = '';
  child.stdout?.on('data', (d: Buffer) => (answer += d.toString('utf8')));
  return new Promise((resolve) => child.on('close', (_code, signal) => resolve({ signal, answer })));
}

/** The installed SessionStart command of the project. */
function sessionStartCommand(dir: string): string {
  const file = path.join(dir, '.claude', 'settings.local.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as {
    hooks: Record<string, Array<{ hooks: Array<{ command?: string }> }>>;
  };
  return settings.hooks.SessionStart?.[0]?.hooks[0]?.command ?? '';
}

/** Claude Code's local-scope entry of the project, as install wrote it into the run's HOME. */
const localEntry = (dir: string): { headers: { Authorization: string } } | undefined =>
  JSON.parse(readFileSync(path.join(os.homedir(), '.claude.json'), 'utf8')).projects?.[dir]?.mcpServers?.taskhooks;

const notices = (home: string): string[] =>
  readdirSync(path.join(home, 'notices', 'cli'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(path.join(home, 'notices', 'cli', f), 'utf8'));

describe('SessionStart with the task tools’ port taken while the monitor is down', () => {
  it('by another user: ends the agent, names the port and the user, and tells the next command', async () => {
    const store = await freePort();
    const { m, repo } = installedShop({ monitor: { storeServerPort: store } }, cleanups);
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
    const squatter = await squat(store, cleanups);

    const run = await runAgent(m, sessionStartCommand(repo.dir), sessionStartInput(repo.dir, 'squatted'));

    expect(run.signal).toBe('SIGTERM');
    const answer = JSON.parse(run.answer) as { continue?: boolean; stopReason?: string };
    expect(answer.continue).toBe(false);
    expect(answer.stopReason).toContain(
      `connect to 127.0.0.1:${store}, which a process of another user (uid ${NOBODY})`,
    );
    expect(notices(m.home)).toContainEqual(
      expect.stringContaining(`127.0.0.1:${store}, which a process of another user`),
    );
    // The squatter leaves; the next monitor takes the port back with a new token, and the entry follows it.
    const token = () => readFileSync(path.join(m.home, 'store-token'), 'utf8').trim();
    const before = token();
    squatter.child.kill('SIGKILL');
    await new Promise((resolve) => squatter.child.once('exit', resolve));
    expect(m.cli(['monitor', 'start']).code).toBe(0);
    expect(m.info()?.storeServerUrl).toBe(`http://127.0.0.1:${store}/mcp`);
    expect(token()).not.toBe(before);
    await waitFor('the entry rewritten', () => localEntry(repo.dir)?.headers.Authorization === `Bearer ${token()}`);
  });

  it('by this user: the session goes on', async () => {
    const store = await freePort();
    const { m, repo } = installedShop({ monitor: { storeServerPort: store } }, cleanups);
    expect(m.cli(['monitor', 'stop']).code).toBe(0);
    const own = createServer().listen(store, '127.0.0.1');
    cleanups.push(() => new Promise((resolve) => own.close(resolve)));

    const run = await runAgent(m, sessionStartCommand(repo.dir), sessionStartInput(repo.dir, 'own'));

    expect(run.signal).toBeNull();
    const answer = JSON.parse(run.answer) as {
      continue?: boolean;
      hookSpecificOutput?: { additionalContext?: string };
    };
    expect(answer.continue).toBeUndefined();
    expect(answer.hookSpecificOutput?.additionalContext).toContain('shop');
  });
});
