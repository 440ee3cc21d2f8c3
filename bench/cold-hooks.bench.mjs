// A cold herd of hooks alone: N SessionStart commands as `taskhooks install` writes them, run at once after a crash (the
// monitor killed, the cache cleared), each in a project of its own with a task of its own, and no agent around them.
// This build against the build committed at BENCH_PREVIOUS (default HEAD), interleaved round by round. Prints per build
// the hooks' CPU (user + system of the commands and every process they reaped; the monitor they started is counted
// apart), the median hook's wall time, and how many node hooks ran (counted with strace in one more round, untimed).
// The claimant's hook waits for an agent to list the task tools, which none does here: the median leaves it out.
//
// Options (environment): BENCH_COLD_HOOKS (default 8), BENCH_COLD_ROUNDS (default 7), BENCH_PREVIOUS.
// `npm run bench cold-hooks` runs it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  childrenCpu,
  crashMonitor,
  committedBuild,
  freshEnv,
  gitProject,
  loadAverage,
  monitorCpu,
  node,
  root,
  stats,
  taskhooksIn,
} from './lib.mjs';

const HOOKS = Number(process.env.BENCH_COLD_HOOKS ?? 8);
const ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 7);
const PREVIOUS = process.env.BENCH_PREVIOUS ?? 'HEAD';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-cold-hooks-'));
const traced = spawnSync('strace', ['-V']).status === 0;

/** One build's state directory, projects and SessionStart command. */
function build(name, cli) {
  const dir = path.join(tmp, name);
  const env = freshEnv({ HOME: path.join(dir, 'home'), TASKHOOKS_HOME: path.join(dir, 'taskhooks') });
  for (const d of [env.HOME, env.TASKHOOKS_HOME]) mkdirSync(d, { recursive: true });
  const taskhooks = taskhooksIn(env, cli);
  const projects = Array.from({ length: HOOKS }, (_, i) => {
    const p = gitProject(path.join(dir, `project-${i}`), env);
    taskhooks(['tasks', 'add', `Cold task ${name} ${i}`], p);
    taskhooks(['install'], p);
    return p;
  });
  const settings = JSON.parse(readFileSync(path.join(projects[0], '.claude', 'settings.local.json'), 'utf8'));
  const command = settings.hooks.SessionStart[0].hooks[0].command;
  return { name, cli, env, taskhooks, projects, command, cpu: [], monitor: [], median: [], nodes: undefined };
}

const builds = [
  build(`the build at ${PREVIOUS}`, committedBuild(PREVIOUS, path.join(tmp, 'previous-build'))),
  build('this build', path.join(root, 'dist', 'cli.js')),
];
// Each build's monitor started and stopped once, as on a machine where it ran before: Node writes its compiled code at
// a clean exit, and a build whose cache the rounds' kills never let it write would start slower for that alone.
for (const b of builds) for (const step of ['stop', 'start', 'stop']) b.taskhooks(['monitor', step], b.projects[0]);
process.on('exit', () => {
  for (const b of builds) spawnSync(node, [b.cli, 'monitor', 'stop'], { env: b.env, timeout: 30_000 });
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
});

/** One hook run as the agent runs it: its wall ms once its answer ended, which must tell its project's task. */
function hook(b, i, trace) {
  const project = b.projects[i];
  const [cmd, args] = trace
    ? ['strace', ['-f', '-qq', '-s', '400', '-e', 'trace=execve', '-o', `${trace}-${i}`, 'sh']]
    : ['sh', []];
  const started = performance.now();
  const child = spawn(cmd, [...args, '-c', b.command], {
    cwd: project,
    env: { ...b.env, CLAUDE_PROJECT_DIR: project },
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stdin.end(
    JSON.stringify({
      session_id: `cold-${i}-${started}`,
      hook_event_name: 'SessionStart',
      source: 'startup',
      cwd: project,
    }),
  );
  const told = () => {
    if (!out.includes(`Cold task ${b.name} ${i}`))
      throw new Error(`${b.name}, hook ${i}: its task was not told: ${out}`);
    return performance.now() - started;
  };
  return new Promise((resolve, reject) => {
    // A traced hook's strace holds its output open while it follows the monitor the hook started: a whole answer ends it.
    if (trace)
      child.stdout.on('data', () => {
        try {
          JSON.parse(out);
        } catch {
          return;
        }
        child.kill('SIGKILL');
        resolve(0);
      });
    else child.stdout.on('end', () => Promise.resolve().then(told).then(resolve, reject));
  });
}

const loadBefore = loadAverage();
for (let round = 0; round < ROUNDS; round++) {
  for (const b of round % 2 ? [...builds].reverse() : builds) {
    await crashMonitor(b.env.TASKHOOKS_HOME, b.taskhooks);
    const before = childrenCpu();
    const walls = await Promise.all(b.projects.map((_, i) => hook(b, i)));
    b.cpu.push(childrenCpu() - before);
    b.monitor.push(monitorCpu(b.env.TASKHOOKS_HOME));
    b.median.push(stats(walls).p50);
  }
}
if (traced) {
  for (const b of builds) {
    await crashMonitor(b.env.TASKHOOKS_HOME, b.taskhooks);
    const trace = path.join(tmp, `trace-${builds.indexOf(b)}`);
    await Promise.all(b.projects.map((_, i) => hook(b, i, trace)));
    const files = readdirSync(tmp).filter((f) => f.startsWith(path.basename(trace)));
    b.nodes = files
      .map((f) => readFileSync(path.join(tmp, f), 'utf8'))
      .join('')
      .split('\n')
      .filter(
        (l) => l.includes(`execve("${node}", `) && l.includes('hooks/session-start.js') && !l.includes('ENOENT'),
      ).length;
  }
}

const ms = (v) => `${Math.round(stats(v).p50)} ms (${Math.round(Math.min(...v))}–${Math.round(stats(v).max)})`;
console.log(
  `node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before and ${loadAverage()} after; ${HOOKS} SessionStart commands at once, ${ROUNDS} rounds, each after a crash and an emptied cache; medians (min–max) of the rounds\n`,
);
console.log('| build | the median hook | CPU of the hooks | CPU of the monitor they started | node hooks run |');
console.log('|---|---|---|---|---|');
for (const b of builds)
  console.log(`| ${b.name} | ${ms(b.median)} | ${ms(b.cpu)} | ${ms(b.monitor)} | ${b.nodes ?? 'strace not found'} |`);
