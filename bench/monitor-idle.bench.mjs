// The idle monitor: near-zero CPU (goal: under 0.1% of one core). Starts a monitor with the default schedules and the
// store server, registers one git repository through a SessionStart (so its metadata is watched), lets the start-up
// work settle, then reads the monitor's CPU time from /proc over a quiet minute. A task cycle (every 2 min by default)
// may fall in the window: the line says how many did. A second window has a dashboard page open on the monitor (its
// server-sent event stream connected, as a browser keeps it) while nothing changes. Before the CPU windows it prints the
// idle monitor's resident size (goal: at most 50 MB). BENCH_NODE runs the monitor on another node binary (the Node 22
// and 24 test peers, say: .peers/node-24@24.21.0/node_modules/node-24/bin/node).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeRepo, node as ownNode, root } from './lib.mjs';

const node = process.env.BENCH_NODE ?? ownNode;

const WINDOW_MS = 60_000;
const TICKS_PER_S = 100; // USER_HZ on Linux
const home = mkdtempSync(path.join(os.tmpdir(), 'th-bench-idle-'));
writeFileSync(path.join(home, 'config.json'), JSON.stringify({ monitor: { hookPort: 0 } }));
const repo = makeRepo(path.join(home, 'demo'));
const env = { ...process.env, TASKHOOKS_HOME: home };
const cli = path.join(root, 'dist/cli.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};
const cycles = () =>
  readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8').split('task refresh cycle done').length - 1;

const started = spawnSync(node, [cli, 'monitor', 'start'], { env, encoding: 'utf8' });
try {
  if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
  const { pid } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
  const input = JSON.stringify({ session_id: 'bench', cwd: repo, hook_event_name: 'SessionStart', source: 'startup' });
  spawnSync(node, [path.join(root, 'dist/hooks/session-start.js')], {
    input,
    env: { ...env, TASKHOOKS_NO_AUTOSTART: '1' },
    encoding: 'utf8',
  });
  // Start-up, the first cycle, the new project's fetch, and the timers that work leaves to wind down (keep-alive
  // sockets, the fetch's 15 s deadline).
  await sleep(20_000);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field) => `${(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)[1]) / 1024).toFixed(1)} MB`;
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(
    'idle monitor resident size'.padEnd(48),
    `${mb('VmRSS')} (high-water ${mb('VmHWM')}; node ${version}, one project, goal ≤ 50 MB)`,
  );
  const window = async (what) => {
    const before = cpuTicks(pid);
    const cyclesBefore = cycles();
    await sleep(WINDOW_MS);
    const used = (cpuTicks(pid) - before) / TICKS_PER_S;
    console.log(
      `idle monitor CPU over ${WINDOW_MS / 1000} s${what}`.padEnd(48),
      `${(used * 1000).toFixed(0)} ms of CPU = ${((used / (WINDOW_MS / 1000)) * 100).toFixed(3)}% of one core (goal < 0.1%; default schedules, store server, one watched repository, ${cycles() - cyclesBefore} task cycle(s) in the window)`,
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
  stream.abort();
  await reading;
} finally {
  spawnSync(node, [cli, 'monitor', 'stop', '--timeout', '5'], { env });
  rmSync(home, { recursive: true, force: true });
}
