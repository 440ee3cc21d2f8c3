// The monitor's endpoint in one private place per user, with the real Claude Code CLI: a session in a folder never
// trusted (a person's first `claude -p`, CI, a script) gets its task and the task tools with no OAuth probing, as a
// trusted one does; the first session after the monitor was killed gets its task (its tools come with the next one,
// since Claude Code tries the server before SessionStart has started the monitor); and nothing a team commits names this machine's port, paths or tokens.
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
  it('has its task in the first request, and the next session the task tools of the monitor it started', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w, { trusted: false });
    const { pid } = JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.pid'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    // As a person's sessions do: SessionStart starts the monitor again (the tests' worlds otherwise start none).
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), TASKHOOKS_NO_AUTOSTART: '0' };

    const first = await runClaude(w.dir, env);

    expect(first.code, first.stderr).toBe(0);
    const turns = () => api.requests.filter((body) => body.includes('"messages"'));
    expect(turns()[0]).toContain('Add coupon codes');
    // Claude Code tried the server before SessionStart had started the monitor again, and says so to the model.
    expect(turns()[0]).toContain('taskhooks (ECONNREFUSED)');
    const restarted = JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.pid'), 'utf8')) as { pid: number };
    expect(restarted.pid).not.toBe(pid);

    const second = await runClaude(w.dir, env);
    expect(second.code, second.stderr).toBe(0);
    expect(turns().at(-1)).toContain(TOOL);
  });
});
