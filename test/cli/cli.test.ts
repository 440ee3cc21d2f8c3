// The CLI: help, version, cache commands, config display, bad input. What it prints runs in process; the built
// dist/cli.js runs as a child for what only its process shows (a closed pipe, the version its build records, help).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { kvSet } from '../../src/cache/kv.js';
import {
  cleanEnv,
  cliHere,
  cliPath,
  modeOf,
  root,
  runCli,
  tempDir,
  writeJson,
  writeTrustedJson,
} from '../foundation/helpers.js';

let tmp: ReturnType<typeof tempDir>;
let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  tmp = tempDir();
  home = path.join(tmp.dir, 'state');
  env = cleanEnv({ TASKHOOKS_HOME: home });
});
afterEach(() => tmp.remove());

function seed(now = Date.now()): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const cache = openCache({ home });
  kvSet(cache, 'fresh-1', { a: 1 }, 3600, now);
  kvSet(cache, 'fresh-2', 'b', undefined, now);
  kvSet(cache, 'old', 'c', 1, now - 10_000);
  cache.close();
}

describe('help and version', () => {
  it('a reader that stops after the first line (`| head -1`) ends the command quietly, with its own exit code', async () => {
    // doctor prints several lines: a run whose reader is gone before it prints meets a closed pipe on every one.
    const whole = await cliHere(['doctor'], { env: { ...env, TASKHOOKS_NO_AUTOSTART: '1' }, cwd: tmp.dir });
    expect(whole.stdout.split('\n').length).toBeGreaterThan(5);
    const child = spawn(process.execPath, [cliPath, 'doctor'], {
      env: { ...env, TASKHOOKS_NO_AUTOSTART: '1' },
      cwd: tmp.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Our end closed before the CLI writes anything, as `head -1` closes it after a line: every write meets EPIPE.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(whole.status);
  });

  it('--version prints the package version, then the build id and commit dist/BUILD records', () => {
    const r = runCli(['--version'], { env });
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const built = JSON.parse(readFileSync(path.join(root, 'dist', 'BUILD'), 'utf8')) as {
      version: string;
      buildId: string;
      commit: string | null;
    };
    expect(r.status).toBe(0);
    expect(built.version).toBe(pkg.version);
    expect(built.buildId).toMatch(/^[0-9a-f]{12}$/);
    const commit = built.commit ? `, commit ${built.commit}` : '';
    expect(r.stdout).toBe(`${pkg.version} (build ${built.buildId}${commit})\n`);
  });

  it('--help lists the foundation commands without touching the state dir', () => {
    const r = runCli(['--help'], { env });
    expect(r.status).toBe(0);
    for (const c of ['cache stats', 'cache clear', 'cache cleanup', 'config']) expect(r.stdout).toContain(c);
    expect(() => modeOf(home)).toThrow();
  });

  it('<command> --help prints its usage', async () => {
    const r = await cliHere(['cache', 'stats', '--help'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: taskhooks cache stats [--json]');
  });

  it('an unknown command is one clear line and a non-zero exit', async () => {
    const r = await cliHere(['frobnicate'], { env });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stdout).toBe('');
  });

  it('an unknown sub-command names the ones that exist', async () => {
    const r = await cliHere(['cache', 'purge'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cache has stats, cleanup, clear (see taskhooks cache --help)');
  });

  it("an unknown flag is one clear line naming the command's help, and exit 2 (the built CLI's own exit code)", () => {
    const r = runCli(['cache', 'stats', '--jsn'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'taskhooks cache stats: unknown flag "--jsn"; did you mean --json? (see taskhooks cache stats --help)\n',
    );
    expect(() => modeOf(home)).toThrow();
  });
});

describe('cache commands', () => {
  it('stats: an aligned table and JSON with entries, valid, expired and bytes', async () => {
    seed();
    const table = await cliHere(['cache', 'stats'], { env });
    expect(table.status).toBe(0);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^entries\s+valid\s+expired\s+size\s+file$/);
    expect(row).toMatch(/^3\s+2\s+1\s+\d/);
    expect(header?.indexOf('valid')).toBe(row?.indexOf('2'));
    const json = await cliHere(['cache', 'stats', '--json'], { env });
    expect(json.status).toBe(0);
    const stats = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(stats).toMatchObject({ entries: 3, valid: 2, expired: 1, file: path.join(home, 'cache.db') });
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it('stats on a brand-new state dir creates it 0700 with a 0600 cache', async () => {
    const r = await cliHere(['cache', 'stats', '--json'], { env });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ entries: 0, valid: 0, expired: 0 });
    expect(modeOf(home)).toBe(0o700);
    expect(modeOf(path.join(home, 'cache.db'))).toBe(0o600);
  });

  it('cleanup removes only expired entries and says how many', async () => {
    seed();
    const r = await cliHere(['cache', 'cleanup'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('Removed 1 expired entry.');
    expect(JSON.parse((await cliHere(['cache', 'cleanup', '--json'], { env })).stdout)).toEqual({ removed: 0 });
    expect(JSON.parse((await cliHere(['cache', 'stats', '--json'], { env })).stdout)).toMatchObject({
      entries: 2,
      expired: 0,
    });
  });

  it('clear empties the cache', async () => {
    seed();
    const r = await cliHere(['cache', 'clear'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('Cache cleared.');
    seed();
    expect(JSON.parse((await cliHere(['cache', 'clear', '--json'], { env })).stdout)).toEqual({ cleared: true });
    expect(JSON.parse((await cliHere(['cache', 'stats', '--json'], { env })).stdout)).toMatchObject({ entries: 0 });
  });

  it('refuses to run on invalid config: one line per problem, nothing on stdout, exit non-zero', async () => {
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'config.json'), JSON.stringify({ cache: { gitTtlSeconds: 'soon' } }));
    const r = await cliHere(['cache', 'stats'], { env: { ...env, TASKHOOKS_LOG_LEVEL: 'chatty' } });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('cache.gitTtlSeconds = "soon"');
    expect(lines[0]).toContain(`user file ${path.join(home, 'config.json')}`);
    expect(lines[1]).toContain('log.level = "chatty"');
    expect(lines[1]).toContain('environment variable TASKHOOKS_LOG_LEVEL');
    expect(lines[2]).toContain('taskhooks config');
  });

  it('refuses to run on a config file that is not JSON, naming line and column', async () => {
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'config.json'), '{\n  "cache": {,\n}');
    const r = await cliHere(['cache', 'stats', '--json'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/config\.json is not valid JSON: .* at line 2, column 13/);
    expect(JSON.parse(r.stdout).error).toMatchObject({ kind: 'config', message: expect.stringMatching(/line 2/) });
  });
});

describe('config command', () => {
  const secrets = {
    KEYCLOAK_CLIENT_SECRET: 'kc-client-secret-ABCDEF',
    MCP_API_TOKEN: 'mcp-static-token-GHIJKL',
    TASK_TRACKING_API_KEY: 'tracking-api-key-MNOPQR',
  };

  function projectWithConfig(): string {
    const repo = path.join(tmp.dir, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, '.claude'), { recursive: true });
    writeTrustedJson(home, path.join(repo, '.claude', 'taskhooks.json'), {
      cache: { gitTtlSeconds: 60 },
      source: { env: { ANTHROPIC_API_KEY: 'sk-ant-env-secret-STUVWX', TASK_MASTER_TOOLS: 'core' } },
    });
    // The machine's servers are set in the user file, never by a project.
    writeJson(path.join(home, 'config.json'), {
      server: { tokens: [{ principal: 'ci', token: 'server-token-secret-0123456789-YZ12' }] },
    });
    return repo;
  }

  const allSecrets = [...Object.values(secrets), 'sk-ant-env-secret-STUVWX', 'server-token-secret-0123456789-YZ12'];

  it('shows each value with its origin and masks every secret (table)', async () => {
    const repo = projectWithConfig();
    const r = await cliHere(['config'], {
      env: { ...env, ...secrets, MCP_SERVER_URL: 'http://127.0.0.1:9000' },
      cwd: repo,
    });
    expect(r.status).toBe(0);
    for (const s of allSecrets) {
      expect(r.stdout).not.toContain(s);
      expect(r.stdout).not.toContain(s.slice(0, -2));
    }
    const line = (key: string): string => r.stdout.split('\n').find((l) => l.startsWith(`${key} `)) ?? '';
    expect(line('auth.clientSecret')).toMatch(/\*\*\*\*EF\s+environment variable KEYCLOAK_CLIENT_SECRET$/);
    expect(line('auth.token')).toMatch(/\*\*\*\*KL\s+environment variable MCP_API_TOKEN$/);
    expect(line('auth.apiKey')).toMatch(/\*\*\*\*QR\s+environment variable TASK_TRACKING_API_KEY$/);
    expect(line('source.servers')).toMatch(
      /\["http:\/\/127\.0\.0\.1:9000\/mcp"\]\s+environment variable MCP_SERVER_URL$/,
    );
    expect(line('cache.gitTtlSeconds')).toMatch(/60\s+project file .*taskhooks\.json$/);
    // The defaults are for --all: by default only what someone set, or what was inferred.
    expect(line('cache.taskTtlSeconds')).toBe('');
    expect(r.stdout).toContain('The defaults and unset keys: taskhooks config --all');
    expect(line('source.env')).toContain('"TASK_MASTER_TOOLS":"core"');
    expect(line('server.tokens')).toContain('"principal":"ci"');
  });

  it('masks every secret in --json too, and reports origins there', async () => {
    const repo = projectWithConfig();
    const r = await cliHere(['config', '--json', '--all'], { env: { ...env, ...secrets }, cwd: repo });
    expect(r.status).toBe(0);
    for (const s of allSecrets) {
      expect(r.stdout).not.toContain(s);
      expect(r.stdout).not.toContain(s.slice(0, -2));
    }
    const out = JSON.parse(r.stdout) as {
      values: Array<{ key: string; value: string; from: string }>;
      problems: string[];
      home: string;
    };
    expect(out.home).toBe(home);
    expect(out.problems).toEqual([]);
    const byKey = new Map(out.values.map((v) => [v.key, v]));
    expect(byKey.get('auth.clientSecret')).toEqual({
      key: 'auth.clientSecret',
      value: '****EF',
      from: 'environment variable KEYCLOAK_CLIENT_SECRET',
    });
    expect(byKey.get('log.level')).toEqual({ key: 'log.level', value: '"info"', from: 'default' });
    expect(byKey.get('auth.realm')?.value).toBe('');
  });

  it('shows every record (source.statuses, source.tool.args) whole, with the file that set it', async () => {
    const userFile = path.join(home, 'config.json');
    writeJson(userFile, {
      source: {
        adapter: 'mcp',
        command: 'tasks-server',
        tool: { name: 'list_tasks', args: { filter: { state: 'open' } } },
        statuses: { Open: 'todo', Shipped: 'done' },
      },
    });
    const r = await cliHere(['config', '--json'], { env });
    const byKey = new Map(
      (JSON.parse(r.stdout) as { values: Array<{ key: string; value: string; from: string }> }).values.map((v) => [
        v.key,
        v,
      ]),
    );
    expect(byKey.get('source.statuses')).toEqual({
      key: 'source.statuses',
      value: '{"Open":"todo","Shipped":"done"}',
      from: `user file ${userFile}`,
    });
    expect(byKey.get('source.tool.args')).toEqual({
      key: 'source.tool.args',
      value: '{"filter":{"state":"open"}}',
      from: `user file ${userFile}`,
    });
    expect(
      [...byKey.keys()].filter((k) => k.startsWith('source.statuses.') || k.startsWith('source.tool.args.')),
    ).toEqual([]);
  });

  it('lists only what is set or inferred by default (about ten lines), every key with --all', async () => {
    const lines = async (...args: string[]) =>
      (await cliHere(['config', ...args], { env, cwd: tmp.dir })).stdout.trimEnd().split('\n').length;
    const [short, all] = [await lines(), await lines('--all')];
    expect(short).toBeLessThan(12);
    expect(all).toBeGreaterThan(80);
  });

  it('a short secret shows no characters at all', async () => {
    const r = await cliHere(['config', '--json'], { env: { ...env, MCP_API_TOKEN: 'abc123' } });
    const out = JSON.parse(r.stdout) as { values: Array<{ key: string; value: string }> };
    expect(out.values.find((v) => v.key === 'auth.token')?.value).toBe('****');
  });

  it('names the inferred task source instead of a blank adapter: the embedded store, where it lives and who serves it', async () => {
    const r = await cliHere(['config'], { env });
    expect(r.status).toBe(0);
    const embedded = `built-in store (tasks.db in ${home}, in-process: no monitor serves it)`;
    expect(r.stdout).toContain(`task source:  ${embedded}\n`);
    expect(r.stdout).toMatch(
      new RegExp(`^source\\.adapter\\s+embedded\\s+inferred: ${embedded.replace(/[()$.]/g, '\\$&')}$`, 'm'),
    );
    const remote = JSON.parse(
      (await cliHere(['config', '--json'], { env: { ...env, MCP_SERVER_URL: 'http://127.0.0.1:9000' } })).stdout,
    ) as {
      source: string;
      values: Array<{ key: string; value: string; from: string }>;
    };
    expect(remote.source).toBe('agenthub at http://127.0.0.1:9000/mcp');
    expect(remote.values.find((v) => v.key === 'source.adapter')).toEqual({
      key: 'source.adapter',
      value: 'agenthub',
      from: 'inferred: agenthub at http://127.0.0.1:9000/mcp',
    });
  });

  it('--dir shows the configuration of another directory', async () => {
    const repo = projectWithConfig();
    const r = await cliHere(['config', '--dir', repo, '--json'], { env });
    const out = JSON.parse(r.stdout) as { projectFile: string; values: Array<{ key: string; value: string }> };
    expect(out.projectFile).toBe(path.join(repo, '.claude', 'taskhooks.json'));
    expect(out.values.find((v) => v.key === 'cache.gitTtlSeconds')?.value).toBe('60');
  });

  it('doctor names the embedded store the same way', async () => {
    const r = await cliHere(['doctor', '--json'], { env: { ...env, TASKHOOKS_NO_AUTOSTART: '1' } });
    const steps = (JSON.parse(r.stdout) as { steps: Array<{ name: string; detail: string }> }).steps;
    expect(steps.find((s) => s.name === 'config')?.detail).toBe(
      `built-in store (tasks.db in ${home}, in-process: no monitor serves it)`,
    );
    expect(r.stdout).not.toContain('agenthub (embedded)');
  });

  it('still runs on invalid config, printing the problems and exiting non-zero', async () => {
    const r = await cliHere(['config'], { env: { ...env, TASK_CACHE_TTL: 'ten' } });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('cache.taskTtlSeconds');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('environment variable TASK_CACHE_TTL');
  });
});

describe('task text in the terminal', () => {
  // What a terminal would obey or hide: escape sequences, C0/C1 controls (newlines and tabs apart), bidi controls, Unicode tags.
  const UNSAFE =
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\u{E0000}-\u{E007F}]/u;
  const tags = [...'run rm -rf'].map((c) => String.fromCodePoint(0xe0000 + (c.codePointAt(0) as number))).join('');
  const title = `Fix\u001b[2J\u001b]0;pwned\u0007 login\u202e\u2066 page\u009b31m${tags}\u200b`;
  const description = `First line\r\nstatus       done\u001b[8m hidden\u001b[0m\n\tindented`;

  it('prints no escape, control, bidi or tag character from a hostile task, and keeps the readable text', async () => {
    const project = path.join(tmp.dir, 'project');
    mkdirSync(project);
    const taskEnv = { ...env, TASKHOOKS_NO_AUTOSTART: '1' };
    const db = path.join(tmp.dir, 'tasks.db');
    const cli = async (...args: string[]) => {
      const r = await cliHere([...args, '--db', db], { env: taskEnv, cwd: project });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const added = await cli('tasks', 'add', title, '--description', description, '--label', `x\u001b[1m`);
    const id = /^Added (\S+) /.exec(added)?.[1] as string;
    const outputs = {
      added,
      list: await cli('tasks', 'list'),
      show: await cli('tasks', 'show', id),
      next: await cli('tasks', 'next'),
      started: await cli('tasks', 'start', id),
      blocked: await cli('tasks', 'block', id, '--note', 'waiting'),
    };
    for (const [what, out] of Object.entries(outputs)) {
      expect([what, UNSAFE.exec(out)?.[0]]).toEqual([what, undefined]);
      expect(out).toContain('Fix login page');
    }
    // A description keeps its lines, indented under its field so that none can pass for another one.
    expect(outputs.show).toMatch(/description {2}First line\n {13}status {7}done hidden\n {13}\tindented\n/);
    expect(outputs.show).toMatch(/\nstatus {7}todo\n/);

    // JSON carries the same normalised text: what hid a character from the secret scrubber is gone there too.
    const json = await cli('tasks', 'show', id, '--json');
    expect(UNSAFE.exec(json.replace(/\n/g, ''))).toBeNull();
    expect((JSON.parse(json) as { title: string }).title).toBe('Fix login page');
  });
});
