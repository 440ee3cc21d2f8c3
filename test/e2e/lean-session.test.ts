// The real Claude Code CLI with taskhooks wired through either route — `taskhooks install` (settings and .mcp.json)
// and the plugin (hooks/hooks.json and the manifest's server) — the model stood in on loopback: a tool call reaches
// taskhooks through an `mcp_tool` hook served by `taskhooks mcp`, with no process of its own, and nothing is lost.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeEnv, hookAttachments, hookRecord, messagesStub, runClaude } from '../helpers/claude.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, ROOMY_DEADLINES, ROOT, writeConfig } from '../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A temp HOME, TASKHOOKS_HOME (embedded source, roomy deadlines, a protected main) and git project `shop`. */
function world(): {
  home: string;
  taskhooksHome: string;
  dir: string;
  cli(args: string[]): Promise<{ stdout: string }>;
} {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-lean-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  const taskhooksHome = path.join(tmp, 'taskhooks');
  writeConfig(taskhooksHome, { hooks: { ...ROOMY_DEADLINES, guards: { protectedBranches: ['main'] } } });
  const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd: repo.dir,
      env: { ...hookEnv(taskhooksHome), HOME: home, NO_COLOR: '1' },
    });
  return { home, taskhooksHome, dir: repo.dir, cli };
}

const ROUTES = {
  install: { server: 'taskhooks', args: [] as string[] },
  plugin: { server: 'plugin:taskhooks:taskhooks', args: ['--plugin-dir', ROOT] },
};

/** What each route needs before a session: install writes the project's files; the plugin comes with the session. */
async function wire(w: ReturnType<typeof world>, route: keyof typeof ROUTES): Promise<void> {
  if (route === 'install') await w.cli(['install']);
}

describe.each(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)('the %s route', (route) => {
  it('puts the task in the first request, and serves every tool call through the MCP tool, the push guard included', async () => {
    const w = world();
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await wire(w, route);
    const file = path.join(w.dir, 'notes.txt');
    const api = await messagesStub([
      { tool: 'Bash', input: { command: 'true', description: 'nothing' } },
      { tool: 'Write', input: { file_path: file, content: 'x' } },
      // The guard reads the whole command: a name spelled with an escape is still git.
      { tool: 'Bash', input: { command: "$'\\x67it' push origin main", description: 'push' } },
    ]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url), [
      '--allowedTools',
      'Bash,Write',
      ...ROUTES[route].args,
    ]);

    expect(result.code).toBe(0);
    const first = api.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Next recommended task: TASK-001 \\"Add coupon codes\\"');
    const records = hookAttachments(w.home);
    expect(records.filter((r) => r.type !== 'hook_success' && r.type !== 'hook_additional_context')).toEqual([]);
    const ranBy = (event: string) =>
      records.filter((r) => r.type === 'hook_success' && r.hookEvent === event).map((r) => r.command);
    const tool = `${ROUTES[route].server}/hook`;
    // The refused call leaves no success record: its refusal is the tool's result.
    expect(ranBy('PreToolUse')).toEqual([tool, tool]);
    expect(ranBy('PostToolUse')).toEqual([tool, tool]);
    expect(ranBy('PostToolBatch')).toEqual([tool, tool, tool]);
    expect(api.requests.at(-1)).toContain(
      'PreToolUse:Bash hook error: git push to branch main is refused: \\"main\\" is in hooks.guards.protectedBranches',
    );
    expect(existsSync(file)).toBe(true);
  });
});
