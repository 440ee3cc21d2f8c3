// `node bench/cli-ab.mjs [--runs N] [--stdout pipe|null] NAME=CHECKOUT…`: the CPU time (user and system) of `taskhooks
// --help`, `tasks list` and `tasks add` from each checkout's dist/ (built beforehand) against bare `node -e 0`, runs
// interleaved, medians compared: an A/B of two builds (e.g. main's worktree and a branch's) on a noisy machine. Their
// stdout is a pipe, as an agent's shell tool reads a command, or with `--stdout null` /dev/null. Each checkout runs in its
// own HOME and TASKHOOKS_HOME under one temporary folder, in the same project (shopProject). A preloaded file reports each
// process's CPU (process.cpuUsage, from its start) as it exits: exact, where a reaped child's is counted in 10 ms ticks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshEnv, node, shopProject, stats, taskhooksIn } from './lib.mjs';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 30;
const stdoutAt = argv.indexOf('--stdout');
const stdout = stdoutAt >= 0 ? argv.splice(stdoutAt, 2)[1] : 'pipe';
if (!['pipe', 'null'].includes(stdout)) {
  console.error('--stdout is pipe or null');
  process.exit(2);
}
const builds = argv.map((a) => a.split('='));
if (builds.length === 0 || builds.some((b) => b.length !== 2)) {
  console.error('usage: node bench/cli-ab.mjs [--runs N] NAME=CHECKOUT…');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'th-bench-cli-ab-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const preload = path.join(dir, 'cpu.cjs');
writeFileSync(
  preload,
  "process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(3, String((u.user + u.system) / 1000)); });",
);

/** One run's CPU ms, or a failure naming the command. */
function cpu(args, options = {}) {
  const r = spawnSync(node, ['-r', preload, ...args], {
    ...options,
    stdio: ['ignore', stdout === 'pipe' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(r.output[3]);
}

const places = builds.map(([name, checkout]) => {
  const home = path.join(dir, name);
  const env = freshEnv({ HOME: home, TASKHOOKS_HOME: path.join(home, 'taskhooks') });
  const cli = path.join(path.resolve(checkout), 'dist/cli.js');
  const repo = shopProject(path.join(home, 'shop'), env, taskhooksIn(env, cli));
  return { name, cli, options: { env, cwd: repo } };
});

const commands = { '--help': ['--help'], 'tasks list': ['tasks', 'list'], 'tasks add': ['tasks', 'add', 'Bench task'] };
const bare = [];
const cpus = new Map();
// Three rounds first, untimed: the compile cache and the config cache filled.
for (let i = -3; i < runs; i++) {
  const base = cpu(['-e', '0']);
  if (i >= 0) bare.push(base);
  for (const [label, args] of Object.entries(commands))
    for (const p of places) {
      const ms = cpu([p.cli, ...args], p.options);
      const key = `${label}\t${p.name}`;
      if (i >= 0) cpus.set(key, [...(cpus.get(key) ?? []), ms]);
    }
}
const bareMs = stats(bare).p50;
console.log(
  `CPU medians over ${runs} interleaved runs, node ${process.version}, stdout ${stdout}; bare node -e 0: ${bareMs.toFixed(1)} ms`,
);
for (const label of Object.keys(commands)) {
  const cells = places.map((p) => {
    const ms = stats(cpus.get(`${label}\t${p.name}`)).p50;
    return `${p.name} ${ms.toFixed(1)} ms ${(ms / bareMs).toFixed(2)}×`;
  });
  console.log(`${label.padEnd(12)} ${cells.join('   ')}`);
}
