// A person's month with the real Claude Code, both routes from the repository's git URL: the earlier release's plugin
// (the commit before the plugin's tasks left its data folder) adds a task, which gets a note; the plugin is updated
// to this release while the earlier release's monitor runs; it is uninstalled as Claude Code does it (its data folder
// deleted) and installed again; then `taskhooks install` takes over and is uninstalled. The task and its note are
// there at every step, and the one-time move is told once.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAUDE, claudeEnv, messagesStub, runClaude, startContexts } from '../helpers/claude.js';
import { describeRun, runBuiltCli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';
import { bumpedVersion, serveGitRepo, setVersion, type GitServer } from '../helpers/git-http.js';
import { ROOT } from '../helpers/hooks.js';
import { nodeBinary } from '../helpers/node-versions.js';
import { pidAlive } from '../helpers/pid.js';
import { removeTree } from '../helpers/remove-tree.js';

const TOOL = (name: string) => `mcp__plugin_taskhooks_taskhooks__${name}`;
const TITLE = 'Keep the tasks for a month';
const NOTE = 'the cookie domain was the cause';

const cleanups: Array<() => unknown> = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-month-'));
const home = path.join(tmp, 'home');
const taskhooksHome = path.join(home, '.taskhooks');
const pluginData = path.join(home, '.claude', 'plugins', 'data');
let git: GitServer;

/** The newest commit whose plugin kept its state in Claude Code's data folder of the plugin: the earlier release. */
function earlierRelease(): string {
  const moved = execFileSync(
    'git',
    ['log', '-n1', '--format=%H', '-S|| env.CLAUDE_PLUGIN_DATA', '--', 'src/home/dir.ts'],
    { cwd: ROOT, encoding: 'utf8' },
  ).trim();
  if (!moved) throw new Error('no commit moved the state directory out of the plugin data folder: history missing');
  return execFileSync('git', ['rev-parse', `${moved}^`], { cwd: ROOT, encoding: 'utf8' }).trim();
}

/** A person's environment: no TASKHOOKS_HOME, monitors started as sessions start them, Node 22 first on PATH. */
function personEnv(apiUrl = 'http://127.0.0.1:9'): NodeJS.ProcessEnv {
  const env = claudeEnv(home, '', apiUrl);
  delete env.TASKHOOKS_HOME;
  delete env.TASKHOOKS_NO_AUTOSTART;
  return {
    ...env,
    PATH: `${path.dirname(nodeBinary(22).node)}${path.delimiter}${process.env.PATH}`,
    TMPDIR: path.join(tmp, 'tmp'),
    NO_COLOR: '1',
    ENABLE_TOOL_SEARCH: 'false',
  };
}

/** `claude ARGS` without blocking: the git server it clones from answers in this process. */
function claude(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(CLAUDE, args, { cwd: tmp, env: personEnv(), timeout: 180_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`claude ${args.join(' ')}: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end();
  });
}

/** A session in `dir` against a stand-in model taking `steps`; the contexts of its start, read from a fresh record. */
async function session(dir: string, steps: Array<{ tool: string; input: Record<string, unknown> }> = []) {
  rmSync(path.join(home, '.claude', 'projects'), { recursive: true, force: true });
  const api = await messagesStub(steps);
  cleanups.push(() => api.close());
  const allow = steps.length > 0 ? ['--allowedTools', steps.map((s) => s.tool).join(',')] : [];
  const run = await runClaude(dir, personEnv(api.url), allow);
  expect(run.code, run.stderr).toBe(0);
  return startContexts(home).join('\n');
}

/** The monitor of a state directory, while one runs there. */
function monitorOf(dir: string): { pid: number; codeRoot?: string } | undefined {
  const file = path.join(dir, 'monitor.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; codeRoot?: string }) : undefined;
}

const dataFolders = () => (existsSync(pluginData) ? readdirSync(pluginData).map((n) => path.join(pluginData, n)) : []);

const taskhooks = (dir: string, args: string[]) => runBuiltCli(args, { cwd: dir, env: personEnv() });

beforeAll(async () => {
  mkdirSync(home);
  mkdirSync(path.join(tmp, 'tmp'));
  git = await serveGitRepo(ROOT, earlierRelease());
  cleanups.push(() => git.close());
  // Every monitor left, stopped before the world goes: the state directory's, and any a plugin data folder holds.
  cleanups.push(async () => {
    for (const h of [taskhooksHome, ...dataFolders()].filter((h) => existsSync(path.join(h, 'monitor.pid'))))
      await runBuiltCli(['monitor', 'stop'], { cwd: tmp, env: { ...personEnv(), TASKHOOKS_HOME: h } });
  });
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await removeTree(tmp);
});

describe("a person's month on both routes", () => {
  it('keeps a task and its note through a plugin update, uninstall and reinstall, and hands them to `taskhooks install`', async () => {
    const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
    cleanups.push(repo.cleanup);

    // The earlier release's plugin: its task, and a note through its own CLI, land in its data folder.
    await claude(['plugin', 'marketplace', 'add', git.url]);
    await claude(['plugin', 'install', 'taskhooks@taskhooks']);
    await session(repo.dir, [{ tool: TOOL('add_task'), input: { title: TITLE } }]);
    const [data] = dataFolders();
    expect(data && existsSync(path.join(data, 'tasks.db'))).toBe(true);
    const oldMonitor = monitorOf(data as string);
    expect(oldMonitor && pidAlive(oldMonitor.pid)).toBe(true);
    const oldCli = path.join(oldMonitor?.codeRoot as string, 'dist', 'cli.js');
    // As the earlier release's docs said to run it with no `taskhooks` on PATH.
    execFileSync(nodeBinary(22).node, [oldCli, 'tasks', 'note', 'TASK-001', NOTE], {
      cwd: repo.dir,
      env: { ...personEnv(), TASKHOOKS_HOME: data },
      stdio: 'pipe',
    });

    // This release, updated to as Claude Code does it, the earlier release's monitor still running: the next session
    // has the task, and the new monitor moves the store into the state directory once, saying where it went.
    git.release((dir) => {
      execFileSync('git', ['fetch', '--quiet', ROOT, 'HEAD'], { cwd: dir });
      execFileSync('git', ['reset', '--quiet', '--hard', 'FETCH_HEAD'], { cwd: dir });
      setVersion(dir, bumpedVersion(dir));
    }, 'release: this one');
    await claude(['plugin', 'marketplace', 'update', 'taskhooks']);
    await claude(['plugin', 'update', 'taskhooks@taskhooks']);
    const updated = await session(repo.dir);
    expect(updated).toContain(`"${TITLE}"`);
    await expect.poll(() => existsSync(path.join(taskhooksHome, 'tasks.db')), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => pidAlive(oldMonitor?.pid as number), { timeout: 30_000 }).toBe(false);

    // Uninstalled without --keep-data: Claude Code deletes the data folder, and the tasks are elsewhere.
    await expect.poll(() => monitorOf(taskhooksHome), { timeout: 30_000 }).toBeDefined();
    const running = monitorOf(taskhooksHome);
    await claude(['plugin', 'uninstall', 'taskhooks@taskhooks']);
    expect(dataFolders()).toEqual([]);
    await expect.poll(() => pidAlive(running?.pid as number), { timeout: 30_000 }).toBe(false);

    // Installed again: the next session starts with the task, and is told of no move again.
    await claude(['plugin', 'install', 'taskhooks@taskhooks']);
    const reinstalled = await session(repo.dir);
    expect(reinstalled).toContain(`"${TITLE}"`);
    // The move told once, to the session after it.
    const told = `${updated}\n${reinstalled}`.split('\n').filter((l) => l.includes('moved your task store'));
    expect(told).toEqual([expect.stringContaining(`(1 task) from ${path.join(data as string, 'tasks.db')}`)]);

    // The other route: the plugin removed, `taskhooks install` lists the task with its note, and keeps them once
    // uninstalled in turn.
    await claude(['plugin', 'uninstall', 'taskhooks@taskhooks']);
    const installed = await taskhooks(repo.dir, ['install']);
    expect(installed.code, describeRun(installed)).toBe(0);
    const listed = await taskhooks(repo.dir, ['tasks', 'list', '--json']);
    expect(listed.code, describeRun(listed)).toBe(0);
    expect((JSON.parse(listed.stdout) as { tasks: Array<{ title: string }> }).tasks.map((t) => t.title)).toEqual([
      TITLE,
    ]);
    const uninstalled = await taskhooks(repo.dir, ['uninstall']);
    expect(uninstalled.code, describeRun(uninstalled)).toBe(0);
    const shown = await taskhooks(repo.dir, ['tasks', 'show', 'TASK-001']);
    expect(shown.code, describeRun(shown)).toBe(0);
    expect(shown.stdout).toContain(TITLE);
    expect(shown.stdout).toContain(NOTE);
  }, 900_000);
});
