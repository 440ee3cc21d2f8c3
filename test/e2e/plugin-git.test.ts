// taskhooks as a new user gets it from the repository's git URL (git's own http-backend on loopback serving a bare
// clone of the commit under test), on Node 22 and 24. The real Claude Code adds the marketplace, installs the plugin
// and runs sessions with nothing else done: no hook or server error, the context and the task tools from the first
// session, a task the model adds through them in the next session's context; removing the plugin leaves no monitor
// running. And `npm install -g git+<url>` gives a `taskhooks` whose install gives a real session its task.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLAUDE, messagesStub, runClaude, startContexts, type ToolStep } from '../helpers/claude.js';
import { makeRepo } from '../helpers/git.js';
import { bumpedVersion, serveGitRepo, setVersion, type GitServer } from '../helpers/git-http.js';
import { ROOT } from '../helpers/hooks.js';
import { nodeBinary, OTHER_NODES } from '../helpers/node-versions.js';
import { pidAlive } from '../helpers/pid.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const TOOL = (name: string) => `mcp__plugin_taskhooks_taskhooks__${name}`;
const MAX_COPY_BYTES = 60 * 1024 * 1024;
const MAX_NPM_BYTES = 12 * 1000 * 1000;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-plugin-git-'));
let home = '';
/** The folder of the `node` the plugin's hooks and server run with: first on the user's PATH. */
let nodeDir = path.dirname(process.execPath);
let git: GitServer;
const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * How this machine reaches the npm registry (its certificate authorities, as npm and Node are told them): kept in the
 * new user's environment, since without it npm reaches no registry here at all.
 */
const registryAccess = (() => {
  const cafile = execFileSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).trim();
  const kept = Object.entries(process.env).filter(([k]) => ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'].includes(k));
  return { ...Object.fromEntries(kept), ...(cafile && cafile !== 'null' ? { npm_config_cafile: cafile } : {}) };
})();

/** A new user's environment: nothing of this machine's taskhooks or Claude Code session. */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${nodeDir}${path.delimiter}${process.env.PATH}`,
    HOME: home,
    TMPDIR: path.join(tmp, 'tmp'),
    NO_COLOR: '1',
    DISABLE_AUTOUPDATER: '1',
    ...registryAccess,
    ...extra,
  };
}

/** A command of the user's, run without blocking: the git server it clones from answers in this process. */
function run(
  file: string,
  args: string[],
  cwd = tmp,
): Promise<{ status: number | null; stdout: string; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd, env: userEnv(), timeout: 300_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ status, stdout, output: `${stdout}\n${stderr}${status === null ? `\n${err?.message}` : ''}` });
    });
    child.stdin?.end();
  });
}
const claude = (args: string[]) => run(CLAUDE, args);

/** Bytes under `dir`, as `du -sb` counts them. */
const sizeOf = (dir: string): number => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);

/** monitor.json of the monitor the plugin's hooks started, in the state directory both routes share. */
function monitorJson(): string | undefined {
  const file = path.join(home, '.taskhooks', 'monitor.json');
  return existsSync(file) ? file : undefined;
}

/** The pid of that monitor. */
function pluginMonitor(): number | undefined {
  const file = monitorJson();
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : undefined;
}

/** Lines of Claude Code's debug log that say a hook or an MCP server failed. */
function failures(debugFile: string): string[] {
  return (
    readFileSync(debugFile, 'utf8')
      .split('\n')
      // Not the hooks' own answers: a context may well say "failed" of something it reports.
      .filter((l) => !l.includes('additionalContext'))
      .filter((l) => /hook.*(error|fail)|mcp server.*(fail|error|not connected)|cannot find module/i.test(l))
      .filter((l) => !/\b0 errors?\b/i.test(l))
  );
}

/** A `claude -p` session in `dir` against a stand-in model taking `steps`, logged to `<name>.debug.log`. */
async function session(dir: string, steps: ToolStep[], name: string, allowed: string[] = []) {
  const api = await messagesStub(steps, { thinkMs: 500 });
  cleanups.push(() => api.close());
  const debugFile = path.join(home, `${name}.debug.log`);
  const env = userEnv({
    ANTHROPIC_API_KEY: 'fake',
    ANTHROPIC_BASE_URL: api.url,
    CLAUDE_CODE_MAX_RETRIES: '0',
    // The tools in every request, so the stand-in model can see and ask for them.
    ENABLE_TOOL_SEARCH: 'false',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  });
  const allow = allowed.length > 0 ? ['--allowedTools', allowed.join(',')] : [];
  const result = await runClaude(dir, env, ['--debug-file', debugFile, ...allow]);
  expect(result.code, result.stderr).toBe(0);
  return { api, debugFile };
}

/** A new user's world on Node `major`: its own HOME and git server (a test may release on it), that Node first. */
async function world(major: number, name: string): Promise<void> {
  git = await serveGitRepo();
  cleanups.push(() => git.close());
  // A copy of its own: .peers is shared with other checkouts' runs, which may change it meanwhile.
  nodeDir = path.join(tmp, `node-${major}`, 'bin');
  if (!existsSync(path.join(nodeDir, 'node'))) {
    mkdirSync(nodeDir, { recursive: true });
    copyFileSync(nodeBinary(major as (typeof OTHER_NODES)[number]).node, path.join(nodeDir, 'node'));
  }
  home = path.join(tmp, `node-${major}`, name);
  mkdirSync(home, { recursive: true });
  mkdirSync(path.join(tmp, 'tmp'), { recursive: true });
}

it('sees a new version once the marketplace is fetched again, as docs/install.md tells a person', async () => {
  await world(24, 'update');
  for (const args of [
    ['plugin', 'marketplace', 'add', git.url],
    ['plugin', 'install', 'taskhooks@taskhooks'],
  ]) {
    const r = await claude(args);
    expect(r.status, r.output).toBe(0);
  }
  // A release writes its version in package.json, and the build into plugin/; the marketplace entry names none.
  const next = bumpedVersion(ROOT);
  git.release((dir) => setVersion(dir, next), `release ${next}`);
  // Claude Code reads versions from its own copy of the marketplace, fetched at `marketplace add`.
  const early = await claude(['plugin', 'update', 'taskhooks@taskhooks']);
  expect(early.output).toContain(`already at the latest version (${VERSION})`);
  expect((await claude(['plugin', 'marketplace', 'update', 'taskhooks'])).status).toBe(0);
  const updated = await claude(['plugin', 'update', 'taskhooks@taskhooks']);
  expect(updated.output).toContain(`updated from ${VERSION} to ${next}`);
  expect(
    existsSync(path.join(home, '.claude', 'plugins', 'cache', 'taskhooks', 'taskhooks', next, 'dist', 'cli.js')),
  ).toBe(true);
}, 300_000);

describe.each(OTHER_NODES)('on Node %i', (major) => {
  it('installs from its git URL with nothing else run, and its sessions have their context and task tools', async () => {
    await world(major, 'plugin');
    const added = await claude(['plugin', 'marketplace', 'add', git.url, '--json']);
    expect(added.status, added.output).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ outcome: 'ok', marketplace: 'taskhooks' });
    const installed = await claude(['plugin', 'install', 'taskhooks@taskhooks', '--json']);
    expect(installed.status, installed.output).toBe(0);
    expect(JSON.parse(installed.stdout)).toMatchObject({ outcome: 'ok', pluginId: 'taskhooks@taskhooks' });

    const copy = path.join(home, '.claude', 'plugins', 'cache', 'taskhooks', 'taskhooks', VERSION);
    expect(existsSync(path.join(copy, 'dist', 'cli.js'))).toBe(true);
    expect(sizeOf(copy)).toBeLessThanOrEqual(MAX_COPY_BYTES);

    const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
    cleanups.push(repo.cleanup);
    // Stopped, and gone, before its data folder is removed.
    cleanups.push(async () => {
      const pid = pluginMonitor();
      if (!pid || !pidAlive(pid)) return;
      process.kill(pid, 'SIGTERM');
      await expect.poll(() => pidAlive(pid)).toBe(false);
    });
    // The first session: the model adds a task through the plugin's add_task, with only what its schema requires.
    const title = 'Ship the plugin from git';
    const first = await session(repo.dir, [{ tool: TOOL('add_task'), input: { title } }], 'first', [TOOL('add_task')]);
    expect(failures(first.debugFile)).toEqual([]);
    // The task tools from the session's first request that offers tools (a side request, a title, offers none): the
    // session's three, in at most 1,500 bytes of the request; the compatibility families are not offered.
    const [firstWithTools] = first.api.requests.filter((r) => /"tools":\[\{/.test(r));
    const offered = (JSON.parse(firstWithTools ?? '{}') as { tools?: Array<{ name: string }> }).tools ?? [];
    const ours = offered.filter((t) => t.name.startsWith(TOOL('')));
    expect(ours.map((t) => t.name).sort()).toEqual(['add_task', 'list_tasks', 'update_task'].map(TOOL));
    expect(JSON.stringify(ours).length).toBeLessThanOrEqual(1500);
    expect(first.api.requests.at(-1)).toContain('\\"project\\":\\"shop\\"');
    expect(startContexts(home)[0]).toMatch(/^\[taskhooks\] project shop, branch main/);

    // The next session is told of it at its start.
    rmSync(path.join(home, '.claude', 'projects'), { recursive: true, force: true });
    const second = await session(repo.dir, [], 'second');
    expect(failures(second.debugFile)).toEqual([]);
    expect(startContexts(home).join('\n')).toContain(`"${title}"`);
    const monitor = pluginMonitor();
    expect(monitor && pidAlive(monitor)).toBe(true);

    // A new version, updated to: the monitor of the old one stops, and the next session starts the new one's.
    const next = bumpedVersion(ROOT);
    git.release((dir) => setVersion(dir, next), `release ${next}`);
    for (const args of [
      ['plugin', 'marketplace', 'update', 'taskhooks'],
      ['plugin', 'update', 'taskhooks@taskhooks'],
    ]) {
      const r = await claude(args);
      expect(r.status, r.output).toBe(0);
    }
    await expect.poll(() => pidAlive(monitor as number), { timeout: 30_000, interval: 500 }).toBe(false);
    rmSync(path.join(home, '.claude', 'projects'), { recursive: true, force: true });
    const updated = await session(repo.dir, [], 'updated');
    expect(failures(updated.debugFile)).toEqual([]);
    expect(startContexts(home).join('\n')).toContain(`"${title}"`);
    // Started in the background by that session's SessionStart: it may still be writing monitor.json.
    await expect
      .poll(() => pluginMonitor() !== undefined && pluginMonitor() !== monitor, { timeout: 30_000 })
      .toBe(true);
    const newer = pluginMonitor();
    expect(newer && pidAlive(newer)).toBe(true);
    const info = JSON.parse(readFileSync(monitorJson() as string, 'utf8')) as { codeRoot: string };
    expect(info.codeRoot).toBe(path.join(home, '.claude', 'plugins', 'cache', 'taskhooks', 'taskhooks', next));

    // Removing the plugin stops the monitor it started.
    const removed = await claude(['plugin', 'uninstall', 'taskhooks@taskhooks', '--json']);
    expect(removed.status, removed.output).toBe(0);
    await expect.poll(() => pidAlive(newer as number), { timeout: 30_000, interval: 500 }).toBe(false);
  }, 600_000);

  it('installs with `npm install -g git+<url>`, no compiler, and its install gives a session the task', async () => {
    await world(major, 'npm');
    const prefix = path.join(home, 'prefix');
    const npm = await run('npm', [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--no-audit',
      '--no-fund',
      `git+${git.url}`,
    ]);
    expect(npm.status, npm.output).toBe(0);
    expect(sizeOf(prefix)).toBeLessThanOrEqual(MAX_NPM_BYTES);
    const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
    cleanups.push(repo.cleanup);
    const taskhooks = (args: string[]) => run(path.join(prefix, 'bin', 'taskhooks'), args, repo.dir);
    cleanups.push(() => taskhooks(['monitor', 'stop']));
    const installed = await taskhooks(['install']);
    expect(installed.status, installed.output).toBe(0);
    const added = await taskhooks(['tasks', 'add', 'Fix login', '--priority', 'high']);
    expect(added.stdout, added.output).toBe('Added TASK-001 (every branch): Fix login\n');

    const started = await session(repo.dir, [], 'npm');
    expect(failures(started.debugFile)).toEqual([]);
    expect(startContexts(home).join('\n')).toContain('TASK-001 "Fix login"');
  }, 600_000);
});
