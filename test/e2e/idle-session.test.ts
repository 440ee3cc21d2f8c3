// The real Claude Code CLI, interactive under tmux, with this repository loaded as its plugin and the model stood in
// on loopback: a session waiting for input hears a critical task added from another terminal, through the plugin's
// monitor (`taskhooks watch`), without anyone typing.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAUDE, messagesStub } from '../helpers/claude.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, ROOMY_DEADLINES, ROOT, writeConfig } from '../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('an idle interactive session', () => {
  it('hears a critical task added from another terminal through the plugin monitor', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-idle-'));
    // Claude Code's last writes (its session files, a monitor's exit) can land while the folder is removed.
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 }));
    const home = path.join(tmp, 'home');
    mkdirSync(home);
    const taskhooksHome = path.join(tmp, 'taskhooks');
    writeConfig(taskhooksHome, { hooks: ROOMY_DEADLINES });
    const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
    cleanups.push(repo.cleanup);
    // What a person accepted once: onboarding, this folder's trust, the API key in the environment.
    writeFileSync(
      path.join(home, '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        customApiKeyResponses: { approved: ['fake'], rejected: [] },
        projects: { [repo.dir]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
      }),
    );
    const env = { ...hookEnv(taskhooksHome), HOME: home, NO_COLOR: '1' };
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [CLI, ...args], { cwd: repo.dir, env });
    // A task before the session: the news generation exists, so the watch records what the session starts from.
    await cli('tasks', 'add', 'Write the checkout page');

    const stub = await messagesStub([]);
    cleanups.push(() => stub.close());
    const sock = path.join(tmp, 'tmux.sock');
    const tmux = (...args: string[]): string =>
      execFileSync('tmux', ['-S', sock, ...args], { encoding: 'utf8', env: { ...process.env, TMUX: '' } });
    const sessionEnv = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      TMPDIR: tmp,
      TERM: 'xterm-256color',
      TASKHOOKS_HOME: taskhooksHome,
      TASKHOOKS_NO_AUTOSTART: '1',
      ANTHROPIC_API_KEY: 'fake',
      ANTHROPIC_BASE_URL: stub.url,
      CLAUDE_CODE_MAX_RETRIES: '0',
      DISABLE_AUTOUPDATER: '1',
    };
    const command = [
      'env',
      '-i',
      ...Object.entries(sessionEnv).map(([k, v]) => `${k}=${v}`),
      CLAUDE,
      '--plugin-dir',
      ROOT,
    ]
      .map((w) => `'${w.replaceAll("'", "'\\''")}'`)
      .join(' ');
    tmux('new-session', '-d', '-x', '200', '-y', '50', '-c', repo.dir, command);
    const panePid = Number(tmux('display-message', '-p', '#{pane_pid}').trim());
    cleanups.push(async () => {
      // Claude Code ends after /exit; wait for it so nothing it writes outlives the folder it writes into.
      await until('Claude Code to exit', () => !alive(panePid), 15_000).catch(() => undefined);
      try {
        tmux('kill-server');
      } catch {
        // already gone with its only session
      }
    });
    const screen = (): string => tmux('capture-pane', '-p');

    // The monitor's first run records what the session knows: its told mark appears.
    const told = path.join(taskhooksHome, 'news-told');
    await until('the plugin monitor to start for the session', () => existsSync(told));
    await until('the session to be idle at its prompt', () => screen().includes('❯'));
    const before = stub.requests.length;

    const asked = Date.now();
    await cli('tasks', 'add', 'Fix the login outage', '--priority', 'critical');
    const added = Date.now();
    const request = await until('the model to be woken with the new task', () =>
      stub.requests.slice(before).find((r) => r.includes('Fix the login outage')),
    );
    // Measured, not asserted: the figure goes to the test log (the docs quote it).
    const woken = Date.now();
    console.log(`idle session: told ${woken - added} ms after tasks add returned (${woken - asked} ms after it began)`);
    expect(request).toMatch(/taskhooks: New critical task on branch main: TASK-\d+ \(Fix the login outage\)\./);
    expect(screen()).toContain('Monitor event: taskhooks: New critical task');

    tmux('send-keys', '-t', '0', '/exit');
    tmux('send-keys', '-t', '0', 'Enter');
  });
});
