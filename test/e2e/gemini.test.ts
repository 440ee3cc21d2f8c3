// The real Gemini CLI with the hooks `taskhooks install --agent gemini` writes (the project's .gemini/settings.json,
// read in a trusted folder), the model stood in on loopback: the pending task reaches its first request, a critical
// task added during a tool call reaches the next request of the same turn, the reminder of the task in progress
// arrives with the edit's result (Gemini CLI's model never reads context given before a tool), and a push to a
// protected branch is denied before it runs, with the reason in the tool's result.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { generateStub, geminiHome, runGemini, type GeminiStep } from '../helpers/gemini.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, ROOMY_DEADLINES, ROOT, writeConfig } from '../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const inJson = (text: string): string => JSON.stringify(text).slice(1, -1);

async function world(config: Record<string, unknown> = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-gemini-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  const taskhooksHome = path.join(tmp, 'taskhooks');
  writeConfig(taskhooksHome, { hooks: { ...ROOMY_DEADLINES, ...config } });
  const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const env = { ...hookEnv(taskhooksHome), HOME: home, NO_COLOR: '1' };
  const cli = (args: string[]) => promisify(execFile)(process.execPath, [CLI, ...args], { cwd: repo.dir, env });
  await cli(['install', '--agent', 'gemini']);
  geminiHome(home, [repo.dir]);
  const add = async (title: string, ...more: string[]): Promise<string> =>
    (JSON.parse((await cli(['tasks', 'add', title, ...more, '--json'])).stdout) as { id: string }).id;
  const turn = async (steps: GeminiStep[]) => {
    const api = await generateStub(steps);
    cleanups.push(() => api.close());
    return { api, run: runGemini(repo.dir, env, api.url) };
  };
  return { home, dir: repo.dir, cli, add, turn };
}

/** The function responses of a request, as the model reads them. */
function toolResults(body: string): string[] {
  const { contents } = JSON.parse(body) as { contents: Array<{ parts: Array<{ functionResponse?: unknown }> }> };
  return contents.flatMap((c) =>
    c.parts.filter((p) => p.functionResponse).map((p) => JSON.stringify(p.functionResponse)),
  );
}

describe('Gemini CLI hears the tasks', () => {
  it('the pending task reaches the first request, from SessionStart', async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    const { api, run } = await w.turn([]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(api.requests[0]).toContain(inJson(`Next recommended task: ${id} "Fix the checkout total"`));
  });

  it('a critical task added while a tool call runs reaches the next request of the same turn, with its result', async () => {
    const w = await world();
    await w.add('Fix the checkout total');
    const started = path.join(w.home, 'tool-started');
    const added = path.join(w.home, 'task-added');
    // A script of its own: Gemini CLI's shell tool refuses a command with a substitution in it.
    const script = path.join(w.home, 'wait.sh');
    writeFileSync(script, `touch '${started}'\nfor i in $(seq 300); do [ -e '${added}' ] && break; sleep 0.2; done\n`);
    const { api, run } = await w.turn([{ tool: 'run_shell_command', args: { command: `sh '${script}'` } }]);
    while (!existsSync(started)) await new Promise((r) => setTimeout(r, 50));
    const id = await w.add('Checkout is down', '--priority', 'critical');
    writeFileSync(added, id);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const news = inJson(`New critical task on branch main: ${id} (Checkout is down).`);
    expect(api.requests).toHaveLength(2);
    expect(api.requests[0]).not.toContain(news);
    expect(toolResults(api.requests[1] ?? '').join('\n')).toContain(news);
  });

  it('the reminder of the task in progress arrives with the edit’s result, before the next step', async () => {
    const w = await world();
    const id = await w.add('Fix the checkout total');
    await w.cli(['tasks', 'start', id]);
    const { api, run } = await w.turn([{ tool: 'write_file', args: { file_path: 'notes.txt', content: 'hello\n' } }]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(path.join(w.dir, 'notes.txt'))).toBe(true);
    const results = toolResults(api.requests.at(-1) ?? '');
    expect(results).toHaveLength(1);
    expect(results[0]).toContain(inJson(`Task in progress on branch main: ${id}`));
  });

  it('a push to a protected branch is denied before it runs, and the model reads why', async () => {
    const w = await world({ guards: { protectedBranches: ['main'] } });
    const marker = path.join(w.home, 'pushed');
    const { api, run } = await w.turn([
      { tool: 'run_shell_command', args: { command: `git push origin main; touch '${marker}'` } },
    ]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const result = toolResults(api.requests.at(-1) ?? '').join('\n');
    expect(result).toContain('Tool execution blocked');
    expect(result).toContain('main');
  });
});
