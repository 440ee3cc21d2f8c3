// taskhooks as a user gets it: `npm pack`, installed into a fresh prefix with production dependencies only, and
// globally (`npm i -g`) into a temporary prefix, from which a newcomer's first steps run: `taskhooks install`, a task,
// the SessionStart command the settings now hold. Its hooks run there, Task Master runs as installed on the PATH, and
// nothing is downloaded at run time: `npx` and `npm` on the PATH are canaries that leave a mark if anything calls them.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/git.js';
import { hookEnv, ROOT, sessionStartInput, writeConfig } from '../helpers/hooks.js';
import { peer } from '../helpers/peers.js';

let dir: string;
let tarball: string;
let installed: string;

/**
 * A Node without node:sqlite (the machine's Node 20, this tier's) runs the install on the clone's better-sqlite3: its
 * compiled addon copied in, where src/sqlite/native.ts looks (the bundles hold its JavaScript). Node 24's install,
 * which needs nothing of it: test/e2e/global-install.test.ts.
 */
const ADDON = path.join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'th-packed-'));
  // The package ships plugin/, committed built: packing builds nothing.
  tarball = path.join(
    dir,
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop() as string,
  );
  const prefix = path.join(dir, 'prefix');
  mkdirSync(prefix);
  execFileSync(
    'npm',
    ['install', '--prefix', prefix, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', tarball],
    {
      encoding: 'utf8',
      stdio: 'pipe',
    },
  );
  cpSync(path.join(ROOT, 'node_modules', ADDON), path.join(prefix, 'node_modules', ADDON));
  installed = path.join(prefix, 'node_modules', 'taskhooks');
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PATH of the canaries, `extra`, node and git: the canaries first, so a download attempt finds them. */
function canaryPath(extra: string[]): { PATH: string; marker: string } {
  const bin = path.join(dir, `canary-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bin);
  const marker = path.join(bin, 'called');
  for (const name of ['npx', 'npm']) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${marker}"\nexit 1\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
  const tools = [
    path.dirname(process.execPath),
    path.dirname(execFileSync('which', ['git'], { encoding: 'utf8' }).trim()),
  ];
  return { PATH: [bin, ...extra, ...tools].join(path.delimiter), marker };
}

/** A git repository with one Task Master task, and a state directory whose (trusted) config picks Task Master. */
function taskMasterProject(): { repo: string; home: string } {
  const base = mkdtempSync(path.join(dir, 'project-'));
  const repo = path.join(base, 'demo');
  mkdirSync(path.join(repo, '.taskmaster', 'tasks'), { recursive: true });
  const task = {
    id: 1,
    title: 'Write parser',
    description: 'Parse the input',
    status: 'in-progress',
    priority: 'high',
    dependencies: [],
    details: '',
    testStrategy: '',
    subtasks: [],
  };
  writeFileSync(
    path.join(repo, '.taskmaster', 'tasks', 'tasks.json'),
    JSON.stringify({ master: { tasks: [task], metadata: { created: new Date().toISOString() } } }),
  );
  git(repo, 'init', '-q', '-b', 'main');
  const home = path.join(base, 'state');
  // Task Master starts slowly: the session waits for it here, as a user who chose it would configure.
  writeConfig(home, {
    source: { adapter: 'taskmaster', timeoutMs: 30_000 },
    hooks: { sessionStartDeadlineMs: 30_000 },
  });
  return { repo, home };
}

function sessionStart(
  repo: string,
  home: string,
  env: Record<string, string>,
): { status: number | null; context: string } {
  const r = spawnSync(process.execPath, [path.join(installed, 'plugin', 'dist', 'hooks', 'session-start.js')], {
    input: JSON.stringify(sessionStartInput(repo)),
    cwd: repo,
    env: { ...hookEnv(home, env), HOME: home },
    encoding: 'utf8',
    timeout: 180_000,
  });
  const out = r.stdout.trim()
    ? (JSON.parse(r.stdout) as { hookSpecificOutput: { additionalContext: string } })
    : undefined;
  return { status: r.status, context: out?.hookSpecificOutput.additionalContext ?? '' };
}

describe('a packed install', () => {
  it('holds the built hooks and production dependencies only', () => {
    const modules = readdirSync(path.join(installed, '..'));
    for (const dev of ['vitest', 'typescript', 'esbuild', 'task-master-ai', '@anthropic-ai'])
      expect(modules).not.toContain(dev);
    for (const hook of ['session-start.js', 'pre-tool-use.js', 'post-tool-use.js'])
      expect(existsSync(path.join(installed, 'plugin', 'dist', 'hooks', hook))).toBe(true);
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
  });

  it('runs the hooks with the Task Master installed on the PATH, downloading nothing', () => {
    const { repo, home } = taskMasterProject();
    const tmBin = path.join(path.dirname(peer('task-master-ai').entry), '..', '..', '.bin');
    const { PATH, marker } = canaryPath([tmBin]);
    const run = sessionStart(repo, home, { PATH });
    expect(run.status).toBe(0);
    expect(run.context).toContain('Write parser');
    expect(existsSync(marker)).toBe(false);
  });

  it('without Task Master says in one line how to install it, and downloads nothing', () => {
    const { repo, home } = taskMasterProject();
    const { PATH, marker } = canaryPath([]);
    const run = sessionStart(repo, home, { PATH });
    expect(run.status).toBe(0);
    expect(run.context).toContain(
      'task source misconfigured (Task Master is not installed): install it (`npm install -g task-master-ai`',
    );
    expect(existsSync(marker)).toBe(false);
  });
});

/** Bytes under `p`, as `du` counts them (files' sizes, links not followed). */
function sizeOf(p: string): number {
  const s = statSync(p, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((n, e) => n + sizeOf(path.join(p, e)), 0);
}

describe('a global install from the tarball (npm i -g)', () => {
  let prefix: string;
  let userHome: string;
  let env: NodeJS.ProcessEnv;
  const taskhooks = (args: string[], cwd: string) =>
    spawnSync(path.join(prefix, 'bin', 'taskhooks'), args, { cwd, env, encoding: 'utf8', timeout: 120_000 });

  beforeAll(() => {
    prefix = path.join(dir, 'global');
    execFileSync(
      'npm',
      ['install', '--global', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', tarball],
      { encoding: 'utf8', stdio: 'pipe' },
    );
    const pkg = path.join(prefix, 'lib', 'node_modules', 'taskhooks');
    cpSync(path.join(ROOT, 'node_modules', ADDON), path.join(pkg, 'node_modules', ADDON));
    userHome = path.join(dir, 'user-home');
    mkdirSync(userHome);
    // A newcomer's environment: no state directory named, the monitor allowed to start, `taskhooks` on the PATH.
    const { TASKHOOKS_HOME: _home, TASKHOOKS_NO_AUTOSTART: _auto, ...rest } = hookEnv(userHome);
    const { PATH } = canaryPath([path.join(prefix, 'bin')]);
    env = { ...rest, HOME: userHome, PATH };
  }, 300_000);
  afterAll(() => {
    if (prefix) taskhooks(['monitor', 'stop'], userHome);
  });

  it('holds what the plugin route needs and no bench or test code', () => {
    const pkg = path.join(prefix, 'lib', 'node_modules', 'taskhooks');
    for (const file of [
      'plugin/monitors/monitors.json',
      'plugin/hooks/hooks.json',
      'plugin/.claude-plugin/plugin.json',
      'plugin/dist/cli.js',
      'plugin/dist/THIRD-PARTY-NOTICES',
    ])
      expect(existsSync(path.join(pkg, file)), file).toBe(true);
    for (const absent of ['dist', 'plugin/dist/bench', 'bench', 'test', 'src', 'scripts'])
      expect(existsSync(path.join(pkg, absent))).toBe(false);
    // What a person gets is the package alone, the addon copied in for this Node aside (docs/install.md).
    const addon = sizeOf(path.join(pkg, 'node_modules', ADDON));
    expect(sizeOf(prefix) - addon).toBeLessThanOrEqual(12 * 1000 * 1000);
    // Only what the built code loads at run time is installed beside it: the bundled libraries are not.
    for (const bundled of ['@modelcontextprotocol', 'zod', 'openid-client', 'simple-git', 'node-cron'])
      expect(existsSync(path.join(pkg, 'node_modules', bundled)), bundled).toBe(false);
  });

  it('says its version and build: the plugin folder it ships, which names no commit', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const said = taskhooks(['--version'], userHome);
    expect(said.status, said.stderr).toBe(0);
    expect(said.stdout).toMatch(new RegExp(`^${version.replaceAll('.', '\\.')} \\(build [0-9a-f]{12}\\)\n$`));
  });

  it('runs install, then tasks add, then the SessionStart command install wrote, and the context holds the task', () => {
    const repo = path.join(dir, 'shop');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'README.md'), 'shop\n');
    git(repo, 'add', 'README.md');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'initial');

    const install = taskhooks(['install', '--dir', repo], repo);
    expect(install.status, install.stderr).toBe(0);
    const added = taskhooks(['tasks', 'add', 'Fix login', '--priority', 'high'], repo);
    expect(added.stdout, added.stderr).toBe('Added TASK-001 (every branch): Fix login\n');

    const settings = JSON.parse(readFileSync(path.join(repo, '.claude', 'settings.local.json'), 'utf8')) as {
      hooks: Record<string, Array<{ hooks: Array<{ type: string; command?: string }> }>>;
    };
    const command = settings.hooks.SessionStart?.flatMap((m) => m.hooks).find((h) => h.type === 'command')?.command;
    expect(command).toContain(path.join(prefix, 'lib', 'node_modules', 'taskhooks'));
    const run = spawnSync('/bin/sh', ['-c', command as string], {
      input: JSON.stringify(sessionStartInput(repo)),
      cwd: repo,
      env: { ...env, CLAUDE_PROJECT_DIR: repo },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const context = (JSON.parse(run.stdout) as { hookSpecificOutput: { additionalContext: string } }).hookSpecificOutput
      .additionalContext;
    expect(context).toMatch(/^\[taskhooks\] project shop, branch main: 1 pending task/);
    expect(context).toContain('TASK-001 "Fix login"');
    expect(context).not.toContain('127.0.0.1');
  });
});
