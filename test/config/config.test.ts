// Config precedence, provenance, the environment names users of the Python hooks already have, and every error line.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { normalizeMcpUrl } from '../../src/config/env.js';
import type { Config } from '../../src/config/schema.js';
import { resolveSettings } from '../../src/config/settings.js';
import { sourceKey } from '../../src/sources/plan.js';
import { configSecrets } from '../../src/config/env.js';
import { configFixture, modeOf, writeJson, writeTrustedJson } from '../foundation/helpers.js';
import { ensureHome } from '../../src/home/dir.js';

let tmp: ReturnType<typeof configFixture>;
let home: string;
let repo: string;
let deep: string;

const userFile = (): string => path.join(home, 'config.json');
const projectFile = (): string => path.join(repo, '.claude', 'taskhooks.json');
const load = (env: Record<string, string> = {}, cwd = deep): LoadedConfig =>
  loadConfig({ cwd, env: { TASKHOOKS_HOME: home, ...env } });
const messages = (l: LoadedConfig): string[] => l.problems.map((p) => p.message);
const planSource = (config: Config) => resolveSettings(config, home).source.plan;

beforeEach(() => {
  tmp = configFixture();
  ({ home, repo, deep } = tmp);
});
afterEach(() => tmp.remove());

describe('precedence and provenance', () => {
  it('uses defaults when nothing is configured, with no origins and no problems', () => {
    const l = load();
    expect(l.problems).toEqual([]);
    expect(l.origins.size).toBe(0);
    expect(l.config.cache).toEqual({ taskTtlSeconds: 900, gitTtlSeconds: 300 });
    expect(l.config.log.level).toBe('info');
    expect(l.config.source.servers).toEqual([]);
    expect(l.home).toBe(home);
    expect(l.projectFile).toBeUndefined();
    expect(planSource(l.config)).toEqual({ kind: 'embedded' });
  });

  it('ranks environment over project file over user file over defaults, remembering where each value came from', () => {
    writeJson(userFile(), {
      cache: { taskTtlSeconds: 100, gitTtlSeconds: 50 },
      log: { level: 'debug' },
      hooks: { maxPendingTasks: 7 },
    });
    writeTrustedJson(home, projectFile(), { cache: { taskTtlSeconds: 200 }, log: { level: 'warn' } });
    const l = load({ TASK_CACHE_TTL: '300' });
    expect(l.problems).toEqual([]);
    expect(l.config.cache).toEqual({ taskTtlSeconds: 300, gitTtlSeconds: 50 });
    expect(l.config.log.level).toBe('warn');
    expect(l.config.hooks.maxPendingTasks).toBe(7);
    expect(l.config.hooks.contextBudget).toBe(4000);
    expect(l.origins.get('cache.taskTtlSeconds')).toEqual({ kind: 'env', name: 'TASK_CACHE_TTL' });
    expect(l.origins.get('cache.gitTtlSeconds')).toEqual({ kind: 'user', file: userFile() });
    expect(l.origins.get('log.level')).toEqual({ kind: 'project', file: projectFile() });
    expect(l.origins.get('hooks.maxPendingTasks')).toEqual({ kind: 'user', file: userFile() });
    expect(l.origins.has('hooks.contextBudget')).toBe(false);
    expect(l.projectFile).toBe(projectFile());
    expect(l.userFile).toBe(userFile());
  });

  it('finds the project file from a subfolder, but never above the git root', () => {
    writeTrustedJson(home, path.join(tmp.dir, 'outer', '.claude', 'taskhooks.json'), { cache: { gitTtlSeconds: 1 } });
    expect(load().projectFile).toBeUndefined();
    expect(load().config.cache.gitTtlSeconds).toBe(300);
    writeTrustedJson(home, projectFile(), { cache: { gitTtlSeconds: 2 } });
    expect(load().config.cache.gitTtlSeconds).toBe(2);
    // The nearest file wins inside the repository.
    writeTrustedJson(home, path.join(repo, 'src', '.claude', 'taskhooks.json'), { cache: { gitTtlSeconds: 3 } });
    expect(load().config.cache.gitTtlSeconds).toBe(3);
    expect(load({}, repo).config.cache.gitTtlSeconds).toBe(2);
  });

  it('replaces arrays as a whole and keeps sibling keys from lower layers', () => {
    writeJson(userFile(), { source: { servers: ['http://a:1/mcp', 'http://b:1/mcp'], timeoutMs: 900 } });
    writeTrustedJson(home, projectFile(), { source: { servers: ['http://c:1/mcp'] } });
    const l = load();
    expect(l.config.source.servers).toEqual(['http://c:1/mcp']);
    expect(l.config.source.timeoutMs).toBe(900);
    expect(l.origins.get('source.servers')).toEqual({ kind: 'project', file: projectFile() });
    expect(l.origins.get('source.timeoutMs')).toEqual({ kind: 'user', file: userFile() });
  });
});

describe('renamed keys', () => {
  it("reads monitor.embeddedPort, the store server port's old name, as monitor.storeServerPort", () => {
    writeJson(userFile(), { monitor: { embeddedPort: 47001, hookPort: 47002 } });
    const l = load();
    expect(l.problems).toEqual([]);
    expect(l.config.monitor).toMatchObject({ storeServerPort: 47001, hookPort: 47002 });
    expect(resolveSettings(l.config, home).monitor.storeServerPort).toBe(47001);
    expect(l.origins.get('monitor.storeServerPort')).toEqual({ kind: 'user', file: userFile() });
  });

  it('lets the new name stand where a file holds both', () => {
    writeJson(userFile(), { monitor: { embeddedPort: 47001, storeServerPort: 47003 } });
    const l = load();
    expect(l.problems).toEqual([]);
    expect(l.config.monitor.storeServerPort).toBe(47003);
  });
});

describe('MCP_SERVER_URL', () => {
  it.each([
    ['http://localhost:8000', 'http://localhost:8000/mcp'],
    ['http://localhost:8000/', 'http://localhost:8000/mcp'],
    ['http://localhost:8000/mcp', 'http://localhost:8000/mcp'],
    ['http://localhost:8000/mcp/', 'http://localhost:8000/mcp'],
    ['  http://localhost:8000/base  ', 'http://localhost:8000/base/mcp'],
  ])('%j means the endpoint %s', (raw, expected) => {
    expect(normalizeMcpUrl(raw)).toBe(expected);
    const l = load({ MCP_SERVER_URL: raw });
    expect(l.problems).toEqual([]);
    expect(l.config.source.servers).toEqual([expected]);
  });

  it('takes a comma-separated failover list that shares one cache key', () => {
    const l = load({ MCP_SERVER_URL: 'http://127.0.0.1:8000, http://127.0.0.1:8001/mcp/,,' });
    expect(l.problems).toEqual([]);
    expect(l.config.source.servers).toEqual(['http://127.0.0.1:8000/mcp', 'http://127.0.0.1:8001/mcp']);
    const plan = planSource(l.config);
    expect(plan).toEqual({
      kind: 'remote',
      adapter: 'agenthub',
      servers: ['http://127.0.0.1:8000/mcp', 'http://127.0.0.1:8001/mcp'],
    });
    expect(sourceKey(plan)).toBe('http://127.0.0.1:8000/mcp');
  });
});

describe('environment names', () => {
  it.each([
    ['KEYCLOAK_URL', 'http://127.0.0.1:8080', ['auth', 'keycloakUrl'], 'http://127.0.0.1:8080'],
    ['KEYCLOAK_REALM', 'dhafnck', ['auth', 'realm'], 'dhafnck'],
    ['KEYCLOAK_CLIENT_ID', 'claude-hooks', ['auth', 'clientId'], 'claude-hooks'],
    ['KEYCLOAK_CLIENT_SECRET', 'kc-secret-value-123', ['auth', 'clientSecret'], 'kc-secret-value-123'],
    ['MCP_API_TOKEN', 'static-bearer-token', ['auth', 'token'], 'static-bearer-token'],
    ['TASK_TRACKING_URL', 'http://127.0.0.1:8080', ['source', 'trackingUrl'], 'http://127.0.0.1:8080/mcp'],
    ['TASK_TRACKING_API_KEY', 'tt-api-key-999', ['auth', 'apiKey'], 'tt-api-key-999'],
    ['TASK_CACHE_TTL', '60', ['cache', 'taskTtlSeconds'], 60],
    ['GIT_CACHE_TTL', '0', ['cache', 'gitTtlSeconds'], 0],
    ['TASKHOOKS_LOG_LEVEL', 'debug', ['log', 'level'], 'debug'],
  ])('%s sets %j', (name, raw, keyPath, expected) => {
    const l = load({ [name]: raw });
    expect(l.problems).toEqual([]);
    let node: unknown = l.config;
    for (const k of keyPath) node = (node as Record<string, unknown>)[k];
    expect(node).toEqual(expected);
    expect(l.origins.get(keyPath.join('.'))).toEqual({ kind: 'env', name });
  });

  it('TASK_TRACKING_URL alone selects the tracker adapter', () => {
    expect(planSource(load({ TASK_TRACKING_URL: 'http://127.0.0.1:8080' }).config)).toEqual({
      kind: 'remote',
      adapter: 'tracker',
      servers: ['http://127.0.0.1:8080/mcp'],
    });
  });

  it('TASKHOOKS_HOME is the state dir, created 0700 by ensureHome', () => {
    const other = path.join(tmp.dir, 'state', 'nested');
    const l = load({ TASKHOOKS_HOME: other });
    expect(l.home).toBe(other);
    expect(l.userFile).toBe(path.join(other, 'config.json'));
    ensureHome(l.home);
    expect(modeOf(other)).toBe(0o700);
  });

  it('an empty variable counts as unset', () => {
    const l = load({ TASK_CACHE_TTL: '', MCP_SERVER_URL: '  ' });
    expect(l.problems).toEqual([]);
    expect(l.config.cache.taskTtlSeconds).toBe(900);
    expect(l.config.source.servers).toEqual([]);
  });
});

describe('error lines', () => {
  function onlyProblem(l: LoadedConfig): string {
    expect(l.problems).toHaveLength(1);
    const m = l.problems[0]?.message ?? '';
    expect(m).not.toContain('\n');
    return m;
  }

  it('enum: names the key, the value, the allowed values and the variable, and falls back to the default', () => {
    const l = load({ TASKHOOKS_LOG_LEVEL: 'verbose' });
    const m = onlyProblem(l);
    expect(m).toContain('log.level');
    expect(m).toContain('"verbose"');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) expect(m).toContain(level);
    expect(m).toContain('environment variable TASKHOOKS_LOG_LEVEL');
    expect(l.config.log.level).toBe('info');
  });

  it('number out of range in the user file: names the bound and the file', () => {
    writeJson(userFile(), { hooks: { maxPendingTasks: 500 } });
    const l = load();
    const m = onlyProblem(l);
    expect(m).toMatch(/hooks\.maxPendingTasks = 500 is invalid/);
    expect(m).toContain('50');
    expect(m).toContain(`user file ${userFile()}`);
    expect(l.config.hooks.maxPendingTasks).toBe(5);
  });

  it.each(['abc', '-5', '1.5'])('TASK_CACHE_TTL=%s: says a whole number of seconds is expected', (raw) => {
    const l = load({ TASK_CACHE_TTL: raw });
    const m = onlyProblem(l);
    expect(m).toContain('cache.taskTtlSeconds');
    expect(m).toContain(raw);
    expect(m).toMatch(/integer|whole number|>=\s*0|number/i);
    expect(m).toContain('environment variable TASK_CACHE_TTL');
    expect(l.config.cache.taskTtlSeconds).toBe(900);
  });

  it('URL: names the variable, the value and that an http(s) URL is expected', () => {
    const l = load({ MCP_SERVER_URL: 'localhost:8000' });
    const m = onlyProblem(l);
    expect(m).toContain('source.servers');
    expect(m).toContain('localhost:8000');
    expect(m).toMatch(/http/i);
    expect(m).toContain('environment variable MCP_SERVER_URL');
    expect(l.config.source.servers).toEqual([]);
  });

  it('URL with a non-http scheme in the project file', () => {
    writeTrustedJson(home, projectFile(), { auth: { keycloakUrl: 'ftp://127.0.0.1/' } });
    const m = onlyProblem(load());
    expect(m).toContain('auth.keycloakUrl');
    expect(m).toContain('ftp://127.0.0.1/');
    expect(m).toMatch(/https?/);
    expect(m).toContain(`project file ${projectFile()}`);
  });

  it('unknown key: names the key, its file and the keys that are allowed there', () => {
    writeTrustedJson(home, projectFile(), { cache: { taskTTL: 5 } });
    const l = load();
    const m = onlyProblem(l);
    expect(m).toContain('cache.taskTTL');
    expect(m).toContain('5');
    expect(m).toContain('taskTtlSeconds');
    expect(m).toContain(`project file ${projectFile()}`);
    expect(l.config.cache.taskTtlSeconds).toBe(900);
  });

  it('unknown top-level key lists the sections', () => {
    writeJson(userFile(), { sources: {} });
    const m = onlyProblem(load());
    expect(m).toContain('unknown key sources');
    expect(m).toContain('source');
    expect(m).toContain(`user file ${userFile()}`);
  });

  it('wrong type: a string where an object belongs, and an object where a number belongs', () => {
    writeJson(userFile(), { cache: 'fast', hooks: { contextBudget: { max: 1 } } });
    const l = load();
    expect(l.problems).toHaveLength(2);
    const [a, b] = messages(l).sort();
    expect(a).toMatch(/cache = "fast" is invalid: .*object/);
    expect(b).toMatch(/hooks\.contextBudget = \{"max":1\} is invalid: .*number/);
    for (const m of [a, b]) expect(m).toContain(`user file ${userFile()}`);
    expect(l.config.cache.taskTtlSeconds).toBe(900);
    expect(l.config.hooks.contextBudget).toBe(4000);
  });

  it('invalid JSON: names the file, the line and the column, and ignores that file only', () => {
    writeJson(userFile(), '{\n  "cache": {\n    "taskTtlSeconds": 10,\n  }\n}\n');
    writeTrustedJson(home, projectFile(), { cache: { gitTtlSeconds: 9 } });
    const l = load();
    const m = onlyProblem(l);
    expect(m).toContain(userFile());
    expect(m).toMatch(/line 4, column 3/);
    expect(l.config.cache.taskTtlSeconds).toBe(900);
    expect(l.config.cache.gitTtlSeconds).toBe(9);
  });

  it('empty file: says so at line 1', () => {
    writeTrustedJson(home, projectFile(), '');
    const m = onlyProblem(load());
    expect(m).toContain(projectFile());
    expect(m).toMatch(/line 1, column 1/);
  });

  it('unreadable file: names the file and the reason', () => {
    mkdirSync(userFile()); // a directory where the file belongs cannot be read, even by root
    const m = onlyProblem(load());
    expect(m).toContain(userFile());
    expect(m).toContain('EISDIR');
  });

  it.each([['[1, 2]'], ['"text"'], ['null'], ['42']])('non-object JSON %s: names the file', (text) => {
    writeJson(userFile(), text);
    const m = onlyProblem(load());
    expect(m).toContain(userFile());
    expect(m).toMatch(/JSON object/);
  });

  it('reports every problem at once, one line each, keeping the good values', () => {
    writeJson(userFile(), { cache: { gitTtlSeconds: -1, taskTtlSeconds: 30 }, monitor: { hookPort: 70000 }, bogus: 1 });
    const l = load({ TASKHOOKS_LOG_LEVEL: 'loud' });
    expect(l.problems).toHaveLength(4);
    for (const m of messages(l)) expect(m.split('\n')).toHaveLength(1);
    expect(l.config.cache.taskTtlSeconds).toBe(30);
    expect(l.config.cache.gitTtlSeconds).toBe(300);
    // Refused, so unset: the state directory's own port applies (src/home/endpoint.ts).
    expect(l.config.monitor.hookPort).toBeUndefined();
  });

  it('never prints a secret in a problem line', () => {
    writeJson(userFile(), {
      auth: { clientSecret: 12345678901234, clientSecrett: 'typo-secret-value-xyz' },
      server: { tokens: [{ principal: 'p', token: 'short' }] },
    });
    const l = load();
    expect(l.problems.length).toBeGreaterThanOrEqual(3);
    const all = messages(l).join('\n');
    expect(all).not.toContain('12345678901234');
    expect(all).not.toContain('typo-secret-value-xyz');
    expect(all).not.toContain('"short"');
    expect(all).toContain('auth.clientSecrett');
  });
});

describe('keys a project spells otherwise', () => {
  it('an untrusted file: a dotted key is ignored and named, and the guards it also sets still hold', () => {
    writeJson(projectFile(), {
      'source.project': 'x',
      'hooks.guards': { requireActiveTask: 'off' },
      hooks: { 'guards.protectedPaths': ['nothing/**'], guards: { protectedPaths: ['secrets/**'] } },
    });
    const l = load();
    expect(l.problems).toEqual([]);
    expect(l.config.hooks.guards.protectedPaths).toEqual(['secrets/**']);
    expect(l.config.source.project).toBeUndefined();
    expect(l.project?.ignored.sort()).toEqual([
      '"hooks.guards".requireActiveTask',
      '"source.project"',
      'hooks."guards.protectedPaths"',
    ]);
  });

  it('a file nested deeper than any config is refused in one line, never thrown on', () => {
    const depth = 150_000;
    writeJson(projectFile(), `{"hooks":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
    writeJson(userFile(), { hooks: { guards: { protectedPaths: ['secrets/**'] } } });
    const l = load();
    expect(messages(l)).toEqual([expect.stringContaining('nests deeper than 64 levels')]);
    expect(l.config.hooks.guards.protectedPaths).toEqual(['secrets/**']);
  });

  it("a trusted file: a dotted key is one problem line, and no key reaches an object's prototype", () => {
    writeTrustedJson(
      home,
      projectFile(),
      '{"source.project": "x", "__proto__": {"polluted": 1}, "log": {"level": "warn"}}',
    );
    const l = load();
    expect(messages(l)).toHaveLength(1);
    expect(messages(l)[0]).toContain('unknown key source.project');
    expect(l.config.log.level).toBe('warn');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('configSecrets', () => {
  it('lists the values of every secret key and of source.env entries named like secrets, nothing else', () => {
    writeJson(userFile(), {
      auth: {
        clientId: 'claude-hooks',
        clientSecret: 'client-secret-value',
        apiKey: 'api-key-value',
        tokenAuthMethod: 'client_secret_basic',
      },
      server: { tokens: [{ principal: 'ci', token: 'server-token-value-0123456789abcdef' }] },
      source: { env: { GITHUB_TOKEN: 'gh-token-value', NODE_ENV: 'production' } },
    });
    const l = load({ MCP_API_TOKEN: 'bearer-token-value' });
    expect(l.problems).toEqual([]);
    expect(configSecrets(l.config).sort()).toEqual(
      [
        'api-key-value',
        'bearer-token-value',
        'client-secret-value',
        'gh-token-value',
        'server-token-value-0123456789abcdef',
      ].sort(),
    );
  });
});
