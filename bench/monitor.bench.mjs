// Served PreToolUse latency (1,000 loopback HTTP calls to the monitor) beside the command hook
// (a process per call), and fetch rounds of 20 projects × 1,000 tasks against the reference server
// (`taskhooks serve` as a child process): time per round and the monitor's RSS (goal ≤ 80 MB) idle, at its peak and
// after each round, so that what a round takes and gives back shows, beside an idle bare node of the same binary and
// flags (BENCH_NODE runs the monitor on another node binary: the Node 22 or 24 test peer, say). Stops by itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  bareNodeBeside,
  fmt,
  makeRepo,
  node,
  processCpu,
  residentLine,
  residentMB,
  root,
  runOnce,
  serveUrl,
  stats,
} from './lib.mjs';

/** The node the monitor runs on; the bench itself, the reference server and the command hooks run on this one. */
const monitorNode = process.env.BENCH_NODE ?? node;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const PROJECTS = 20;
const TASKS = 1000;
const SERVED_CALLS = 1000;
const COMMAND_CALLS = 30;
/** Fetch rounds of every project, each started by marking all snapshots stale. */
const ROUNDS = 3;
/**
 * How long the monitor is left alone before its resident size is read: V8's memory reducer gives the heap's emptied
 * pages back once allocation has been quiet for about 8 s (the default schedule leaves 2 minutes between cycles).
 */
const QUIET_MS = 12_000;
const TOKEN = 'bench-monitor-token-0123456789-abcdefgh';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-monitor-'));
const cli = path.join(root, 'dist/cli.js');
const home = path.join(tmp, 'home');
mkdirSync(home);
const env = { ...process.env, TASKHOOKS_HOME: home, TASKHOOKS_NO_AUTOSTART: '1', NO_COLOR: '1' };
delete env.MCP_SERVER_URL;
let server;
let bare;
const cleanup = () => {
  spawnSync(monitorNode, [cli, 'monitor', 'stop', '--timeout', '5'], { env });
  server?.kill('SIGKILL');
  bare?.kill();
  rmSync(tmp, { recursive: true, force: true });
};
const killer = setTimeout(() => {
  console.error('monitor bench: overall time limit reached');
  cleanup();
  process.exit(1);
}, 240_000);

try {
  // Seed the server's database with the server's own TaskDb (bundled on the fly: the bench runs plain node).
  const seedModule = path.join(tmp, 'taskdb.mjs');
  await build({
    entryPoints: [path.join(root, 'src/store/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: seedModule,
    // The bundle lives in a temp dir: point it at this package's better-sqlite3.
    plugins: [
      {
        name: 'local-sqlite',
        setup(b) {
          const resolved = createRequire(path.join(root, 'package.json')).resolve('better-sqlite3');
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: resolved, external: true }));
        },
      },
    ],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  const { openTaskDb } = await import(pathToFileURL(seedModule).href);
  const dbFile = path.join(tmp, 'tasks.db');
  const db = openTaskDb(dbFile);
  const names = Array.from({ length: PROJECTS }, (_, i) => `p${String(i).padStart(2, '0')}`);
  for (const name of names) {
    const p = db.ensureProject(name);
    const b = db.ensureBranch(p.id, 'main');
    db.createTasks(
      Array.from({ length: TASKS }, (_, i) => ({
        projectId: p.id,
        gitBranchId: b.id,
        title: `${name} task ${i}`,
        priority: i % 7 === 0 ? 'high' : 'medium',
      })),
    );
  }
  db.close();

  server = spawn(node, [cli, 'serve', '--port', '0', '--db', dbFile, '--token', TOKEN, '--rate-limit', '1000000'], {
    env: { ...env, TASKHOOKS_HOME: path.join(tmp, 'server-home') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await serveUrl(server);

  // Twenty repositories named like the server's projects, registered the way install/SessionStart do.
  const repos = names.map((name) => makeRepo(path.join(tmp, 'repos', name)));
  writeFileSync(
    path.join(home, 'config.json'),
    // The client's rate limiter (default 20 calls/s) would pace this cycle's ~220 calls; lifted here so the figure is
    // taskhooks' own cost, and the paced time is printed beside it.
    JSON.stringify({
      source: { servers: [url], rateLimitPerSecond: 10_000, rateLimitBurst: 10_000 },
      auth: { token: TOKEN },
      monitor: { hookPort: 0, taskSchedule: '*/10 * * * * *', gitSchedule: '0 0 1 1 *' },
    }),
  );
  spawnSync(node, [cli, 'cache', 'stats'], { env }); // creates and migrates cache.db
  // Node's own SQLite (22.13 and later, as taskhooks needs): better-sqlite3's addon is built for one Node only.
  const { DatabaseSync } = await import('node:sqlite');
  const signal = () => {
    mkdirSync(path.join(home, 'signals'), { recursive: true });
    writeFileSync(path.join(home, 'signals', 'refresh'), `${Date.now()}\n`);
  };

  // Started before any project is registered: what it holds with the network stack loaded and nothing fetched yet.
  const started = spawnSync(monitorNode, [cli, 'monitor', 'start'], { env, encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
  const info = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
  bare = bareNodeBeside(info.pid);
  const logFile = path.join(home, 'logs', 'monitor.log');
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return ''; // the monitor's asynchronous log opens its file a moment after start
    }
  };
  const logged = (msg) =>
    readLog()
      .split('\n')
      .filter((l) => l.includes(`"msg":"${msg}"`))
      .map((l) => JSON.parse(l));
  const waitUntil = async (what, fn, ms = 60_000) => {
    const until = Date.now() + ms;
    while (!fn()) {
      if (Date.now() > until)
        throw new Error(
          `timed out waiting for ${what}:\n${readLog()
            .split('\n')
            .filter((l) => !l.includes('"level":20'))
            .map((l) => l.slice(0, 240))
            .join('\n')}`,
        );
      await sleep(50);
    }
  };
  const status = () => readFileSync(`/proc/${info.pid}/status`, 'utf8');
  const kb = (text, key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
  const rss = () => kb(status(), 'VmRSS');
  // Sampled all along: the peak of the fetch rounds, beside the kernel's own high-water mark.
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
  await waitUntil(
    'the monitor to load its network stack',
    () => logged('ready: the network stack is loaded').length > 0 && logged('task refresh cycle done').length > 0,
  );
  await sleep(QUIET_MS);
  const idleMonitor = residentMB(info.pid);
  const idleBare = residentMB(bare.pid);
  const idle = idleMonitor.rss;
  peak = 0;

  // Twenty repositories registered the way install/SessionStart do, then the wake their registration asks for.
  const cache = new DatabaseSync(path.join(home, 'cache.db'));
  const insert = cache.prepare(
    'INSERT INTO projects (root, name, source_key, last_seen, registered_by) VALUES (?, ?, ?, ?, ?)',
  );
  repos.forEach((dir, i) => insert.run(dir, names[i], url, Date.now(), 'bench'));
  signal();
  // New projects are fetched, then subscribed to (the server pushes its changes), and a scheduled cycle finds them.
  // A wake fetches what is marked stale, unless a scheduled cycle came first and fetched it: either line counts.
  const fetchLines = () => [...logged('stale snapshots refreshed'), ...logged('task refresh cycle done')];
  const passes = (n) => fetchLines().filter((r) => r.fetches === n);
  await waitUntil(
    'the new projects to be fetched and subscribed',
    () =>
      logged('subscribed: task changes are pushed').length > 0 &&
      logged('task refresh cycle done').some((c) => c.projects === PROJECTS),
  );
  await sleep(QUIET_MS);
  const after = [rss()];
  const roundsFrom = passes(PROJECTS).length;
  // Each round marks every snapshot stale, as a task changed on the server would, and waits for the 20 fetches.
  const markStale = cache.prepare('UPDATE task_snapshots SET stale_since = COALESCE(stale_since, ?)');
  for (let round = 0; round < ROUNDS; round++) {
    const before = passes(PROJECTS).length;
    markStale.run(Date.now());
    signal();
    await waitUntil(`fetch round ${round + 1}`, () => passes(PROJECTS).length > before);
    await sleep(QUIET_MS);
    after.push(rss());
  }
  cache.close();
  clearInterval(sampler);
  // A scheduled cycle after the rounds: nothing to fetch (the server pushes its changes), its line carries the heap.
  const cyclesBefore = logged('task refresh cycle done').length;
  await waitUntil('a quiet task cycle', () => logged('task refresh cycle done').length > cyclesBefore, 20_000);
  await sleep(QUIET_MS);
  const final = status();
  const quiet = logged('task refresh cycle done').at(-1);
  const rounds = passes(PROJECTS)
    .slice(roundsFrom)
    .map((r) => r.ms);
  const [first, ...later] = rounds;
  console.log(
    `fetch round, ${PROJECTS} projects × ${TASKS} tasks`.padEnd(48),
    `first ${fmt(first)} (after the new projects' own fetch), later ${later.map(fmt).join(', ')}; ${PROJECTS} fetches each, ${fetchLines().reduce((n, r) => n + r.failures, 0)} failures`,
  );
  const serverLog = readFileSync(path.join(tmp, 'server-home', 'logs', 'server.log'), 'utf8');
  const calls = serverLog.split('\n').filter((l) => l.includes('"msg":"tool call"')).length;
  // Every fetch counts: the new projects' own, each round's, and the one the subscription asked for.
  const ownFetch = logged('new projects: fetching their tasks and reading their git state').length > 0 ? PROJECTS : 0;
  const fetched = ownFetch + fetchLines().reduce((n, r) => n + r.fetches, 0);
  const perRound = Math.round((calls / fetched) * PROJECTS);
  console.log(
    '  tool calls per round'.padEnd(48),
    `${perRound} (pages of 100 tasks); at the default client rate limit of 20 calls/s a round takes ≥ ${(perRound / 20).toFixed(1)} s`,
  );
  const mb = (n) => `${n.toFixed(1)} MB`;
  console.log(
    `monitor RSS, node ${spawnSync(monitorNode, ['--version'], { encoding: 'utf8' }).stdout.trim()}`.padEnd(48),
    `idle ${mb(idle)}, peak ${mb(peak)} (high-water ${mb(kb(final, 'VmHWM'))}), after each round ${after.map(mb).join(', ')}; now ${mb(kb(final, 'VmRSS'))}  (goal ≤ 80 MB)`,
  );
  // Much of the resident size is file-backed (node's own binary), shared with every other node process and
  // reclaimable; the private part is what the monitor itself holds. In brackets: more than the bare node beside it.
  console.log('  bare node beside it'.padEnd(48), residentLine(residentMB(bare.pid)));
  console.log('  monitor at idle'.padEnd(48), residentLine(idleMonitor, idleBare));
  console.log('  monitor after the rounds'.padEnd(48), residentLine(residentMB(info.pid), residentMB(bare.pid)));
  // Where the resident pages are: the node binary (code and ICU data it touched), malloc's main heap (SQLite's page
  // caches, native buffers), and the other anonymous mappings (V8's heap, thread arenas).
  const resident = new Map();
  let mapping = '';
  for (const line of readFileSync(`/proc/${info.pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) mapping = head[1] === monitorNode ? 'node binary' : head[1] || 'other anonymous';
    const rssLine = /^Rss:\s+(\d+)/.exec(line);
    if (rssLine) resident.set(mapping, (resident.get(mapping) ?? 0) + Number(rssLine[1]) / 1024);
  }
  const part = (name) => `${name} ${(resident.get(name) ?? 0).toFixed(1)} MB`;
  console.log('  by mapping'.padEnd(48), [part('node binary'), part('[heap]'), part('other anonymous')].join(', '));
  const m = quiet.memory;
  console.log(
    '  V8 heap at the last quiet cycle'.padEnd(48),
    `used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)})`,
  );

  // Served PreToolUse: keep-alive loopback calls, the way Claude Code's http hooks reuse a connection.
  const hookToken = readFileSync(path.join(home, 'hook-token'), 'utf8').trim();
  const input = JSON.stringify({
    session_id: 'bench',
    cwd: repos[0],
    hook_event_name: 'PreToolUse',
    tool_name: 'Edit',
    tool_input: { file_path: path.join(repos[0], 'a.ts'), old_string: 'a', new_string: 'b' },
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const call = () =>
    new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(
        {
          host: '127.0.0.1',
          port: info.hookPort,
          path: '/hooks/pre-tool-use',
          method: 'POST',
          agent,
          headers: { 'x-taskhooks-token': hookToken, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? resolve(Number(process.hrtime.bigint() - t0) / 1e6)
              : reject(new Error(`status ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(input);
    });
  for (let i = 0; i < 50; i++) await call();
  // The monitor's own CPU (user + system, from /proc) over the calls: what each served hook takes from the agent's
  // machine, apart from the client's half of the round trip that the latencies include.
  const cpuBefore = processCpu(info.pid);
  const served = [];
  for (let i = 0; i < SERVED_CALLS; i++) served.push(await call());
  const cpuPerCall = (processCpu(info.pid) - cpuBefore) / SERVED_CALLS;
  agent.destroy();
  const s = stats(served);
  const hookEnv = { ...env };
  const command = [];
  for (let i = 0; i < COMMAND_CALLS + 3; i++) {
    const r = runOnce(node, [path.join(root, 'dist/hooks/pre-tool-use.js')], { input, env: hookEnv, cwd: repos[0] });
    if (i >= 3) command.push(r.ms);
  }
  const c = stats(command);
  console.log(
    `served PreToolUse (${SERVED_CALLS} HTTP calls)`.padEnd(48),
    `p50 ${fmt(s.p50)}, p95 ${fmt(s.p95)}  (goal < 5 ms)`,
  );
  console.log('  monitor CPU per served call'.padEnd(48), `${cpuPerCall.toFixed(2)} ms`);
  console.log(
    `command PreToolUse (${COMMAND_CALLS} process spawns)`.padEnd(48),
    `p50 ${fmt(c.p50)}, p95 ${fmt(c.p95)}`,
  );
  console.log('command / served (p50)'.padEnd(48), `${(c.p50 / s.p50).toFixed(1)}×`);
} finally {
  clearTimeout(killer);
  cleanup();
}
