// The monitor's endpoint in one private place per user, with the real Claude Code CLI: a session in a folder never
// trusted (a person's first `claude -p`, CI, a script) gets its task and the task tools with no OAuth probing, as a
// trusted one does; the first session after the monitor was killed gets its task and the task tools too (SessionStart
// starts the monitor and waits for Claude Code's retry to list them), `-p` or interactive; and nothing a team commits
// names this machine's port, paths or tokens.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CLAUDE,
  type ClaudeWorld,
  claudeEnv,
  claudeWorld,
  installWithMonitor,
  messagesStub,
  runClaude,
} from '../helpers/claude.js';
import { ROOMY_DEADLINES } from '../helpers/hooks.js';
import { isProcessAlive } from '../../src/util/file-lock.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const world = () => claudeWorld({ hooks: ROOMY_DEADLINES, log: { level: 'debug' } }, cleanups);

/** What the hooks logged, for a failure's message. */
function hooksLog(w: ClaudeWorld): string {
  const log = path.join(w.taskhooksHome, 'logs', 'hooks.log');
  return existsSync(log) ? readFileSync(log, 'utf8') : '(no hooks log)';
}

/** Every path the monitor's servers were asked for and had no route for (logged at debug). */
function notFound(taskhooksHome: string): string[] {
  const log = path.join(taskhooksHome, 'logs', 'monitor.log');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"no route"'))
    .map((l) => (JSON.parse(l) as { path?: string }).path ?? '');
}

// The session's three task tools; the compatibility families are offered to a client that asks for them.
const TOOL = 'mcp__taskhooks__add_task';

describe.each([
  ['never trusted', false],
  ['trusted', true],
] as const)('claude -p in a folder %s', (_, trusted) => {
  it('has its task and the task tools in the first request, and nothing probes for OAuth', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w, { trusted });
    const api = await messagesStub([]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url));

    expect(result.code, result.stderr).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Add coupon codes');
    expect(first).toContain(TOOL);
    expect(notFound(w.taskhooksHome).filter((p) => /well-known|register/.test(p))).toEqual([]);
    // Nothing a team commits holds this machine's port, paths or tokens.
    expect(existsSync(path.join(w.dir, '.mcp.json'))).toBe(false);
    const claudeJson = JSON.parse(readFileSync(path.join(w.home, '.claude.json'), 'utf8'));
    expect(claudeJson.projects[w.dir].mcpServers.taskhooks.type).toBe('http');
  });
});

describe('a task the model adds in a session of `taskhooks install`', () => {
  it('with only a title, is in the next session and `tasks list`; the tools take at most 1,500 bytes', async () => {
    const w = world();
    await installWithMonitor(w, { trusted: true });
    const title = 'Refund flow for declined cards';
    const api = await messagesStub([{ tool: TOOL, input: { title } }]);
    cleanups.push(() => api.close());
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), ENABLE_TOOL_SEARCH: 'false' };
    const first = await runClaude(w.dir, env, ['--allowedTools', TOOL]);
    expect(first.code, first.stderr).toBe(0);
    // The tools of the first request that offers any, as Claude Code sends them: the session's three, small.
    const offered = api.requests.find((body) => /"tools":\[\{/.test(body)) ?? '{}';
    const tools = ((JSON.parse(offered) as { tools?: Array<{ name: string }> }).tools ?? []).filter((t) =>
      t.name.startsWith('mcp__taskhooks__'),
    );
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['add_task', 'list_tasks', 'update_task'].map((n) => `mcp__taskhooks__${n}`),
    );
    expect(JSON.stringify(tools).length).toBeLessThanOrEqual(1500);
    // The answer names the project it used: the session's, found by its process.
    expect(api.requests.at(-1)).toContain(`\\"project\\":\\"${path.basename(w.dir)}\\"`);

    const next = await messagesStub([]);
    cleanups.push(() => next.close());
    const second = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, next.url));
    expect(second.code, second.stderr).toBe(0);
    expect(next.requests.find((body) => body.includes('"messages"'))).toContain(title);
    expect((await w.cli(['tasks', 'list'])).stdout).toContain(title);
  });
});

/** Kills the world's monitor as a crash does (no cleanup: its pid file and sockets stay); returns its pid. */
function crash(w: ClaudeWorld): number {
  const { pid } = JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.pid'), 'utf8')) as { pid: number };
  process.kill(pid, 'SIGKILL');
  return pid;
}

const monitorPid = (w: ClaudeWorld): number =>
  (JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.pid'), 'utf8')) as { pid: number }).pid;

/** What the first turn's request must say after a crash: the task, the task tools, and no failed server. */
function expectTaskAndTools(first: string | undefined, w: ClaudeWorld): void {
  expect(first).toContain('Add coupon codes');
  expect(first).toContain(TOOL);
  expect(first).not.toContain('taskhooks (ECONNREFUSED)');
  expect(notFound(w.taskhooksHome).filter((p) => /well-known|register/.test(p))).toEqual([]);
}

describe.each([
  ['never trusted', false],
  ['trusted', true],
] as const)('the first claude -p after the monitor was killed, in a folder %s', (_, trusted) => {
  it('has its task and the task tools of the monitor its SessionStart started, in its first request', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w, { trusted });
    const killed = crash(w);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    // As a person's sessions do: SessionStart starts the monitor again (the tests' worlds otherwise start none).
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), TASKHOOKS_NO_AUTOSTART: '0' };

    const first = await runClaude(w.dir, env);

    expect(first.code, first.stderr).toBe(0);
    expect(monitorPid(w)).not.toBe(killed);
    expectTaskAndTools(
      api.requests.find((body) => body.includes('"messages"')),
      w,
    );
  });
});

describe('three claude -p started together after the monitor was killed', () => {
  it('each has the task tools in its first request, or is told there it has none', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w, { trusted: true });
    crash(w);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), TASKHOOKS_NO_AUTOSTART: '0' };
    const ids = [randomUUID(), randomUUID(), randomUUID()];

    const runs = await Promise.all(ids.map((id) => runClaude(w.dir, env, ['--session-id', id])));

    const firsts = ids.map((id) => api.requests.find((body) => body.includes(id) && body.includes('"messages"')));
    for (const [i, run] of runs.entries()) {
      expect(run.code, run.stderr).toBe(0);
      const first = firsts[i] ?? expect.fail(`session ${i} sent no request`);
      expect(first).toContain('Add coupon codes');
      const told = first.includes('were not ready when this session started');
      expect(first.includes(TOOL) || told, `session ${i} has no task tools and was not told\n${hooksLog(w)}`).toBe(
        true,
      );
    }
  });
});

describe('an interactive session after the monitor was killed', () => {
  it('has its task and the task tools in the request of the prompt typed once it started', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w, { trusted: true });
    // What a person accepted once, beside the folder's trust: onboarding and the API key in the environment.
    const file = path.join(w.home, '.claude.json');
    const accepted = { hasCompletedOnboarding: true, customApiKeyResponses: { approved: ['fake'], rejected: [] } };
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), ...accepted }));
    const killed = crash(w);
    // The model asks ToolSearch for the task tool: the way Claude Code reaches a server's tools by name.
    const api = await messagesStub([{ tool: 'ToolSearch', input: { query: `select:${TOOL}`, max_results: 5 } }]);
    cleanups.push(() => api.close());
    const tmux = inTmux(w, api.url);
    cleanups.push(() => tmux.close());

    // A person types once the session has started and its Claude Code has connected to the task tools (the monitor
    // notes each admitted connection's client socket in tools-clients). The interactive prompt does not wait for
    // SessionStart, and Claude Code may not have marked the server connected yet: the request then names it among the
    // servers still connecting, and ToolSearch waits for it.
    const clients = path.join(w.taskhooksHome, 'tools-clients');
    const connected = () => existsSync(clients) && readFileSync(clients, 'utf8').trim() !== '';
    await vi.waitFor(() => expect(connected() && tmux.screen()).toContain('❯'), {
      timeout: 90_000,
      interval: 100,
    });
    tmux.type('hi');
    const turns = await vi.waitFor(
      () => {
        const bodies = api.requests.filter((body) => body.includes('"messages"'));
        return bodies.length >= 2 ? bodies : expect.fail('no answer of ToolSearch yet');
      },
      { timeout: 90_000, interval: 100 },
    );

    expect(monitorPid(w)).not.toBe(killed);
    const [first = '', second = ''] = turns;
    expect(first).toContain('Add coupon codes');
    expect(first).not.toContain('taskhooks (ECONNREFUSED)');
    const connecting = /MCP servers are still connecting[\s\S]*?:\\ntaskhooks\\n/.test(first);
    expect(
      first.includes(TOOL) || connecting,
      'the first request neither offers the task tools nor waits for them',
    ).toBe(true);
    // ToolSearch found the tool, and the next request carries its schema: the session has the task tools.
    expect(second).toContain(`{"type":"tool_reference","tool_name":"${TOOL}"}`);
    expect(second).toContain(`"name":"${TOOL}","description":"Add a task`);
    expect(notFound(w.taskhooksHome).filter((p) => /well-known|register/.test(p))).toEqual([]);
    tmux.type('/exit');
  });
});

/** Claude Code interactive in a tmux of the world's own, with only the environment a person's shell would give it. */
function inTmux(w: ClaudeWorld, apiUrl: string) {
  const sock = path.join(w.taskhooksHome, 'tmux.sock');
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-S', sock, ...args], { encoding: 'utf8', env: { ...process.env, TMUX: '' } });
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: w.home,
    TMPDIR: process.env.TMPDIR ?? os.tmpdir(),
    TERM: 'xterm-256color',
    TASKHOOKS_HOME: w.taskhooksHome,
    ANTHROPIC_API_KEY: 'fake',
    ANTHROPIC_BASE_URL: apiUrl,
    CLAUDE_CODE_MAX_RETRIES: '0',
    DISABLE_AUTOUPDATER: '1',
  };
  const words = ['env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), CLAUDE];
  tmux('new-session', '-d', '-x', '200', '-y', '50', '-c', w.dir, words.map(shellWord).join(' '));
  const panePid = Number(tmux('display-message', '-p', '#{pane_pid}').trim());
  return {
    screen: () => tmux('capture-pane', '-p'),
    type: (text: string) => {
      tmux('send-keys', '-t', '0', text);
      tmux('send-keys', '-t', '0', 'Enter');
    },
    close: async () => {
      // Claude Code ends after /exit; waited for, so nothing it writes outlives the folder it writes into.
      await vi.waitFor(() => expect(isProcessAlive(panePid)).toBe(false), { timeout: 15_000 }).catch(() => undefined);
      try {
        tmux('kill-server');
      } catch {
        // already gone with its only session
      }
    },
  };
}

const shellWord = (w: string): string => `'${w.replaceAll("'", "'\\''")}'`;
