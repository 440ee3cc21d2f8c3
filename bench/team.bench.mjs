// A team's task server on PostgreSQL: two `taskhooks serve` processes (the built CLI) on one real PostgreSQL server
// started from the machine's binaries in a temp dir (as the tests' harness does). Measures:
//   1. a change made through one process → in the snapshot a subscribed monitor (the real one, the built CLI) keeps
//      for the next hook (p50, p95; the monitor subscribes through the other process);
//   2. `manage_task list` over 1,000 tasks with 32 and 128 concurrent clients spread over both processes (calls/s, p95,
//      and the CPU per call of the serve processes, PostgreSQL and the clients);
//   3. 200 subscribed live connections left idle: CPU of the serve processes and of PostgreSQL, per minute.
// BENCH_POOLER=transaction (or session) puts Debian's PgBouncer (/usr/sbin/pgbouncer) in that pool mode between the
// serve processes and PostgreSQL, as a team behind a pooler runs it: queries through the pooler and, in transaction
// mode, LISTEN on a direct connection (--listen-database). The PgBouncer process's CPU counts as PostgreSQL's.
// BENCH_PREVIOUS=<ref> runs part 2 alone, for this checkout's dist/ and the build of <ref> in turns (bench/team-list.mjs),
// on the same Node and PostgreSQL, each build on a database of its own holding the same tasks: <ref>'s committed
// plugin/, or its sources built in the temp dir (bench/lib.mjs buildAt). BENCH_ROUNDS sets the rounds (3 then, else 1).
// BENCH_CPU_PROF=<dir> runs every serve process with --cpu-prof into <dir>/<its database>, stopped by SIGTERM at the end.
// Loopback only; every loop is bounded, and an overall timer ends everything.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runPgBouncer } from '../scripts/pgbouncer.mjs';
import { benchSqlite, benchTasks, buildAt, fmt, node, root, serveUrl, stats } from './lib.mjs';
import { teamFanout } from './team-fanout.mjs';
import { listThroughput } from './team-list.mjs';

const TOKEN = 'bench-team-token-0123456789-abcdefghijk';
const TASKS = 1000;
const CHANGES = 20;
const IDLE_CONNECTIONS = 200;
/** BENCH_QUICK=1 (as the fan-out reads it) idles 5 s instead. */
const IDLE_MS = process.env.BENCH_QUICK ? 5000 : 20_000;
const CLI = path.join(root, 'dist/cli.js');
const POOLER = process.env.BENCH_POOLER;
if (POOLER !== undefined && POOLER !== 'transaction' && POOLER !== 'session')
  throw new Error(`BENCH_POOLER must be transaction or session, not ${POOLER}`);
/** The pooler's server connections per database and user: a few per core in transaction mode, 11 per serve in session. */
const POOL_SIZE = POOLER === 'session' ? 40 : 10;
const PREVIOUS = process.env.BENCH_PREVIOUS;
const CPU_PROF = process.env.BENCH_CPU_PROF && path.resolve(process.env.BENCH_CPU_PROF);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (PREVIOUS ? 3 : 1));
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 10) throw new Error('BENCH_ROUNDS must be 1 to 10');

const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-bench-team-'));
const children = [];
let stopPg = () => undefined;
let stopPooler = () => undefined;
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  void stopPooler();
  stopPg();
  rmSync(dir, { recursive: true, force: true });
};
const killer = setTimeout(() => {
  console.error('team bench: overall time limit reached');
  cleanup();
  process.exit(1);
}, 240_000);

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function startPostgres(port) {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => b - a)[0]
    : undefined;
  if (!version)
    throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql: `apt-get install -y postgresql`');
  const bin = path.join(base, version, 'bin');
  const data = path.join(dir, 'pg');
  const socket = path.join(dir, 'socket');
  mkdirSync(socket);
  const root_ = process.getuid?.() === 0;
  if (root_) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
    chownSync(socket, uid, gid);
  }
  const run = (program, args) =>
    execFileSync(
      root_ ? 'runuser' : path.join(bin, program),
      root_ ? ['-u', 'postgres', '--', path.join(bin, program), ...args] : args,
      { cwd: dir, stdio: 'ignore' },
    );
  run('initdb', ['-D', data, '-A', 'trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale', 'C']);
  const opts = `-p ${port} -k ${socket} -c listen_addresses=127.0.0.1 -c max_connections=300`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'pg.log'), '-w', '-t', '60', 'start']);
  stopPg = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    stopPg = () => undefined;
  };
  return Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** utime + stime of a process in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
/** The postmaster and its children (backends, walwriter, …), and the pooler in front when there is one. */
function postgresPids(postmaster) {
  const pids = [postmaster, ...(pooler ? [pooler] : [])];
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(p));
    } catch {
      // gone
    }
  }
  return pids;
}
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

let pooler;
async function serve(databaseArgs, home, cli, profile) {
  const child = spawn(
    node,
    [
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
      cli,
      'serve',
      '--port',
      '0',
      ...databaseArgs,
      '--token',
      TOKEN,
      '--rate-limit',
      '1000000',
    ],
    {
      env: { ...process.env, TASKHOOKS_HOME: home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return { child, url: await serveUrl(child) };
}

async function call(url, name, args) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      Authorization: `Bearer ${TOKEN}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
  const body = await res.json();
  return JSON.parse(body.result.content[0].text);
}

/** Part 1: a change through serve A, timed until a monitor subscribed through serve B has it; the monitor returned. */
async function pushToMonitor(a, b) {
  const shop = await call(a.url, 'manage_project', { action: 'create', name: 'shop' });
  const branch = await call(a.url, 'manage_git_branch', {
    action: 'create',
    project_id: shop.data.project.id,
    git_branch_name: 'main',
  });
  const branchId = branch.data.git_branch.id;

  const monitorHome = path.join(dir, 'monitor-home');
  mkdirSync(monitorHome, { mode: 0o700 });
  writeFileSync(
    path.join(monitorHome, 'config.json'),
    JSON.stringify({
      source: { servers: [b.url], timeoutMs: 2000 },
      auth: { token: TOKEN },
      monitor: { hookPort: 0, taskSchedule: '0 0 1 1 *', gitSchedule: '0 0 1 1 *' },
    }),
  );
  const repo = path.join(dir, 'shop');
  mkdirSync(repo);
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args], { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('commit', '-q', '--allow-empty', '-m', 'init');
  const env = { ...process.env, TASKHOOKS_HOME: monitorHome, NO_COLOR: '1' };
  const monitor = spawn(node, [CLI, 'monitor', 'run'], { env, cwd: monitorHome, stdio: 'ignore' });
  children.push(monitor);
  const hook = (session) =>
    spawnSync(node, [path.join(root, 'dist/hooks/session-start.js')], {
      env,
      cwd: repo,
      input: JSON.stringify({
        session_id: session,
        transcript_path: '/dev/null',
        cwd: repo,
        hook_event_name: 'SessionStart',
        source: 'startup',
      }),
      encoding: 'utf8',
    }).stdout;
  const until = async (what, check, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`team bench: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const logFile = path.join(monitorHome, 'logs', 'monitor.log');
  await until('the monitor to start', () => existsSync(path.join(monitorHome, 'monitor.json')));
  hook('bench-1');
  await until(
    'the monitor to subscribe',
    () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('subscribed: task changes are pushed'),
  );
  const { openDatabase } = await benchSqlite();
  const cache = openDatabase(path.join(monitorHome, 'cache.db'), { readonly: true, fileMustExist: true });
  const snapshot = cache.prepare("SELECT tasks FROM task_snapshots WHERE project = 'shop' AND branch = 'main'");
  await until('the first snapshot', () => snapshot.get() !== undefined);
  const pushLatencies = [];
  for (let i = 0; i < CHANGES; i++) {
    const title = `Pushed change ${i}`;
    const t0 = performance.now();
    await call(a.url, 'manage_task', { action: 'create', git_branch_id: branchId, title });
    await until(title, () => snapshot.get()?.tasks.includes(title), 10_000);
    pushLatencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  const answer = hook('bench-2');
  // The context lists a few tasks by name; the count says all of them arrived.
  const shown = answer.includes(`${CHANGES} pending tasks`);
  if (!shown) console.log(`next SessionStart answered: ${answer.slice(0, 600)}`);
  cache.close();
  const ps = stats(pushLatencies);
  console.log(
    `change through serve A → snapshot of a monitor subscribed through serve B (${CHANGES} changes): p50 ${fmt(ps.p50)}, p95 ${fmt(ps.p95)}, max ${fmt(Math.max(...pushLatencies))}; next SessionStart shows it: ${shown ? 'yes' : 'NO'}`,
  );
  return monitor;
}

/** Part 3: IDLE_CONNECTIONS subscribed live connections left idle, and the CPU both sides spend meanwhile. */
async function idleConnections(a, b, pgSample) {
  const connections = [];
  for (let i = 0; i < IDLE_CONNECTIONS; i++) {
    const client = new Client({ name: 'bench-monitor', version: '0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${i % 2 ? a.url : b.url}/live`), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
    await client.subscribeResource({ uri: 'taskhooks://projects/shop/tasks' });
    connections.push(client);
  }
  await new Promise((r) => setTimeout(r, 2000));
  const serverTicks = () => cpuTicks(a.child.pid) + cpuTicks(b.child.pid);
  const s0 = serverTicks();
  const before = pgSample();
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const after = pgSample();
  const pgPids = [...after.keys()];
  const pgTicks = () => pgPids.reduce((sum, p) => sum + Math.max(0, (after.get(p) ?? 0) - (before.get(p) ?? 0)), 0);
  const p0 = 0;
  const perMinute = (ticks) => `${fmt((ticks * TICK_MS * 60_000) / IDLE_MS)} CPU/min`;
  console.log(
    `${IDLE_CONNECTIONS} subscribed connections idle ${IDLE_MS / 1000} s: both serve processes ${perMinute(serverTicks() - s0)}, PostgreSQL (${pgPids.length} processes) ${perMinute(pgTicks() - p0)}`,
  );
  await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
}

/** TASKS tasks in project `bench` through the serve process at `url`. */
async function seed(url) {
  for (let i = 0; i < TASKS; i += 100) await call(url, 'add_task', { tasks: benchTasks(i, 100) });
}

try {
  // Built first: the build holds the event loop (and the overall timer) while it runs.
  const previousCli = PREVIOUS ? buildAt(PREVIOUS, path.join(dir, 'previous')) : undefined;
  killer.refresh();
  const pgPort = await freePort();
  const postmaster = startPostgres(pgPort);
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres` });
  await admin.connect();
  // The previous build has a database of its own in the same server: its schema may differ from this one's.
  await admin.query('CREATE DATABASE bench');
  if (PREVIOUS) await admin.query('CREATE DATABASE bench_previous');
  await admin.end();
  const direct = (db) => `postgres://postgres@127.0.0.1:${pgPort}/${db}`;
  let databaseArgs = (db) => ['--database', direct(db)];
  if (POOLER) {
    const port = await freePort();
    const bouncer = await runPgBouncer({
      dir,
      port,
      server: { host: '127.0.0.1', port: pgPort, user: 'postgres' },
      mode: POOLER,
      poolSize: POOL_SIZE,
    });
    stopPooler = bouncer.stop;
    pooler = bouncer.pid;
    const pooled = (db) => `postgres://postgres@127.0.0.1:${port}/${db}`;
    databaseArgs = (db) => [
      '--database',
      pooled(db),
      ...(POOLER === 'transaction' ? ['--listen-database', direct(db)] : []),
    ];
    console.log(
      `through PgBouncer in ${POOLER} mode (default_pool_size ${POOL_SIZE})${POOLER === 'transaction' ? ', LISTEN direct (--listen-database)' : ''}`,
    );
  }
  const pair = async (db, name, cli) => {
    const home = path.join(dir, `${db}-home`);
    mkdirSync(home, { mode: 0o700 });
    const profile = CPU_PROF && path.join(CPU_PROF, db);
    const [a, b] = await Promise.all([
      serve(databaseArgs(db), home, cli, profile),
      serve(databaseArgs(db), home, cli, profile),
    ]);
    await seed(a.url);
    return { name, a, b, home };
  };
  const current = await pair('bench', 'this checkout', CLI);
  const { a, b } = current;
  // Per process: a backend that ends meanwhile takes its ticks with it, one that starts brings all of its own.
  const pgSample = () => new Map(postgresPids(postmaster).map((p) => [p, cpuTicks(p)]));
  const list = (builds, rounds) =>
    listThroughput({
      builds,
      token: TOKEN,
      tasks: TASKS,
      rounds,
      cpu: {
        ticks: cpuTicks,
        tickMs: TICK_MS,
        pgSample,
        pgTicksSince: (before) =>
          [...pgSample()].reduce((sum, [p, t]) => sum + Math.max(0, t - (before.get(p) ?? 0)), 0),
      },
      keepAlive: () => killer.refresh(),
    });

  if (PREVIOUS) {
    // Only the list part, for this build and PREVIOUS's in turns.
    const previous = await pair('bench_previous', PREVIOUS, previousCli);
    await list([current, previous], ROUNDS);
  } else {
    // --- 1. change → subscribed monitor's snapshot ------------------------------------------------------------------
    const monitor = await pushToMonitor(a, b);
    // --- 2. manage_task list throughput (bench/team-list.mjs) -------------------------------------------------------
    await list([current], ROUNDS);
    // --- 3. idle subscribed connections -----------------------------------------------------------------------------
    monitor.kill('SIGTERM');
    await idleConnections(a, b, pgSample);
    // --- 4. fan-out to many subscribers, and a restart under them (bench/team-fanout.mjs) -----------------------------
    await teamFanout({
      a,
      b,
      databaseArgs: databaseArgs('bench'),
      serverHome: current.home,
      token: TOKEN,
      children,
      cli: CLI,
      tickMs: TICK_MS,
      cpu: () => ({
        serve: cpuTicks(a.child.pid) + cpuTicks(b.child.pid),
        pg: postgresPids(postmaster).reduce((sum, p) => sum + cpuTicks(p), 0),
      }),
      keepAlive: () => killer.refresh(),
    });
  }
} finally {
  // A profile is written as the process exits on its own: a bounded wait for that before the SIGKILLs.
  if (CPU_PROF) {
    const exits = children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => once(c, 'exit'));
    for (const c of children) c.kill('SIGTERM');
    await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 10_000))]);
  }
  clearTimeout(killer);
  cleanup();
}
