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
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { runPgBouncer } from '../scripts/pgbouncer.mjs';
import { benchSqlite, fmt, node, root, serveUrl, stats } from './lib.mjs';
import { teamFanout } from './team-fanout.mjs';

const TOKEN = 'bench-team-token-0123456789-abcdefghijk';
const TASKS = 1000;
const LIST_MS = 5000;
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
async function serve(databaseArgs, home) {
  const child = spawn(
    node,
    [CLI, 'serve', '--port', '0', ...databaseArgs, '--token', TOKEN, '--rate-limit', '1000000'],
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

try {
  const pgPort = await freePort();
  const postmaster = startPostgres(pgPort);
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const dbUrl = `postgres://postgres@127.0.0.1:${pgPort}/bench`;
  let databaseArgs = ['--database', dbUrl];
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
    const pooled = `postgres://postgres@127.0.0.1:${port}/bench`;
    databaseArgs = ['--database', pooled, ...(POOLER === 'transaction' ? ['--listen-database', dbUrl] : [])];
    console.log(
      `through PgBouncer in ${POOLER} mode (default_pool_size ${POOL_SIZE})${POOLER === 'transaction' ? ', LISTEN direct (--listen-database)' : ''}`,
    );
  }
  const serverHome = path.join(dir, 'server-home');
  mkdirSync(serverHome, { mode: 0o700 });
  const [a, b] = await Promise.all([serve(databaseArgs, serverHome), serve(databaseArgs, serverHome)]);

  // 1,000 tasks in one project, and the project the monitor follows.
  for (let i = 0; i < TASKS; i += 100) {
    const tasks = Array.from({ length: 100 }, (_, k) => ({
      project_id: 'bench',
      title: `Task ${i + k}`,
      description: `Benchmark task number ${i + k} with a description of ordinary length.`,
      priority: ['low', 'medium', 'high', 'urgent', 'critical'][(i + k) % 5],
      status: ['pending', 'in_progress', 'blocked'][(i + k) % 3],
    }));
    await call(a.url, 'add_task', { tasks });
  }
  const shop = await call(a.url, 'manage_project', { action: 'create', name: 'shop' });
  const branch = await call(a.url, 'manage_git_branch', {
    action: 'create',
    project_id: shop.data.project.id,
    git_branch_name: 'main',
  });
  const branchId = branch.data.git_branch.id;

  // --- 1. change → subscribed monitor's snapshot --------------------------------------------------------------------
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

  // --- 2. manage_task list throughput -------------------------------------------------------------------------------
  // The clients share the machine with both servers and PostgreSQL, so they are as light as an honest client can be:
  // node:http with kept-alive connections (fetch costs the client 2-3 times the CPU), the SDK's own framing (the
  // same POST, headers and JSON-RPC body), and the answer parsed as a client reads it. CPU per call of each party
  // says where the time went.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const listBody = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'manage_task', arguments: { action: 'list', project_id: 'bench', limit: 50 } },
  });
  const listCall = (url) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json, text/event-stream',
            Authorization: `Bearer ${TOKEN}`,
            'Content-Length': Buffer.byteLength(listBody),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (d) => chunks.push(d));
          res.on('end', () => {
            try {
              if (res.statusCode !== 200) throw new Error(`manage_task list: HTTP ${res.statusCode}`);
              resolve(JSON.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')).result.content[0].text));
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(listBody);
    });
  const pgTicksSince = (before) => {
    let ticks = 0;
    for (const p of postgresPids(postmaster)) ticks += Math.max(0, cpuTicks(p) - (before?.get(p) ?? 0));
    return ticks;
  };
  for (const clients of [32, 128]) {
    const latencies = [];
    let failures = 0;
    const pgBefore = new Map(postgresPids(postmaster).map((p) => [p, cpuTicks(p)]));
    const serveBefore = cpuTicks(a.child.pid) + cpuTicks(b.child.pid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const deadline = started + LIST_MS;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const url = c % 2 ? a.url : b.url;
        while (performance.now() < deadline) {
          const t0 = performance.now();
          try {
            const r = await listCall(url);
            if (!r.success) failures++;
          } catch {
            failures++;
          }
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const s = stats(latencies);
    const secs = (performance.now() - started) / 1000;
    const n = latencies.length;
    const client = process.cpuUsage(clientBefore);
    const perCall = (ms) => `${(ms / n).toFixed(2)} ms`;
    console.log(
      `manage_task list over ${TASKS} tasks, ${clients} clients over 2 serve processes: ${Math.round(n / secs)} calls/s, p50 ${fmt(s.p50)}, p95 ${fmt(s.p95)}, failures ${failures}; CPU per call: serve ${perCall((cpuTicks(a.child.pid) + cpuTicks(b.child.pid) - serveBefore) * TICK_MS)}, PostgreSQL ${perCall(pgTicksSince(pgBefore) * TICK_MS)}, clients ${perCall((client.user + client.system) / 1000)}; load ${os.loadavg()[0].toFixed(1)}`,
    );
  }
  agent.destroy();

  // --- 3. idle subscribed connections -------------------------------------------------------------------------------
  monitor.kill('SIGTERM');
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
  // Per process: a backend that ends meanwhile takes its ticks with it, one that starts brings all of its own.
  const pgSample = () => new Map(postgresPids(postmaster).map((p) => [p, cpuTicks(p)]));
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

  // --- 4. fan-out to many subscribers, and a restart under them (bench/team-fanout.mjs) -----------------------------
  await teamFanout({
    a,
    b,
    databaseArgs,
    serverHome,
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
} finally {
  clearTimeout(killer);
  cleanup();
}
