// The monitor's endpoint in one private place per user, with the real Claude Code CLI: a session in a folder never
// trusted (a person's first `claude -p`, CI, a script) gets its task and the task tools with no OAuth probing, as a
// trusted one does; the first session after the monitor was killed gets its task and, once the monitor is back, its
// tools; and nothing a team commits names this machine's port, paths or tokens.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeEnv, claudeWorld, installWithMonitor, messagesStub, runClaude } from '../helpers/claude.js';
import { ROOMY_DEADLINES } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const world = () => claudeWorld({ hooks: ROOMY_DEADLINES, log: { level: 'debug' } }, cleanups);

/** Every path the monitor's servers were asked for and had no route for (logged at debug). */
function notFound(taskhooksHome: string): string[] {
  const log = path.join(taskhooksHome, 'logs', 'monitor.log');
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"no route"'))
    .map((l) => (JSON.parse(l) as { path?: string }).path ?? '');
}

const TOOL = 'mcp__taskhooks__manage_task';

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

describe('the first session after the monitor was killed', () => {
  it('has its task in the first request, and the task tools once the monitor it started answers', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w, { trusted: false });
    const { pid } = JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.pid'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    // A turn long enough for Claude Code to try the server again once the monitor SessionStart started is up.
    const api = await messagesStub([{ tool: 'Bash', input: { command: 'sleep 4', description: 'wait' } }]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), ['--allowedTools', 'Bash']);

    expect(result.code, result.stderr).toBe(0);
    const turns = api.requests.filter((body) => body.includes('"messages"'));
    expect(turns[0]).toContain('Add coupon codes');
    expect(turns.at(-1)).toContain(TOOL);
    const restarted = JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.pid'), 'utf8')) as { pid: number };
    expect(restarted.pid).not.toBe(pid);
  });
});
