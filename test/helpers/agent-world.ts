// What the e2e tests of another agent (Codex, Gemini CLI) share: a temp HOME and TASKHOOKS_HOME (embedded store, roomy
// deadlines), a git project `shop` with taskhooks installed for that agent, the CLI run there, and a tool call that
// lasts until the test has made its change.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { makeRepo } from './git.js';
import { removeTree } from './remove-tree.js';
import { hookEnv, ROOMY_DEADLINES, ROOT, writeConfig } from './hooks.js';

export const CLI = path.join(ROOT, 'dist', 'cli.js');

/** What a headless agent turn left: its exit code (null when it was killed), its stdout and stderr. */
export interface CliTurn {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One headless turn of an agent CLI that runs on node: nothing on its stdin, killed after two minutes. */
export function runNodeCli(
  entry: string,
  args: string[],
  o: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<CliTurn> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [entry, ...args],
      { cwd: o.cwd, env: o.env, timeout: 120_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** As a JSON request body holds it. */
export const inJson = (text: string): string => JSON.stringify(text).slice(1, -1);

export interface AgentWorld {
  tmp: string;
  home: string;
  taskhooksHome: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  cli(args: string[], cwd?: string): Promise<{ stdout: string }>;
  /** Adds a task with the CLI; its id. */
  add(title: string, ...more: string[]): Promise<string>;
}

/** The agents whose task tools install points at the monitor's store server. */
const SERVED_TOOLS = ['codex', 'gemini', 'qwen', 'copilot', 'opencode'];

/** The world, taskhooks installed with `install --agent <agent>`; what it made goes with `cleanups`. */
export async function agentWorld(
  agent: string,
  cleanups: Array<() => unknown>,
  o: { hooks?: Record<string, unknown>; env?: Record<string, string>; monitor?: boolean } = {},
): Promise<AgentWorld> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `th-e2e-${agent}-`));
  cleanups.push(() => removeTree(tmp));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  const taskhooksHome = path.join(tmp, 'taskhooks');
  writeConfig(taskhooksHome, { hooks: { ...ROOMY_DEADLINES, ...o.hooks } });
  const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const env = { ...hookEnv(taskhooksHome), HOME: home, NO_COLOR: '1', ...o.env };
  const cli = (args: string[], cwd = repo.dir) => promisify(execFile)(process.execPath, [CLI, ...args], { cwd, env });
  // These agents' task tools are the monitor's store server, and their hooks hand their input to the monitor first:
  // started before install, as install starts it (the world's CLI starts none by itself, as TASKHOOKS_NO_AUTOSTART
  // says), and stopped before the folder goes, so it writes nothing there.
  const stopMonitor = () =>
    existsSync(path.join(taskhooksHome, 'monitor.pid')) ? cli(['monitor', 'stop']) : undefined;
  if (o.monitor || (o.monitor === undefined && SERVED_TOOLS.includes(agent))) {
    cleanups.push(stopMonitor);
    await cli(['monitor', 'start']);
  }
  await cli(['install', '--agent', agent]);
  // `monitor: false`: the node hooks answer, as after a crash.
  if (o.monitor === false) await stopMonitor();
  const add = async (title: string, ...more: string[]): Promise<string> =>
    (JSON.parse((await cli(['tasks', 'add', title, ...more, '--json'])).stdout) as { id: string }).id;
  return { tmp, home, taskhooksHome, dir: repo.dir, env, cli, add };
}

/**
 * A shell script for a tool call that says when it runs and lasts until `release()` (at most a minute): however slow
 * the machine, a change the test makes meanwhile lands while it runs. A script file, since Gemini CLI's shell tool
 * refuses a command with a substitution in it.
 */
export function heldToolCall(
  dir: string,
  name: string,
): { command: string; running(): Promise<void>; release(): void } {
  const started = path.join(dir, `${name}-started`);
  const released = path.join(dir, `${name}-released`);
  const script = path.join(dir, `${name}.sh`);
  writeFileSync(script, `touch '${started}'\nfor i in $(seq 300); do [ -e '${released}' ] && break; sleep 0.2; done\n`);
  return {
    command: `sh '${script}'`,
    async running() {
      while (!existsSync(started)) await new Promise((r) => setTimeout(r, 50));
    },
    release: () => writeFileSync(released, ''),
  };
}

/** One turn of the agent against its stand-in: the request bodies, and the run. */
export interface AgentTurn {
  api: { requests: string[] };
  run: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Whether the task tools' entry in an agent's user file reaches the monitor's store server with the world's store
 * token (and so no `taskhooks mcp` is spawned for them).
 */
export function servedToolsEntry(w: AgentWorld, entry: unknown): boolean {
  const token = readFileSync(path.join(w.taskhooksHome, 'store-token'), 'utf8').trim();
  const e = (entry ?? {}) as Record<string, Record<string, unknown> | string | undefined>;
  const url = e.url ?? e.httpUrl;
  const headers = (e.headers ?? e.http_headers) as Record<string, unknown> | undefined;
  return (
    typeof url === 'string' &&
    /^http:\/\/127\.0\.0\.1:\d+\/mcp$/.test(url) &&
    headers?.Authorization === `Bearer ${token}` &&
    e.command === undefined
  );
}

/** The same of `mcpServers.taskhooks` in the user's own JSON `file` (relative to the world's HOME). */
export function servedFrom(w: AgentWorld, file: string): boolean {
  const { mcpServers } = JSON.parse(readFileSync(path.join(w.home, file), 'utf8')) as {
    mcpServers?: Record<string, unknown>;
  };
  return servedToolsEntry(w, mcpServers?.taskhooks);
}

/** A pending task, a turn with no tool call: the first request, which should carry it, and the task's id. */
export async function pendingTaskTurn(w: AgentWorld, turn: () => Promise<AgentTurn>) {
  const id = await w.add('Fix the checkout total');
  const { api, run } = await turn();
  const r = await run;
  if (r.code !== 0) throw new Error(`the agent exited ${r.code}: ${r.stderr}`);
  return { first: api.requests[0] ?? '', next: inJson(`Next recommended task: ${id} "Fix the checkout total"`) };
}

/**
 * A turn whose one tool call (a shell `command`) runs while a critical task is added: the requests, and the news as a
 * request body holds it.
 */
export async function criticalDuringToolTurn(w: AgentWorld, turn: (command: string) => Promise<AgentTurn>) {
  await w.add('Fix the checkout total');
  const tool = heldToolCall(w.home, 'build');
  const { api, run } = await turn(tool.command);
  await tool.running();
  const id = await w.add('Checkout is down', '--priority', 'critical');
  tool.release();
  const r = await run;
  if (r.code !== 0) throw new Error(`the agent exited ${r.code}: ${r.stderr}`);
  return { requests: api.requests, news: inJson(`New critical task on branch main: ${id} (Checkout is down).`) };
}

/** Two tasks, and a second worktree of the project on `branch` with taskhooks installed for Claude Code. */
export async function twoWorktrees(w: AgentWorld, branch: string) {
  const first = await w.add('Fix the checkout total', '--priority', 'high');
  const second = await w.add('Add coupons');
  const other = path.join(w.tmp, `shop-${branch}`);
  execFileSync('git', ['-C', w.dir, 'worktree', 'add', '-q', '-b', branch, other]);
  await w.cli(['install', '--scope', 'project'], other);
  return { first, second, other };
}

/** What a call refused by `hooks.guards.protectedPaths: ['secrets/**']` reads as its result, as a request body holds it. */
export const PROTECTED_SECRETS = 'is protected by the rule \\"secrets/**\\" in hooks.guards.protectedPaths';

/**
 * A turn whose one call is refused before it runs: the agent exits 0, `made` was not made, and the last request's
 * view of the call's result (`result`) names `why`. Its first request, which carries what SessionStart said.
 */
export async function refusedCall(
  t: AgentTurn,
  made: string,
  result: (lastRequest: string) => string,
  why: string,
): Promise<string> {
  const r = await t.run;
  expect(r.code, r.stderr).toBe(0);
  expect(existsSync(made)).toBe(false);
  expect(result(t.api.requests.at(-1) ?? '')).toContain(why);
  return t.api.requests[0] ?? '';
}

/** With the monitor stopped, a pending task and then `refused` (a turn like refusedCall's): the task is in its first request. */
export async function pendingBeforeRefusal(w: AgentWorld, refused: () => Promise<string>): Promise<void> {
  const id = await w.add('Fix the checkout total');
  expect(await refused()).toContain(inJson(`Next recommended task: ${id} "Fix the checkout total"`));
}
