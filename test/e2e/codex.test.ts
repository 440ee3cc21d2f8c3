// The real Codex CLI with the hooks `taskhooks install --agent codex` writes, the model stood in on loopback: the
// pending task reaches its first request, a critical task added during a tool call reaches the next request of the
// same turn, the edit reminder reaches it before an edit, and a Claude Code session in another worktree of the
// project hears that a Codex session holds a task, and is told a different next one.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeEnv, messagesStub, runClaude } from '../helpers/claude.js';
import { codexHome, responsesStub, runCodex } from '../helpers/codex.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, ROOMY_DEADLINES, ROOT, writeConfig } from '../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** As a JSON request body holds it. */
const inJson = (text: string): string => JSON.stringify(text).slice(1, -1);

/** A temp HOME and TASKHOOKS_HOME, a project `shop`, taskhooks installed for Codex there. */
async function world() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-codex-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  const taskhooksHome = path.join(tmp, 'taskhooks');
  writeConfig(taskhooksHome, { hooks: ROOMY_DEADLINES });
  const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const env = { ...hookEnv(taskhooksHome), HOME: home, NO_COLOR: '1', CODEX_HOME: path.join(tmp, 'codex') };
  const cli = (args: string[], cwd = repo.dir) => promisify(execFile)(process.execPath, [CLI, ...args], { cwd, env });
  await cli(['install', '--agent', 'codex']);
  const add = async (title: string, ...more: string[]): Promise<string> =>
    (JSON.parse((await cli(['tasks', 'add', title, ...more, '--json'])).stdout) as { id: string }).id;
  return { tmp, home, taskhooksHome, dir: repo.dir, env, cli, add };
}

describe('Codex hears the tasks', () => {
  it('the pending task reaches the first request, from SessionStart', async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    const api = await responsesStub([]);
    cleanups.push(() => api.close());
    codexHome(w.env.CODEX_HOME, api.url, [w.dir]);
    const r = await runCodex(w.dir, w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]).toContain(inJson(`Next recommended task: ${id} "Fix the checkout total"`));
  });

  it('a critical task added while a tool call runs reaches the next request of the same turn', async () => {
    const w = await world();
    await w.add('Fix the checkout total');
    const started = path.join(w.home, 'tool-started');
    const added = path.join(w.home, 'task-added');
    const shell = `touch '${started}'; for i in $(seq 300); do [ -e '${added}' ] && break; sleep 0.2; done`;
    const api = await responsesStub([{ shell }]);
    cleanups.push(() => api.close());
    codexHome(w.env.CODEX_HOME, api.url, [w.dir]);
    const turn = runCodex(w.dir, w.env);
    while (!existsSync(started)) await new Promise((r) => setTimeout(r, 50));
    const id = await w.add('Checkout is down', '--priority', 'critical');
    writeFileSync(added, id);
    const r = await turn;
    expect(r.code, r.stderr).toBe(0);
    const news = inJson(`New critical task on branch main: ${id} (Checkout is down).`);
    const afterTool = api.requests.filter((b) => b.includes('"function_call_output"'));
    expect(afterTool.length).toBeGreaterThan(0);
    expect(afterTool[0]).toContain(news);
    expect(api.requests.filter((b) => !b.includes('"function_call_output"')).join('\n')).not.toContain(news);
  });

  it('the reminder of the task in progress reaches the model before its patch is applied', async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    await w.cli(['tasks', 'start', id]);
    const patch = '*** Begin Patch\n*** Add File: notes.txt\n+hello\n*** End Patch\n';
    const api = await responsesStub([{ patch }]);
    cleanups.push(() => api.close());
    codexHome(w.env.CODEX_HOME, api.url, [w.dir]);
    const r = await runCodex(w.dir, w.env);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.dir, 'notes.txt'))).toBe(true);
    const last = JSON.parse(api.requests.at(-1) ?? '{}') as { input: Array<Record<string, unknown>> };
    const items = last.input.map((i) => JSON.stringify(i));
    const reminder = items.findIndex((i) => i.includes(`Task in progress on branch main: ${id}`));
    const output = items.findIndex((i) => i.includes('"custom_tool_call_output"'));
    expect(reminder).toBeGreaterThan(-1);
    // Codex puts what PreToolUse said between the call and its output: it was told before the patch ran.
    expect(reminder).toBeLessThan(output);
  });
});

describe('Codex and Claude Code in two worktrees of one project', () => {
  it("each sees the other's claim and is told a different next task", async () => {
    const w = await world();
    const first = await w.add('Fix the checkout total', '--priority', 'high');
    const second = await w.add('Add coupons');
    const other = path.join(w.tmp, 'shop-coupons');
    execFileSync('git', ['-C', w.dir, 'worktree', 'add', '-q', '-b', 'coupons', other]);
    await w.cli(['install', '--scope', 'project'], other);
    // Codex starts the first task from its shell, then waits while Claude Code starts in the other worktree.
    const claudeDone = path.join(w.home, 'claude-done');
    const holding = path.join(w.home, 'codex-holds');
    const api = await responsesStub([
      { shell: `node '${CLI}' tasks start ${first} && touch '${holding}'` },
      { shell: `for i in $(seq 600); do [ -e '${claudeDone}' ] && break; sleep 0.2; done` },
    ]);
    cleanups.push(() => api.close());
    codexHome(w.env.CODEX_HOME, api.url, [w.dir]);
    const codex = runCodex(w.dir, w.env);
    while (!existsSync(holding)) await new Promise((r) => setTimeout(r, 50));

    const sessions = JSON.parse((await w.cli(['sessions', '--json'])).stdout) as {
      sessions: Array<{ agent?: string; claims: string[] }>;
    };
    expect(sessions.sessions).toEqual([expect.objectContaining({ agent: 'codex', claims: [first] })]);

    const claudeApi = await messagesStub([]);
    cleanups.push(() => claudeApi.close());
    const claude = await runClaude(other, claudeEnv(w.home, w.taskhooksHome, claudeApi.url));
    writeFileSync(claudeDone, '');
    expect(claude.code, claude.stderr).toBe(0);
    const told = claudeApi.requests.join('\n');
    expect(told).toContain(
      inJson(`${first} is in progress in a Codex session: worktree ${path.relative(other, w.dir)}`),
    );
    expect(told).toContain(inJson(`Next recommended task: ${second} "Add coupons"`));

    const r = await codex;
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]).toContain(inJson(`Next recommended task: ${first} "Fix the checkout total"`));
  });

  it('Codex hears that a Claude Code session holds a task, and is told the next one', async () => {
    const w = await world();
    const first = await w.add('Fix the checkout total', '--priority', 'high');
    const second = await w.add('Add coupons');
    const other = path.join(w.tmp, 'shop-checkout');
    execFileSync('git', ['-C', w.dir, 'worktree', 'add', '-q', '-b', 'checkout', other]);
    await w.cli(['install', '--scope', 'project'], other);
    const codexDone = path.join(w.home, 'codex-done');
    const holding = path.join(w.home, 'claude-holds');
    const claudeApi = await messagesStub([
      { tool: 'Bash', input: { command: `node '${CLI}' tasks start ${first} && touch '${holding}'` } },
      { tool: 'Bash', input: { command: `for i in $(seq 600); do [ -e '${codexDone}' ] && break; sleep 0.2; done` } },
    ]);
    cleanups.push(() => claudeApi.close());
    const claude = runClaude(other, claudeEnv(w.home, w.taskhooksHome, claudeApi.url), ['--allowedTools', 'Bash']);
    while (!existsSync(holding)) await new Promise((r) => setTimeout(r, 50));

    const api = await responsesStub([]);
    cleanups.push(() => api.close());
    codexHome(w.env.CODEX_HOME, api.url, [w.dir]);
    const r = await runCodex(w.dir, w.env);
    writeFileSync(codexDone, '');
    expect(r.code, r.stderr).toBe(0);
    const told = api.requests[0] ?? '';
    expect(told).toContain(
      inJson(`${first} is in progress in a Claude Code session: worktree ${path.relative(w.dir, other)}`),
    );
    expect(told).toContain(inJson(`Next recommended task: ${second} "Add coupons"`));
    expect((await claude).code).toBe(0);
  });
});
