// The idle monitor: its own resident size (goal: at most 20 MB above a bare node with node:http and node:sqlite loaded,
// and at most 40 MB above it under the soak) and near-zero CPU (goal: under 0.1% of one core). Starts a monitor with
// the default schedules and the store server, registers one git repository through a SessionStart (so its metadata is
// watched), and lets the start-up work settle. Its memory is then read from /proc beside an idle bare node of the same
// binary and V8 flags with those two modules loaded, on Node 22 and 24 (the test peers; BENCH_NODE names one binary
// instead): VmRSS, what `ps` shows; the private part (RssAnon), what the monitor itself holds; PSS, with shared pages
// split among the processes that map them. The soak: served PreToolUse and PostToolUse calls from 8 keep-alive clients
// with task writes among them, after which the monitor's high-water mark, its size and the CPU it spent are read. On the last of those nodes it then reads the monitor's CPU time over a quiet minute (a task
// cycle, every 2 min by default, may fall in the window: the line says how many did), and again with a dashboard page
// open (its server-sent event stream connected, as a browser keeps it) while nothing changes.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bareNodeBeside, makeRepo, peerOrExit, processCpu, residentLine, residentMB, root } from './lib.mjs';

const nodes = process.env.BENCH_NODE
  ? [process.env.BENCH_NODE]
  : [peerOrExit('node-22').entry, peerOrExit('node-24').entry];

const SETTLE_MS = 20_000;
const WINDOW_MS = 60_000;
const cli = path.join(root, 'dist/cli.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A monitor on `node` in a home of its own with one registered project, settled; `run` gets it, then it stops. */
async function withIdleMonitor(node, run) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'th-bench-idle-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ monitor: { hookPort: 0 } }));
  const repo = makeRepo(path.join(home, 'demo'));
  const env = { ...process.env, TASKHOOKS_HOME: home };
  try {
    const started = spawnSync(node, [cli, 'monitor', 'start'], { env, encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
    const { pid } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
    const input = JSON.stringify({
      session_id: 'bench',
      cwd: repo,
      hook_event_name: 'SessionStart',
      source: 'startup',
    });
    spawnSync(node, [path.join(root, 'dist/hooks/session-start.js')], {
      input,
      env: { ...env, TASKHOOKS_NO_AUTOSTART: '1' },
      encoding: 'utf8',
    });
    const bare = bareNodeBeside(pid, ['node:http', 'node:sqlite']);
    try {
      // Start-up, the first cycle, the new project's fetch, and the timers that work leaves to wind down (keep-alive
      // sockets, the fetch's 15 s deadline).
      await sleep(SETTLE_MS);
      await run({ home, env, pid, repo, bare: residentMB(bare.pid) });
    } finally {
      bare.kill();
    }
  } finally {
    spawnSync(node, [cli, 'monitor', 'stop', '--timeout', '5'], { env });
    rmSync(home, { recursive: true, force: true });
  }
}

const SOAK_CALLS = 4_000;
const SOAK_CLIENTS = 8;
const SOAK_WRITES = 20;

/** The soak: SOAK_CALLS served hook calls over SOAK_CLIENTS keep-alive connections, a task written every so often. */
async function soak({ home, env, repo }, node) {
  const { hookPort } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
  const token = readFileSync(path.join(home, 'hook-token'), 'utf8').trim();
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOAK_CLIENTS });
  const call = (event, i) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        session_id: `soak-${i % 16}`,
        cwd: repo,
        hook_event_name: event === 'pre-tool-use' ? 'PreToolUse' : 'PostToolUse',
        tool_name: 'Edit',
        tool_input: { file_path: path.join(repo, `f${i}.ts`), old_string: 'a', new_string: 'b' },
        ...(event === 'post-tool-use' ? { tool_response: { success: true } } : {}),
      });
      const req = http.request(
        { host: '127.0.0.1', port: hookPort, path: `/hooks/${event}`, method: 'POST', agent },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
        },
      );
      req.setHeader('x-taskhooks-token', token);
      req.setHeader('content-type', 'application/json');
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const client = async () => {
    while (next < SOAK_CALLS) {
      const i = next++;
      if (i % Math.floor(SOAK_CALLS / SOAK_WRITES) === 0)
        spawnSync(node, [cli, 'tasks', 'add', `Soak task ${i}`], { env, cwd: repo, encoding: 'utf8' });
      await call(i % 2 ? 'post-tool-use' : 'pre-tool-use', i);
    }
  };
  await Promise.all(Array.from({ length: SOAK_CLIENTS }, client));
  agent.destroy();
}

/** The V8 heap in use at the monitor's last log line that carries its memory (the start-up cycle's, at idle). */
function heapUsed(home) {
  const line = readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"memory":'))
    .at(-1);
  return line ? `${JSON.parse(line).memory.heapUsed.toFixed(1)} MB` : 'not logged yet';
}

for (const [i, node] of nodes.entries()) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  await withIdleMonitor(node, async ({ home, env, pid, repo, bare }) => {
    const monitor = residentMB(pid);
    console.log(`bare node ${version}, node:http and node:sqlite loaded`.padEnd(48), residentLine(bare));
    console.log(
      `idle monitor, node ${version}, one project`.padEnd(48),
      `${residentLine(monitor, bare)}; V8 heap used ${heapUsed(home)} (goal: VmRSS ≤ +20 MB)`,
    );
    const cpuBefore = processCpu(pid);
    const soakStart = performance.now();
    await soak({ home, env, repo }, node);
    const soakMs = performance.now() - soakStart;
    const soakCpu = processCpu(pid) - cpuBefore;
    const soaked = residentMB(pid);
    console.log(
      `monitor after the soak, node ${version}`.padEnd(48),
      `${residentLine(soaked, bare)}; high-water VmRSS ${soaked.hwm.toFixed(1)} (+${(soaked.hwm - bare.rss).toFixed(1)}) MB (goal ≤ +40 MB); ${SOAK_CALLS} served calls from ${SOAK_CLIENTS} clients, ${SOAK_WRITES} task writes`,
    );
    console.log(
      `the soak, node ${version}`.padEnd(48),
      `monitor CPU ${soakCpu.toFixed(0)} ms (${((soakCpu * 1000) / SOAK_CALLS).toFixed(0)} µs a served call) in ${(soakMs / 1000).toFixed(1)} s`,
    );
    if (i < nodes.length - 1) return;

    const cycles = () =>
      readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8').split('task refresh cycle done').length - 1;
    const window = async (what) => {
      const before = processCpu(pid);
      const cyclesBefore = cycles();
      await sleep(WINDOW_MS);
      const used = (processCpu(pid) - before) / 1000;
      console.log(
        `idle monitor CPU over ${WINDOW_MS / 1000} s${what}`.padEnd(48),
        `${(used * 1000).toFixed(0)} ms of CPU = ${((used / (WINDOW_MS / 1000)) * 100).toFixed(3)}% of one core (goal < 0.1%; node ${version}, default schedules, store server, one watched repository, ${cycles() - cyclesBefore} task cycle(s) in the window)`,
      );
    };
    await window('');

    // A page open: signed in through the one-time link, rendered once, its event stream held open.
    const { url } = JSON.parse(
      spawnSync(node, [cli, 'dashboard', '--json', '--no-open'], { env, encoding: 'utf8' }).stdout,
    );
    const login = await fetch(url, { redirect: 'manual' });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const origin = new URL(url).origin;
    await (await fetch(`${origin}/dashboard/`, { headers: { cookie } })).text();
    const stream = new AbortController();
    const events = await fetch(`${origin}/dashboard/events`, { headers: { cookie }, signal: stream.signal });
    const reading = events.body.pipeTo(new WritableStream()).catch(() => undefined);
    await sleep(2_000);
    await window(', a dashboard page open');
    console.log(`monitor with a dashboard page open, node ${version}`.padEnd(48), residentLine(residentMB(pid)));
    stream.abort();
    await reading;
  });
}
