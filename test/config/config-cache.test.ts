// The hooks' validated-config cache: a hit gives exactly what loadConfig gives, and anything loadConfig depends on
// (a config file edited, appearing or broken, an environment variable) makes it miss.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfigThroughConfigCache } from '../../src/config/config-cache.js';
import { homeFiles } from '../../src/home/files.js';
import { loadConfig } from '../../src/config/load.js';
import { configFixture, modeOf, writeJson, writeTrustedJson } from '../foundation/helpers.js';
import { demoProject, preToolUseInput, runHook, sessionStartInput } from '../helpers/hooks.js';

let tmp: ReturnType<typeof configFixture>;
let home: string;
let repo: string;
let deep: string;

const userFile = (): string => path.join(home, 'config.json');
const cacheFile = (): string => homeFiles(home).configCache;
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ TASKHOOKS_HOME: home, ...extra });
const cached = (extra: Record<string, string> = {}, cwd = deep) =>
  loadConfigThroughConfigCache({ cwd, env: env(extra) });

beforeEach(() => {
  tmp = configFixture('th-config-cache-');
  ({ home, repo, deep } = tmp);
});
afterEach(() => tmp.remove());

describe('config cache', () => {
  it('misses once, then returns what loadConfig returns, from a 0600 file', async () => {
    writeJson(userFile(), { cache: { taskTtlSeconds: 60 }, hooks: { maxPendingTasks: 99 }, bogus: 1 });
    writeTrustedJson(home, path.join(repo, '.claude', 'taskhooks.json'), { log: { level: 'debug' } });
    const first = await cached({ MCP_API_TOKEN: 'secret-token-1234' });
    expect(first.hit).toBe(false);
    expect(first.error).toBeUndefined();
    expect(modeOf(cacheFile())).toBe(0o600);

    const second = await cached({ MCP_API_TOKEN: 'secret-token-1234' });
    expect(second.hit).toBe(true);
    const fresh = loadConfig({ cwd: deep, env: env({ MCP_API_TOKEN: 'secret-token-1234' }) });
    expect(second.loaded).toEqual(fresh);
    // The token came from the environment: the hit read it there again, and the file holds neither it nor its key's value.
    expect(second.loaded.config.auth.token).toBe('secret-token-1234');
    expect(readFileSync(cacheFile(), 'utf8')).not.toContain('secret-token-1234');
    expect(second.loaded.problems.map((p) => p.key).sort()).toEqual(['bogus', 'hooks.maxPendingTasks']);
    expect(second.loaded.origins.get('log.level')).toEqual({
      kind: 'project',
      file: path.join(repo, '.claude', 'taskhooks.json'),
    });
  });

  it('misses when the user config is edited, even to the same size', async () => {
    writeJson(userFile(), { cache: { taskTtlSeconds: 100 } });
    expect((await cached()).loaded.config.cache.taskTtlSeconds).toBe(100);
    expect((await cached()).hit).toBe(true);
    writeJson(userFile(), { cache: { taskTtlSeconds: 200 } });
    const after = await cached();
    expect(after.hit).toBe(false);
    expect(after.loaded.config.cache.taskTtlSeconds).toBe(200);
  });

  it('misses when a config file breaks or goes away', async () => {
    writeJson(userFile(), { cache: { taskTtlSeconds: 100 } });
    await cached();
    writeFileSync(userFile(), '{ not json');
    const broken = await cached();
    expect(broken.hit).toBe(false);
    expect(broken.loaded.config.cache.taskTtlSeconds).toBe(900);
    expect(broken.loaded.problems).toHaveLength(1);
    expect((await cached()).loaded.problems).toHaveLength(1);
  });

  it('misses when an environment variable it reads changes', async () => {
    await cached({ TASK_CACHE_TTL: '30' });
    const changed = await cached({ TASK_CACHE_TTL: '40' });
    expect(changed.hit).toBe(false);
    expect(changed.loaded.config.cache.taskTtlSeconds).toBe(40);
    const unset = await cached();
    expect(unset.hit).toBe(false);
    expect(unset.loaded.config.cache.taskTtlSeconds).toBe(900);
    expect(unset.loaded.origins.size).toBe(0);
  });

  it('misses when a project file appears between cwd and the git root, and when it is edited', async () => {
    writeTrustedJson(home, path.join(repo, '.claude', 'taskhooks.json'), { hooks: { maxPendingTasks: 3 } });
    expect((await cached()).loaded.config.hooks.maxPendingTasks).toBe(3);
    const nearer = path.join(repo, 'src', '.claude', 'taskhooks.json');
    writeTrustedJson(home, nearer, { hooks: { maxPendingTasks: 4 } });
    const appeared = await cached();
    expect(appeared.hit).toBe(false);
    expect(appeared.loaded.projectFile).toBe(nearer);
    expect(appeared.loaded.config.hooks.maxPendingTasks).toBe(4);
    writeTrustedJson(home, nearer, { hooks: { maxPendingTasks: 6 } });
    expect((await cached()).loaded.config.hooks.maxPendingTasks).toBe(6);
  });

  it("keeps the repository's project in its entry, and misses when the repository's origin changes", async () => {
    const origin = (url: string) =>
      writeFileSync(path.join(repo, '.git', 'config'), `[remote "origin"]\n\turl = ${url}\n`);
    origin('git@github.com:acme/shop.git');
    const first = await cached();
    expect(first.hit).toBe(false);
    expect(first.loaded.config.source.project).toBe('repo');
    const again = await cached();
    expect(again.hit).toBe(true);
    expect(again.loaded.config.source.project).toBe('repo');
    // Another repository made in the same folder: another project, its name numbered beside the first's.
    origin('https://example.com/someone/else.git');
    const other = await cached();
    expect(other.hit).toBe(false);
    expect(other.loaded.config.source.project).toBe('repo-2');
  });

  it('keeps no entry while the task store cannot say which project the repository is', async () => {
    writeFileSync(path.join(repo, '.git', 'config'), '[remote "origin"]\n\turl = git@github.com:acme/shop.git\n');
    // A folder where tasks.db should be: the store cannot open.
    mkdirSync(homeFiles(home).tasks, { recursive: true });
    for (let i = 0; i < 2; i++) {
      const run = await cached();
      expect(run.hit).toBe(false);
      expect(run.loaded.config.source.project).toBeUndefined();
    }
    expect(readFileSync(path.join(home, 'logs', 'hooks.log'), 'utf8')).toContain(
      `the project of ${repo} is named after its folder (repo) this time`,
    );
  });

  it('keeps one entry per project, so sessions in two projects both hit', async () => {
    const other = path.join(tmp.dir, 'other');
    mkdirSync(path.join(other, '.git'), { recursive: true });
    writeTrustedJson(home, path.join(other, '.claude', 'taskhooks.json'), { hooks: { maxPendingTasks: 8 } });
    await cached();
    await cached({}, other);
    const here = await cached();
    const there = await cached({}, other);
    expect([here.hit, there.hit]).toEqual([true, true]);
    expect([here.loaded.config.hooks.maxPendingTasks, there.loaded.config.hooks.maxPendingTasks]).toEqual([5, 8]);
  });

  it('in a process that loads more projects than the file keeps (the monitor each cycle), each misses only once', async () => {
    const roots = Array.from({ length: 20 }, (_, i) => {
      const root = path.join(tmp.dir, `project-${i}`);
      mkdirSync(path.join(root, '.git'), { recursive: true });
      return root;
    });
    for (const root of roots) expect((await cached({}, root)).hit).toBe(false);
    const again = await Promise.all(roots.map(async (root) => (await cached({}, root)).hit));
    expect(again).toEqual(roots.map(() => true));
    // A hit is the caller's own copy: changing it changes no later load.
    (await cached({}, roots[0])).loaded.config.hooks.maxPendingTasks = 1;
    expect((await cached({}, roots[0])).loaded.config.hooks.maxPendingTasks).toBe(5);
  });

  it("holds another process's entry it read twice: later loads read no file, and each gets its own copy", async () => {
    writeJson(userFile(), { cache: { taskTtlSeconds: 70 } });
    expect((await cached()).hit).toBe(false);
    // A process of its own (a fresh module), as the monitor is to the hook that wrote the entry.
    vi.resetModules();
    const other = await import('../../src/config/config-cache.js');
    const load = () => other.loadConfigThroughConfigCache({ cwd: deep, env: env() });
    // A hook's one read holds nothing: the file still decides the next load, whose entry is then held.
    expect((await load()).loaded.config.cache.taskTtlSeconds).toBe(70);
    writeFileSync(cacheFile(), readFileSync(cacheFile(), 'utf8').replace('"taskTtlSeconds":70', '"taskTtlSeconds":71'));
    const first = await load();
    expect(first.hit).toBe(true);
    expect(first.loaded.config.cache.taskTtlSeconds).toBe(71);
    writeFileSync(cacheFile(), 'garbage');
    first.loaded.config.cache.taskTtlSeconds = 1;
    const again = await load();
    expect(again.hit).toBe(true);
    expect(again.loaded).toEqual({
      ...first.loaded,
      config: { ...first.loaded.config, cache: { ...first.loaded.config.cache, taskTtlSeconds: 71 } },
    });
    expect(readFileSync(cacheFile(), 'utf8')).toBe('garbage');
  });

  it('makes its key only when an environment variable it reads is set', async () => {
    await cached();
    expect((await cached()).hit).toBe(true);
    expect(existsSync(homeFiles(home).configCacheKey)).toBe(false);
    await cached({ TASK_CACHE_TTL: '30' });
    expect(modeOf(homeFiles(home).configCacheKey)).toBe(0o600);
  });

  it('the bundles of one build share an entry: SessionStart and PreToolUse in one project fill one', async () => {
    const project = demoProject();
    try {
      await runHook('session-start', sessionStartInput(project.repo.dir), { home: project.home });
      await runHook(
        'pre-tool-use',
        preToolUseInput(project.repo.dir, 'Edit', { file_path: path.join(project.repo.dir, 'a.ts') }),
        { home: project.home },
      );
      const entries = JSON.parse(readFileSync(homeFiles(project.home).configCache, 'utf8')) as unknown[];
      expect(entries).toHaveLength(1);
    } finally {
      project.cleanup();
    }
  });

  it('answers a hit with nothing set by environment without loading node:crypto; a variable set is hashed', async () => {
    const project = demoProject();
    try {
      const edit = () => preToolUseInput(project.repo.dir, 'Edit', { file_path: path.join(project.repo.dir, 'a.ts') });
      await runHook('pre-tool-use', edit(), { home: project.home });
      // What node loaded, written as the hook exits.
      const probe = path.join(project.repo.dir, 'probe.cjs');
      const out = path.join(project.repo.dir, 'loaded.txt');
      writeFileSync(
        probe,
        "process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, process.moduleLoadList.join('\\n')));",
      );
      const run = await runHook('pre-tool-use', edit(), {
        home: project.home,
        env: { NODE_OPTIONS: `--require ${probe}`, PROBE_OUT: out },
      });
      expect(run.code).toBe(0);
      const loaded = readFileSync(out, 'utf8').split('\n');
      expect(loaded).toContain('NativeModule fs');
      expect(loaded.filter((m) => m.includes('crypto'))).toEqual([]);
      await runHook('pre-tool-use', edit(), { home: project.home, env: { TASK_CACHE_TTL: '30' } });
      const entries = JSON.parse(readFileSync(homeFiles(project.home).configCache, 'utf8')) as Array<{ key: string }>;
      expect(entries).toHaveLength(1);
      expect(entries[0]?.key).not.toContain('"unset"');
    } finally {
      project.cleanup();
    }
  });

  it('reloads over a damaged cache file and says why when it cannot write one', async () => {
    writeFileSync(cacheFile(), 'garbage');
    const damaged = await cached();
    expect(damaged.hit).toBe(false);
    expect(JSON.parse(readFileSync(cacheFile(), 'utf8'))).toHaveLength(1);
    expect((await cached()).hit).toBe(true);

    const blockedHome = path.join(tmp.dir, 'blocked');
    mkdirSync(homeFiles(blockedHome).configCache, { recursive: true });
    const blocked = await loadConfigThroughConfigCache({
      cwd: deep,
      env: { TASKHOOKS_HOME: blockedHome, TASK_CACHE_TTL: '30' },
    });
    expect(blocked.hit).toBe(false);
    expect(blocked.loaded.config.cache.taskTtlSeconds).toBe(30);
    expect(blocked.error).toContain('config-cache.json');
  });
});
