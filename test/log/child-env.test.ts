// The programs taskhooks starts never inherit its secrets: git run by the built hooks and by `doctor` (a `git` first on
// PATH that writes down the environment it was given, then runs the real one), and a task program, which gets only
// what its config names and the basics to start.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { monitorEnvironment, programEnvironment, scrubbedEnvironment } from '../../src/log/child-env.js';
import { ENV_BINDINGS } from '../../src/config/env.js';
import { registerSecret } from '../../src/log/redact.js';
import { programRunner } from '../../src/sources/program.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { silentLogger } from '../helpers/cache.js';
import { makeRepo } from '../helpers/git.js';
import { hookEnv, ROOT, runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const secretValue = (label: string): string => `${label}-${randomBytes(10).toString('hex')}`;

/** Secrets the way a user's shell may hold them: those taskhooks reads, and those of other tools. */
function secretEnvironment(): Record<string, string> {
  return {
    MCP_API_TOKEN: secretValue('mcp'),
    KEYCLOAK_CLIENT_SECRET: secretValue('kc'),
    TASK_TRACKING_API_KEY: secretValue('tt'),
    GITHUB_TOKEN: secretValue('gh'),
    GH_TOKEN: secretValue('ghcli'),
    LINEAR_API_KEY: secretValue('lin'),
    JIRA_API_TOKEN: secretValue('jira'),
    DATABASE_URL: `postgres://app:${secretValue('pgurl')}@db.example/tasks`,
    PGPASSWORD: secretValue('pgpw'),
    MY_SERVICE_PASSWORD: secretValue('pw'),
    HTTPS_PROXY: `http://me:${secretValue('proxy')}@proxy.example:3128`,
  };
}

/** A directory holding a `git` that appends its environment to `dump`, then runs the real git. */
function envDumpingGit(): { dir: string; dump: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-envgit-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const dump = path.join(dir, 'env.dump');
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\nenv >> '${dump}'\necho ==== >> '${dump}'\nexec '${realGit}' "$@"\n`);
  chmodSync(path.join(dir, 'git'), 0o755);
  return { dir, dump };
}

describe('git never sees a secret', () => {
  it('from the built SessionStart hook nor from doctor, while the user git settings and locale reach it', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main' });
    cleanups.push(repo.cleanup);
    const shim = envDumpingGit();
    const secrets = secretEnvironment();
    const extra = {
      ...secrets,
      PATH: `${shim.dir}${path.delimiter}${process.env.PATH ?? ''}`,
      GIT_AUTHOR_NAME: 'Kept',
    };

    const start = await runHook('session-start', sessionStartInput(repo.dir, 's-1'), {
      home,
      env: extra,
      cwd: repo.dir,
    });
    expect(start.code).toBe(0);
    expect(start.output?.hookSpecificOutput.additionalContext).toContain('main');
    const fromHook = readFileSync(shim.dump, 'utf8');
    rmSync(shim.dump);

    const doctor = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'doctor', '--json'], {
      env: hookEnv(home, extra),
      cwd: repo.dir,
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    expect((JSON.parse(doctor.stdout) as { steps: Array<{ name: string }> }).steps.map((s) => s.name)).toContain('git');
    expect(existsSync(shim.dump)).toBe(true);
    const fromDoctor = readFileSync(shim.dump, 'utf8');

    for (const [who, dumped] of [
      ['hook', fromHook],
      ['doctor', fromDoctor],
    ] as const) {
      const leaked = Object.entries(secrets).filter(([, v]) =>
        dumped.includes(/[a-z]+-[0-9a-f]{20}/.exec(v)?.[0] ?? v),
      );
      expect(leaked.map(([k]) => `${k} reached git from the ${who}`)).toEqual([]);
      expect(dumped).toContain(`PATH=${shim.dir}`);
      expect(dumped).toMatch(/^HOME=/m);
    }
    // The hooks hand git the user's own git settings; simple-git (doctor) drops every GIT_* itself.
    expect(fromHook).toContain('GIT_AUTHOR_NAME=Kept');
  });
});

describe('the environment helpers', () => {
  it('drop a variable whose value holds a registered secret, whatever its name', () => {
    const token = secretValue('registered');
    registerSecret(token);
    const env = scrubbedEnvironment(
      {},
      { PATH: '/bin', GIT_CONFIG_PARAMETERS: `'http.extraHeader=X: ${token}'`, LANG: 'C' },
    );
    expect(env).toEqual({ PATH: '/bin', LANG: 'C' });
  });

  it('keep the locale, git settings and SSH agent for git, and add what the caller names', () => {
    const env = scrubbedEnvironment(
      { GH_TOKEN: 'handed-on-purpose' },
      {
        PATH: '/bin',
        HOME: '/h',
        LC_ALL: 'C',
        TZ: 'UTC',
        GIT_DIR: '/r/.git',
        GIT_ASKPASS: '/bin/askpass',
        SSH_AUTH_SOCK: '/s',
        EDITOR: 'vim',
        RANDOM_TOOL_SETTING: 'x',
        BASH_FUNC_x: '() { :; }',
      },
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/h',
      LC_ALL: 'C',
      TZ: 'UTC',
      GIT_DIR: '/r/.git',
      SSH_AUTH_SOCK: '/s',
      GH_TOKEN: 'handed-on-purpose',
    });
  });

  it('give a task program only the basics and its own', () => {
    expect(
      programEnvironment({ OWN: '1' }, { PATH: '/bin', HOME: '/h', LANG: 'C', GIT_DIR: '/g', MCP_API_TOKEN: 't' }),
    ).toEqual({ PATH: '/bin', HOME: '/h', LANG: 'C', OWN: '1' });
  });
});

describe('a task program', () => {
  it('runs with only what its config names, the basics to start, and none of this process secrets', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'th-progenv-'));
    const cache = openCache({ home });
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    cleanups.push(() => cache.close());
    const secrets = secretEnvironment();
    const saved = { ...process.env };
    cleanups.push(() => {
      for (const k of [...Object.keys(secrets), 'GIT_DIR', 'SOME_TOOL_SETTING']) delete process.env[k];
      Object.assign(process.env, saved);
    });
    Object.assign(process.env, secrets, { GIT_DIR: '/elsewhere', SOME_TOOL_SETTING: 'x' });
    const runner = programRunner(
      {
        server: 'cli:node',
        command: process.execPath,
        args: ['-e', 'process.stdout.write(JSON.stringify(process.env))'],
        env: { BACKLOG_DIR: 'tasks', BACKLOG_API_KEY: 'named-in-config' },
      },
      { cache, log: silentLogger(), policy: {} },
    );
    const out = await runner.run([], { cwd: home, deadline: deadlineIn(20_000) });
    const env = JSON.parse(out.stdout) as Record<string, string>;
    const basics = /^(PATH|HOME|USER|LOGNAME|SHELL|TERM|TZ|TMPDIR|LANG|LANGUAGE|LC_[A-Z_]+)$/;
    // The program's own variables (Node adds none it was not given).
    expect(Object.keys(env).filter((k) => !basics.test(k))).toEqual(['BACKLOG_DIR', 'BACKLOG_API_KEY']);
    expect(env.BACKLOG_API_KEY).toBe('named-in-config');
    expect(Object.values(env).filter((v) => Object.values(secrets).includes(v))).toEqual([]);
  });
});

describe("a child's PATH", () => {
  it('holds only absolute folders, in every environment taskhooks hands a child', () => {
    const from = { PATH: ':/usr/local/bin::.:bin:/usr/bin:', HOME: '/home/u' };
    for (const env of [scrubbedEnvironment({}, from), programEnvironment({}, from), monitorEnvironment(from)])
      expect(env.PATH).toBe('/usr/local/bin:/usr/bin');
    // No absolute folder at all: no PATH, where an empty one would be the working folder.
    expect(scrubbedEnvironment({}, { PATH: '.:', HOME: '/home/u' })).toEqual({ HOME: '/home/u' });
  });
});

describe('the monitor’s environment', () => {
  it('keeps every variable taskhooks’ own settings are read from', () => {
    const given = Object.fromEntries(ENV_BINDINGS.map((b) => [b.name, 'x']));
    expect(Object.keys(monitorEnvironment({ ...given, ANTHROPIC_API_KEY: 'k', CLAUDE_PID: '1' })).sort()).toEqual(
      [...new Set(ENV_BINDINGS.map((b) => b.name))].sort(),
    );
  });
});
