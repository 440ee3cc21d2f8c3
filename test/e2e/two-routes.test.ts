// Both routes into one project, with the real Claude Code: `taskhooks install` ran (its monitor up in ~/.taskhooks),
// then the plugin was installed from its git URL and enabled. Install's SessionStart finds the plugin beside its hooks:
// the session goes on to its first request, and the model is told "two routes: remove one".
// And with the plugin enabled, `taskhooks install` refuses in one line and writes nothing.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree } from '../helpers/remove-tree.js';
import { CLAUDE, claudeEnv, hookRecord, messagesStub, runClaude, trustFolder } from '../helpers/claude.js';
import { describeRun, runBuiltCli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';
import { serveGitRepo, type GitServer } from '../helpers/git-http.js';
import { nodeBinary } from '../helpers/node-versions.js';
import { pidAlive } from '../helpers/pid.js';
import { namesIn } from '../../src/util/dir.js';

const cleanups: Array<() => unknown> = [];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-two-routes-'));
const home = path.join(tmp, 'home');
/** Claude Code's data folder of each plugin: an earlier taskhooks release kept its state there. */
const pluginData = path.join(home, '.claude', 'plugins', 'data');
let git: GitServer;

/**
 * A person's environment: no TASKHOOKS_HOME (both routes' state goes to ~/.taskhooks),
 * monitors started as sessions start them, and Node 22 first on PATH, as the plugin's hooks need its SQLite.
 */
function personEnv(apiUrl = 'http://127.0.0.1:9'): NodeJS.ProcessEnv {
  const env = claudeEnv(home, '', apiUrl);
  delete env.TASKHOOKS_HOME;
  delete env.TASKHOOKS_NO_AUTOSTART;
  return {
    ...env,
    PATH: `${path.dirname(nodeBinary(22).node)}${path.delimiter}${process.env.PATH}`,
    TMPDIR: path.join(tmp, 'tmp'),
    NO_COLOR: '1',
  };
}

/** `claude ARGS` without blocking: the git server it clones from answers in this process. */
function claude(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(CLAUDE, args, { cwd: tmp, env: personEnv(), timeout: 180_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ status, output: `${stdout}\n${stderr}` });
    });
    child.stdin?.end();
  });
}

const taskhooks = (dir: string, args: string[]) => runBuiltCli(args, { cwd: dir, env: personEnv() });

/** The plugin, installed from its git URL and enabled (in the user's settings, as `claude plugin install` does). */
async function installPlugin(): Promise<void> {
  for (const args of [
    ['plugin', 'marketplace', 'add', git.url],
    ['plugin', 'install', 'taskhooks@taskhooks'],
  ]) {
    const r = await claude(args);
    expect(r.status, r.output).toBe(0);
  }
}

beforeAll(async () => {
  mkdirSync(home);
  mkdirSync(path.join(tmp, 'tmp'));
  git = await serveGitRepo();
  cleanups.push(() => git.close());
  // Every monitor either route started, stopped before the world goes: install's, then each plugin data folder's.
  cleanups.push(async () => {
    const homes = [path.join(home, '.taskhooks'), ...namesIn(pluginData).map((n) => path.join(pluginData, n))];
    for (const h of homes.filter((h) => existsSync(path.join(h, 'monitor.pid'))))
      await runBuiltCli(['monitor', 'stop'], { cwd: tmp, env: { ...personEnv(), TASKHOOKS_HOME: h } });
  });
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await removeTree(tmp);
});

describe('the plugin and `taskhooks install` in one project', () => {
  it('a session goes on to its first request and the model is told "two routes: remove one"', async () => {
    const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
    cleanups.push(repo.cleanup);
    // Install first: with the plugin enabled it refuses, so this is how a project comes to have both.
    const installed = await taskhooks(repo.dir, ['install']);
    expect(installed.code, describeRun(installed)).toBe(0);
    trustFolder(home, repo.dir);
    const monitor = JSON.parse(readFileSync(path.join(home, '.taskhooks', 'monitor.json'), 'utf8')) as { pid: number };
    await installPlugin();

    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const run = await runClaude(repo.dir, personEnv(api.url));

    expect(run.code, run.stderr).toBe(0);
    const asked = api.requests.filter((body) => body.includes('"messages"'));
    expect(asked.length).toBeGreaterThan(0);
    const contexts = hookRecord(home, 'SessionStart').contexts.join('\n');
    expect(contexts).toContain('two routes: remove one.');
    expect(asked.some((body) => body.includes('two routes: remove one.'))).toBe(true);
    // Neither route was taken down: install's monitor still serves the hooks that post to it.
    expect(pidAlive(monitor.pid)).toBe(true);
  });

  it('`taskhooks install` with the plugin enabled refuses in one line and writes nothing', async () => {
    const repo = makeRepo({ name: 'cafe', commits: ['initial commit'] });
    cleanups.push(repo.cleanup);
    if (!existsSync(path.join(home, '.claude', 'plugins', 'cache', 'taskhooks'))) await installPlugin();
    const claudeJson = path.join(home, '.claude.json');
    const readClaudeJson = () => (existsSync(claudeJson) ? readFileSync(claudeJson, 'utf8') : undefined);
    const before = readClaudeJson();

    const refused = await taskhooks(repo.dir, ['install']);

    expect(refused.code, describeRun(refused)).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('the taskhooks plugin is enabled for this project');
    expect(refused.stderr).toContain('nothing was changed');
    expect(existsSync(path.join(repo.dir, '.claude'))).toBe(false);
    expect(readClaudeJson()).toBe(before);
  });
});
