// The CLI's split builds hold what each command loads to what it needs: reading the embedded store (`tasks list`,
// `next`, `show`) and changing it (`tasks add`, `start`, `edit`, `note`, `done`) load no MCP SDK, full zod, task server
// or network stack, which the store's export (its schemas are full zod, beside the task server) still loads. The
// `tasks` commands and `monitor run` run from builds of their own, and no process loads files of two.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, ROOT } from '../helpers/hooks.js';
import { monitorHome, waitFor } from '../monitor/helpers.js';
// @ts-expect-error the manifest is a plain .mjs module that the build runs as it is
import { buildOptions } from '../../scripts/bundles.mjs';

const run = promisify(execFile);
const { cliBuild, tasksCliBuild, monitorCliBuild, helpCliBuild } = buildOptions(ROOT, path.join(ROOT, 'dist')) as {
  cliBuild: (outdir: string) => Record<string, unknown>;
  tasksCliBuild: (outdir: string) => Record<string, unknown>;
  monitorCliBuild: (outdir: string) => Record<string, unknown>;
  helpCliBuild: (outdir: string) => Record<string, unknown>;
};

let tmp: string;
let out: string;
let repo: TempRepo;
let metafile: Metafile;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'th-cli-bundle-'));
  out = path.join(tmp, 'dist');
  mkdirSync(out);
  // The build leaves better-sqlite3 to node_modules, found from the chunks upward.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
  const [whole, tasks] = await Promise.all(
    [cliBuild(out), tasksCliBuild(out), helpCliBuild(out), monitorCliBuild(out)].map((options) =>
      build({ ...options, absWorkingDir: ROOT, metafile: true }),
    ),
  );
  metafile = {
    inputs: { ...whole?.metafile?.inputs, ...tasks?.metafile?.inputs },
    outputs: { ...whole?.metafile?.outputs, ...tasks?.metafile?.outputs },
  };
  repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
}, 120_000);
afterAll(() => {
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * The build's output files one run of the CLI loaded (bench/loaded.mjs lists the module files), relative to out; a
 * run expected to fail must print `failure` on stderr.
 */
async function filesLoaded(args: string[], failure?: string): Promise<string[]> {
  const list = path.join(tmp, 'loaded.txt');
  rmSync(list, { force: true });
  const probe = pathToFileURL(path.join(ROOT, 'bench/loaded.mjs')).href;
  const ran = run(process.execPath, ['--import', probe, path.join(out, 'cli.js'), ...args], {
    cwd: repo.dir,
    env: { ...hookEnv(path.join(tmp, 'home')), HOME: tmp, NO_COLOR: '1', TASKHOOKS_BENCH_LOADED: list },
  });
  if (failure === undefined) await ran;
  else await expect(ran).rejects.toMatchObject({ stderr: expect.stringContaining(failure) });
  return readFileSync(list, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[1] ?? '')
    .filter((f) => f.startsWith(out))
    .map((f) => path.relative(out, f));
}

/** The built-in modules of Node one run of the CLI loaded (process.moduleLoadList at its exit). */
async function builtinsLoaded(args: string[]): Promise<string[]> {
  const list = path.join(tmp, 'builtins.txt');
  const preload = path.join(tmp, 'builtins.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));`,
  );
  await run(process.execPath, ['-r', preload, path.join(out, 'cli.js'), ...args], {
    cwd: repo.dir,
    env: { ...hookEnv(path.join(tmp, 'home')), HOME: tmp, NO_COLOR: '1' },
  });
  return readFileSync(list, 'utf8').split('\n');
}

/** The source files of the build's outputs one run of the CLI loaded. */
async function sourcesLoaded(args: string[], failure?: string): Promise<string[]> {
  const files = await filesLoaded(args, failure);
  return files.flatMap((f) => Object.keys(metafile.outputs[path.relative(ROOT, path.join(out, f))]?.inputs ?? {}));
}

/** Whether an output file is the `tasks` build's (its entry and its chunks), not the whole CLI's. */
const ofTasksBuild = (file: string): boolean => file === 'cli-tasks.js' || file.startsWith('chunks/tasks-');
/** Whether an output file is `monitor run`'s build's. */
const ofMonitorBuild = (file: string): boolean => file === 'cli-monitor.js' || file.startsWith('chunks/monitor-run-');

/**
 * The files of dist/ (the built monitor needs the package around it) that a monitor loaded from its start until it
 * stopped, once it listened, relative to dist/.
 */
async function monitorFilesLoaded(): Promise<string[]> {
  const m = monitorHome({});
  const list = path.join(m.home, 'loaded.txt');
  const probe = pathToFileURL(path.join(ROOT, 'bench/loaded.mjs')).href;
  const dist = path.join(ROOT, 'dist');
  const monitor = spawn(process.execPath, ['--import', probe, path.join(dist, 'cli.js'), 'monitor', 'run'], {
    cwd: m.home,
    env: { ...hookEnv(m.home), TASKHOOKS_BENCH_LOADED: list },
    stdio: 'ignore',
  });
  if (monitor.pid) m.pids.add(monitor.pid);
  try {
    await waitFor('the monitor to listen', () => m.info()?.pid === monitor.pid);
    const stopped = new Promise((resolve) => monitor.once('exit', resolve));
    monitor.kill('SIGTERM');
    await stopped;
    return readFileSync(list, 'utf8')
      .trim()
      .split('\n')
      .map((l) => path.relative(dist, l.split('\t')[1] ?? ''));
  } finally {
    m.cleanup();
  }
}

const heavy = (inputs: string[]): string[] =>
  inputs.filter(
    (i) =>
      i.includes('node_modules/@modelcontextprotocol/') ||
      i.includes('node_modules/zod/v4/classic/') ||
      i.startsWith('src/network/') ||
      i === 'src/server/server.ts',
  );

describe('the CLI build', () => {
  it('`tasks list`, `next`, `show` (of a missing id too) and the writes on the embedded store use it with none of the MCP SDK, full zod, task server or network stack', async () => {
    const exported = await sourcesLoaded(['tasks', 'export']);
    // The probe sees them where they are loaded: the export loads the store's whole server module and full zod.
    expect(heavy(exported).some((i) => i.includes('zod/v4/classic/'))).toBe(true);
    expect(exported).toContain('src/server/server.ts');

    for (const write of [
      ['tasks', 'add', 'Fix the checkout total'],
      ['tasks', 'start', 'TASK-001'],
      ['tasks', 'edit', 'TASK-001', '--priority', 'high'],
      ['tasks', 'note', 'TASK-001', 'the rounding'],
      ['tasks', 'done', 'TASK-001'],
    ]) {
      const loaded = await sourcesLoaded(write);
      expect(loaded, write.join(' ')).toContain('src/sources/embedded/local-write.ts');
      expect(heavy(loaded), write.join(' ')).toEqual([]);
    }
    for (const read of [
      ['tasks', 'list'],
      ['tasks', 'next'],
      ['tasks', 'show', 'TASK-001'],
    ]) {
      const loaded = await sourcesLoaded(read);
      expect(loaded, read.join(' ')).toContain('src/sources/embedded/local-read.ts');
      expect(heavy(loaded), read.join(' ')).toEqual([]);
    }
    // A mistyped id: the store in process says it holds none, with no served read to say it again.
    const missing = await sourcesLoaded(['tasks', 'show', 'TASK-404'], 'taskhooks: Task not found: TASK-404 (');
    expect(missing).toContain('src/sources/embedded/local-read.ts');
    expect(heavy(missing)).toEqual([]);
  });

  it('`tasks list` and `tasks add` on a config the cache holds load no zod, no config loader and no node:http', async () => {
    for (const args of [
      ['tasks', 'list'],
      ['tasks', 'add', 'Round the totals'],
    ]) {
      // The first run may miss the config cache (a new build) and load the schema; the second reads the entry.
      await filesLoaded(args);
      const loaded = await sourcesLoaded(args);
      expect(loaded, args.join(' ')).toContain('src/config/config-cache.ts');
      expect(
        loaded.filter((i) => i.includes('node_modules/zod/') || i === 'src/config/load.ts'),
        args.join(' '),
      ).toEqual([]);
      // An ES import of node:http loads undici through its namespace: a third of a bare start on Node 24.
      const builtins = await builtinsLoaded(args);
      expect(builtins, args.join(' ')).toContain('NativeModule fs');
      expect(
        builtins.filter((m) => m === 'NativeModule http' || m.includes('undici')),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('`tasks` commands load only the tasks build, in fewer files; every other command only the whole CLI', async () => {
    for (const args of [
      ['tasks', 'list'],
      ['tasks', 'add', 'Round the totals'],
      ['tasks', 'export'],
    ]) {
      const files = (await filesLoaded(args)).filter((f) => f !== 'cli.js');
      expect(files, args.join(' ')).toContain('cli-tasks.js');
      expect(
        files.filter((f) => !ofTasksBuild(f)),
        args.join(' '),
      ).toEqual([]);
    }
    const { length: tasksFiles } = await filesLoaded(['tasks', 'add', 'Check the rounding']);
    for (const args of [['--help'], ['cache', 'stats'], ['config']]) {
      const files = await filesLoaded(args);
      expect(files.filter(ofTasksBuild), args.join(' ')).toEqual([]);
    }
    // The whole CLI's split build cut the same command into some seventy files, and the `tasks` build's own import()
    // targets into twenty-six: its start is one file now (cli.js, the entry, the start, esbuild's helpers).
    expect(tasksFiles).toBeLessThanOrEqual(4);
  });

  it('`monitor run` loads only its own build, in a few files; the other monitor commands only the whole CLI', async () => {
    const files = await monitorFilesLoaded();
    expect(files).toContain('cli-monitor.js');
    expect(files.filter((f) => f !== 'cli.js' && !ofMonitorBuild(f))).toEqual([]);
    // The whole CLI's split build spread a monitor's start over some 160 files: its start is one file now, and what
    // it loads on its first requests (the store server, a config the cache does not hold) files of their own.
    expect(files.length).toBeLessThanOrEqual(30);
    for (const args of [
      ['monitor', 'status'],
      ['monitor', 'stop'],
    ])
      expect((await filesLoaded(args)).filter(ofMonitorBuild), args.join(' ')).toEqual([]);
  });

  it('the top-level help and the version, alone, load one file beside cli.js; help on a command the whole CLI', async () => {
    for (const args of [[], ['--help'], ['-h'], ['help'], ['--version'], ['-v']])
      expect(await filesLoaded(args), args.join(' ')).toEqual(['cli.js', 'cli-help.js']);
    const files = await filesLoaded(['help', 'cache', 'stats']);
    expect(files).not.toContain('cli-help.js');
    expect(files).toContain('cli.js');
  });
});
