// The idle monitor: near-zero CPU. Starts a monitor with the default schedules and the embedded server,
// lets it settle, then reads its CPU time from /proc over a quiet window.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { node, root } from './lib.mjs';

const WINDOW_MS = 10_000;
const TICKS_PER_S = 100; // USER_HZ on Linux
const home = mkdtempSync(path.join(os.tmpdir(), 'th-bench-idle-'));
writeFileSync(path.join(home, 'config.json'), JSON.stringify({ monitor: { hookPort: 0 } }));
const env = { ...process.env, TASKHOOKS_HOME: home };
const cli = path.join(root, 'dist/cli.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};

const started = spawnSync(node, [cli, 'monitor', 'start'], { env, encoding: 'utf8' });
try {
  if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
  const { pid } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
  await sleep(8000); // start-up, the first refresh cycle and the embedded server's first answers
  const before = cpuTicks(pid);
  await sleep(WINDOW_MS);
  const used = (cpuTicks(pid) - before) / TICKS_PER_S;
  console.log(
    `idle monitor CPU over ${WINDOW_MS / 1000} s`.padEnd(48),
    `${(used * 1000).toFixed(0)} ms of CPU = ${((used / (WINDOW_MS / 1000)) * 100).toFixed(2)}% of one core (default schedules, embedded server)`,
  );
} finally {
  spawnSync(node, [cli, 'monitor', 'stop', '--timeout', '5'], { env });
  rmSync(home, { recursive: true, force: true });
}
