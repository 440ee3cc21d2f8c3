// What keeps the monitor small over days: its cache connection's page cache, how it is launched, and the collection
// after a job that allocated much.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { loadSettings } from '../../src/config/settings.js';
import { openDatabase } from '../../src/sqlite/index.js';
import { MONITOR_NODE_FLAGS } from '../../src/home/launch.js';
import { startMonitor } from '../../src/monitor/daemon.js';
import { createMemoryKeeper, memoryMiB } from '../../src/monitor/upkeep/memory.js';
import { hookEnv, ROOT, runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';
import { STATELESS_MCP_HEADERS } from '../helpers/mcp-headers.js';
import { makeRepoFor } from './fixtures.js';
import { CLI, monitorHome, waitFor, type MonitorHome } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('monitor memory', () => {
  it("keeps 1 MiB of cache pages on the monitor's connection, SQLite's build default elsewhere", async () => {
    const t = tempHome({
      source: { servers: ['http://127.0.0.1:9/mcp'] },
      monitor: { hookPort: 0, taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' },
    });
    cleanups.push(t.cleanup);
    const env = hookEnv(t.home);
    const { settings } = await loadSettings({ cwd: t.home, env });
    const result = await startMonitor({
      settings,
      env,
      services: {
        refreshTasks: async () => {
          throw new Error('no fetch in this test');
        },
        collectGitState: async () => null,
        runHook: async () => null,
        startStoreServer: async () => {
          throw new Error('no store server in this test');
        },
      },
    });
    if (!result.started) throw new Error('the monitor did not start');
    const { monitor } = result;
    cleanups.push(() => monitor.stop());
    // The start-up cycle and the log file's asynchronous open, so that stopping finds nothing in flight.
    await monitor.refreshNow();
    await waitFor('the monitor log to open', () => existsSync(monitor.logFile));
    expect(monitor.cache.db.pragma('cache_size', { simple: true })).toBe(-1024);

    const other = openCache({ home: t.home });
    cleanups.push(() => other.close());
    // The build default differs by driver: better-sqlite3 builds SQLite with 16 MB, node:sqlite keeps SQLite's 2 MB.
    const plain = openDatabase(path.join(t.home, 'plain.db'));
    cleanups.push(() => void plain.close());
    const buildDefault = plain.pragma('cache_size', { simple: true });
    expect(buildDefault).not.toBe(-1024);
    expect(other.db.pragma('cache_size', { simple: true })).toBe(buildDefault);
  });

  // /proc shows a process's arguments and environment; elsewhere the launch is the same code, unchecked here.
  it.runIf(process.platform === 'linux')(
    'starts the daemon with the V8 flags and the one malloc arena it is measured with',
    () => {
      const m = monitorHome({});
      cleanups.push(() => m.cleanup());
      expect(m.cli(['monitor', 'start']).code).toBe(0);
      const pid = m.info()?.pid;
      if (!pid) throw new Error('the monitor published no pid');
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(args.slice(1, 1 + MONITOR_NODE_FLAGS.length)).toEqual([...MONITOR_NODE_FLAGS]);
      expect(args).toContain('--liftoff-only');
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(
        `MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '1'}`,
      );
      expect(m.cli(['monitor', 'stop']).code).toBe(0);
    },
  );

  // What an idle monitor loads stays resident for good: over the built-in store, which it reads in its own process,
  // a fetch round must not bring in the network stack (the MCP client, Node's fetch and its HTTP parser).
  it('refreshes a project on the built-in store without loading the network stack', async () => {
    const { urls } = await idleMonitorOnBuiltInStore();
    expect(urls.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
    expect(urls.filter((u) => u.endsWith('/dist/network.js'))).toEqual([]);
  });

  // Each part is named by a string only its code holds; that string is checked to be where the part's code is, so the
  // test cannot pass because the string changed.
  it('leaves out, until first used, what an idle monitor on the built-in store does not use', async () => {
    const { urls, internal } = await idleMonitorOnBuiltInStore();
    const loadedCode = urls
      .filter((u) => u.startsWith('file:'))
      .map((u) => readFileSync(fileURLToPath(u), 'utf8'))
      .join('\n');
    const chunks = path.join(ROOT, 'dist', 'chunks');
    const builtCode = readdirSync(chunks)
      .map((f) => readFileSync(path.join(chunks, f), 'utf8'))
      .join('\n');
    const absent = {
      // The dashboard's routes: loaded by the first request for a page.
      dashboard: { marker: 'Not signed in: run `taskhooks dashboard`', in: builtCode },
      // The PostgreSQL engine, which the store server over tasks.db never uses.
      'PostgreSQL engine': { marker: 'the change feed could not reconnect', in: builtCode },
      // jose, which only a server taking OIDC tokens needs.
      jose: { marker: 'ERR_JWKS_NO_MATCHING_KEY', in: builtCode },
      // The MCP SDK's server and the web framework under its transport: loaded by the store server's first MCP request
      // other than a session's discover and tools/list, which the derived listing answers.
      'MCP server': { marker: 'No task store provided for task-capable tool.', in: builtCode },
      'hono node server': { marker: 'Client connection prematurely closed.', in: builtCode },
      // Install's file writers and the TOML library under them: loaded when the monitor's port moves and it rewrites
      // the installed files, never to ask which projects are on an earlier tool-call route.
      'install writers': { marker: 'as an inline table or dotted keys, which install', in: builtCode },
      'smol-toml': { marker: 'trying to redefine an already defined table', in: builtCode },
      // The config loader: `monitor start` leaves the monitor a validated-config cache entry, so its read is a hit.
      'config loader': { marker: 'make it a regular JSON file or remove it', in: builtCode },
      // zod's messages in other languages than the English taskhooks configures.
      "zod's other locales": {
        marker: 'Ongeldige invoer',
        in: readFileSync(path.join(ROOT, 'node_modules/zod/v4/locales/nl.js'), 'utf8'),
      },
    };
    for (const [part, { marker, in: where }] of Object.entries(absent))
      expect(where.includes(marker), `${part}: its marker is where its code is`).toBe(true);
    const loadedParts = Object.entries(absent)
      .filter(([, { marker }]) => loadedCode.includes(marker))
      .map(([part]) => part);
    expect(loadedParts).toEqual([]);
    // Node's own modules that the MCP stack brings (HTTP/2 through hono, fetch's undici through web streams).
    expect(urls.filter((u) => u === 'node:http2')).toEqual([]);
    expect(internal).toContain('NativeModule http');
    expect(internal.filter((m) => /undici|http2|webstreams/.test(m))).toEqual([]);
  });
});

interface LoadedModules {
  urls: string[];
  internal: string[];
}
let idleLoads: Promise<LoadedModules> | undefined;

/** idleMonitorLoads, run once for the tests that read it: a monitor's start and fetch are the slow part. */
function idleMonitorOnBuiltInStore(): Promise<LoadedModules> {
  idleLoads ??= idleMonitorLoads();
  return idleLoads;
}

/**
 * The built monitor over the built-in store with one project, registered by a session's start, fetched, served a
 * tool call's hooks and a session's listing of its task tools, and every module it loaded meanwhile: its files and
 * node: modules as they load (through Node's module customization hooks), and Node's internal ones
 * (process.moduleLoadList, written when the test asks). It is started as `monitor start` leaves it, from a project:
 * that starter, stopped here, has read the monitor's config.
 */
async function idleMonitorLoads(): Promise<LoadedModules> {
  const m = monitorHome({ monitor: { taskSchedule: '0 0 1 1 *' } });
  cleanups.push(() => m.cleanup());
  const repo = makeRepoFor('demo');
  cleanups.push(repo.cleanup);
  expect(m.cli(['tasks', 'add', 'Fix login'], repo.dir).code).toBe(0);
  expect(m.cli(['monitor', 'start'], repo.dir).code).toBe(0);
  expect(m.cli(['monitor', 'stop']).code).toBe(0);
  const loaded = path.join(m.home, 'loaded.txt');
  const recorder = path.join(m.home, 'record-loads.mjs');
  writeFileSync(
    path.join(m.home, 'record-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(loaded)}, url + '\\n');\n  return next(url, context);\n}\n`,
  );
  const internal = path.join(m.home, 'internal.txt');
  const ask = path.join(m.home, 'internal.ask');
  writeFileSync(
    recorder,
    `import { register } from 'node:module';\nimport { existsSync, rmSync, writeFileSync } from 'node:fs';\nregister('./record-hooks.mjs', import.meta.url);\nsetInterval(() => { if (existsSync(${JSON.stringify(ask)})) { writeFileSync(${JSON.stringify(internal)}, process.moduleLoadList.join('\\n')); rmSync(${JSON.stringify(ask)}); } }, 50).unref();\n`,
  );
  const monitor = spawn(process.execPath, ['--import', pathToFileURL(recorder).href, CLI, 'monitor', 'run'], {
    env: hookEnv(m.home),
    cwd: m.home,
    stdio: 'ignore',
  });
  if (monitor.pid) m.pids.add(monitor.pid);
  await waitFor('the monitor', () => m.info()?.storeServerUrl);
  // A session's start registers the project and wakes the monitor, which fetches it at once.
  expect((await runHook('session-start', sessionStartInput(repo.dir), { home: m.home, cwd: repo.dir })).code).toBe(0);
  // The fetch's call is recorded against the server that answered it, as `monitor status` shows it.
  await waitFor('the project fetched', () =>
    /^built-in store via the monitor\s+ok\s/m.test(m.cli(['monitor', 'status']).stdout),
  );
  await servedToolCall(m, repo.dir);
  await sessionListsTools(m);
  writeFileSync(ask, '');
  await waitFor("the monitor's internal modules", () => !existsSync(ask));
  const urls = readFileSync(loaded, 'utf8').split('\n');
  // What Node and the recorder load by themselves is not the monitor's (Node 20 loads web streams for the recorder's
  // loader thread). Run after the monitor's files are read: the recorder notes its loads in the same file.
  const script = 'process.moduleLoadList.join("\\n")';
  const bare = new Set(
    execFileSync(process.execPath, ['--import', pathToFileURL(recorder).href, '-p', script], {
      cwd: m.home,
      encoding: 'utf8',
    }).split('\n'),
  );
  return {
    urls,
    internal: readFileSync(internal, 'utf8')
      .split('\n')
      .filter((mod) => !bare.has(mod)),
  };
}

/** An Edit's PreToolUse and PostToolUse, served by the monitor's hook port as the agents' HTTP hooks post them. */
async function servedToolCall(m: MonitorHome, cwd: string): Promise<void> {
  const token = readFileSync(path.join(m.home, 'hook-token'), 'utf8').trim();
  const tool = {
    tool_name: 'Edit',
    tool_input: { file_path: path.join(cwd, 'a.ts'), old_string: 'a', new_string: 'b' },
  };
  for (const [route, event, extra] of [
    ['pre-tool-use', 'PreToolUse', {}],
    ['post-tool-use', 'PostToolUse', { tool_response: { success: true } }],
  ] as const) {
    const r = await fetch(`http://127.0.0.1:${m.info()?.hookPort}/hooks/${route}`, {
      method: 'POST',
      body: JSON.stringify({ session_id: 'idle', cwd, hook_event_name: event, ...tool, ...extra }),
      headers: { 'x-taskhooks-token': token },
    });
    expect(r.status).toBe(200);
    await r.body?.cancel();
  }
}

/** A session's first requests to its task tools, as Claude Code sends them in the stateless revision. */
async function sessionListsTools(m: MonitorHome): Promise<void> {
  const token = readFileSync(path.join(m.home, 'store-token'), 'utf8').trim();
  for (const method of ['server/discover', 'tools/list']) {
    const r = await fetch(m.info()?.storeServerUrl ?? '', {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: method, method, params: {} }),
      headers: { ...STATELESS_MCP_HEADERS, authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ id: method, result: { resultType: 'complete' } });
  }
}

const MiB = 1024 * 1024;

/** A job that leaves `mib` MiB of the V8 heap in use (arrays of 8,192 small integers) until the caller lets go. */
async function allocating(mib: number): Promise<number[][]> {
  const kept: number[][] = [];
  for (let i = 0; i < mib * 16; i++) {
    kept.push(new Array<number>(8192).fill(i));
    if (i % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  return kept;
}

/**
 * A full collection of this process's heap, which vitest starts without --expose-gc. A job's measure is the heap's
 * growth, so a collection during the job also takes off what the heap held as garbage at its start: the earlier tests'
 * (megabytes of files read) and up to a young generation's (megabytes at node's defaults, 1 MiB in the monitor).
 * Collected first, the heap holds no such garbage, and the growth is the job's alone.
 */
function collectBeforeJob(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('createMemoryKeeper', () => {
  it('collects, once, after a job that allocated past the threshold, and not after a small one', async () => {
    let collections = 0;
    const keeper = createMemoryKeeper({ thresholdBytes: 16 * MiB, gc: () => collections++ });
    cleanups.push(() => keeper.close());
    collectBeforeJob();
    keeper.beforeJob();
    const kept = await allocating(40);
    const big = keeper.afterJob();
    expect(kept).toHaveLength(40 * 16);
    expect(big.allocatedBytes).toBeGreaterThanOrEqual(32 * MiB);
    expect(big.collected).toBe(true);
    expect(collections).toBe(1);

    keeper.beforeJob();
    const small = keeper.afterJob();
    expect(small.allocatedBytes).toBeLessThan(16 * MiB);
    expect(small.collected).toBe(false);
    expect(collections).toBe(1);
  });

  it('only measures when node gives it no collector (started without --expose-gc)', async () => {
    const keeper = createMemoryKeeper({ thresholdBytes: 1 * MiB });
    cleanups.push(() => keeper.close());
    collectBeforeJob();
    keeper.beforeJob();
    const kept = await allocating(4);
    // The collections V8 made meanwhile reach the keeper's observer on a later turn, as they do after a real job.
    await new Promise((r) => setTimeout(r, 50));
    const job = keeper.afterJob();
    expect(kept).toHaveLength(4 * 16);
    expect(job.allocatedBytes).toBeGreaterThanOrEqual(3 * MiB);
    expect(job.collected).toBe(false);
  });

  it('reports the process memory in MiB with one decimal', () => {
    const m = memoryMiB();
    expect(m.rss).toBeGreaterThan(m.heapUsed);
    expect(m.heapTotal).toBeGreaterThanOrEqual(m.heapUsed);
    for (const v of Object.values(m)) expect(Math.round(v * 10)).toBe(v * 10);
  });
});
