// A cold herd: N Claude Code sessions started at once after a crash or a reboot (the monitor killed, the cache
// cleared), each in a project of its own with a task of its own, against the loopback stand-in model; without
// taskhooks, with what `taskhooks install` writes, and with the plugin (`--plugin-dir plugin/`). Each round kills the
// monitor (SIGKILL, as a crash leaves it: lock and socket behind) and clears the cache before each route's herd, and
// checks that every session's first request carried its own project's task. Prints per route the sessions' wall time
// and time to the first request, medians (min–max) over every session of the rounds, what a session adds (the median of
// each round's median less the same round's herd without taskhooks), and the CPU time (user + system) of the whole herd:
// the CLIs, every process they reaped, and the monitor the hooks started, whose share it also prints. Where strace runs,
// one more herd a route, traced, counts the programs its sessions and their monitor started.
//
// Options (environment): BENCH_HERD_SESSIONS (default 8), BENCH_HERD_ROUNDS (default 3), BENCH_HERD_ROUTES (among
// install, plugin, previous: what the previous release's build installs, with a state directory of its own,
// stub-start, stub: install's shape answered by stubs; default install, plugin), BENCH_PREVIOUS (the git ref whose
// committed plugin/ `previous` uses; default the newest tag, else HEAD). `npm run bench herd` runs it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messagesStub } from '../test/helpers/messages-standin.mjs';
import {
  childrenCpu,
  committedBuild,
  crashMonitor,
  emptyAnswers,
  freshEnv,
  gitProject,
  loadAverage,
  monitorCpu,
  node,
  peerOrExit,
  previousRelease,
  root,
  programsCell,
  programsStarted,
  stats,
  straceRuns,
  stubInstall,
  tracedCommand,
  taskhooksIn,
} from './lib.mjs';

const SESSIONS = Number(process.env.BENCH_HERD_SESSIONS ?? 8);
const ROUNDS = Number(process.env.BENCH_HERD_ROUNDS ?? 3);
const claude = peerOrExit('@anthropic-ai/claude-code');
const PREVIOUS = process.env.BENCH_PREVIOUS ?? previousRelease();
/** The previous release's build and a state directory of its own: its monitor is not this build's to replace. */
function previousBuild() {
  const home = path.join(tmp, 'taskhooks-previous');
  mkdirSync(home);
  const cli = committedBuild(PREVIOUS, path.join(tmp, 'previous'));
  return {
    home,
    cli,
    env: { ...env, TASKHOOKS_HOME: home },
    taskhooks: taskhooksIn({ ...env, TASKHOOKS_HOME: home }, cli),
  };
}

const ROUTES = {
  install: { name: '`taskhooks install`', args: [], install: true },
  previous: { name: `\`taskhooks install\` of ${PREVIOUS}`, args: [], install: true, build: previousBuild },
  plugin: { name: 'plugin (`--plugin-dir plugin/`)', args: ['--plugin-dir', path.join(root, 'plugin')] },
  // What Claude Code itself spends on install's shape, or on its SessionStart alone, in a herd, whoever answers: the
  // parts bench/lib.mjs stubInstall writes.
  'stub-start': { name: 'a stub SessionStart command alone', args: [], stub: ['start'], silent: true },
  stub: {
    name: "install's shape answered by stubs",
    args: [],
    stub: ['start', 'prompt', 'tools', 'calls'],
    silent: true,
  },
};
const chosen = (process.env.BENCH_HERD_ROUTES ?? 'install,plugin').split(',').map((r) => r.trim());
const unknown = chosen.filter((r) => !(r in ROUTES));
if (unknown.length > 0 || !Number.isInteger(SESSIONS) || SESSIONS < 1) {
  console.error(`BENCH_HERD_ROUTES chooses among ${Object.keys(ROUTES).join(', ')}; BENCH_HERD_SESSIONS is at least 1`);
  process.exit(2);
}
// Made once the options are known good: an exit on a bad one leaves nothing in the temporary folder.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-herd-'));
const home = path.join(tmp, 'home');
const taskhooksHome = path.join(tmp, 'taskhooks');
for (const d of [home, taskhooksHome, path.join(tmp, 'tmp')]) mkdirSync(d);
const env = freshEnv({ HOME: home, TASKHOOKS_HOME: taskhooksHome, TMPDIR: path.join(tmp, 'tmp') });
const taskhooks = taskhooksIn(env);
const cli = path.join(root, 'dist/cli.js');

const routes = [{ key: 'without', name: 'without taskhooks', args: [], silent: true }];
for (const k of chosen) routes.push({ key: k, ...ROUTES[k] });
// Each route's state directory, CLI and environment: this build's, but for the previous release's route.
for (const r of routes) Object.assign(r, r.build?.() ?? { home: taskhooksHome, cli, env, taskhooks });

const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  // Synchronously: an exit handler waits for nothing, and a monitor still running keeps writing into tmp.
  // Each state directory's monitor once.
  for (const r of new Map(routes.map((r) => [r.home, r])).values())
    try {
      execFileSync(node, [r.cli, 'monitor', 'stop'], { env: r.env, stdio: 'ignore', timeout: 10_000 });
    } catch (err) {
      console.error(`the herd's monitor did not stop: ${err.message}`);
    }
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** A git project with one task of its own in the built-in store: `Herd task <route> <i>`. */
function project(route, i) {
  const dir = gitProject(path.join(tmp, `${route.key}-${i}`), env);
  route.taskhooks(['tasks', 'add', `Herd task ${route.key} ${i}`], dir);
  return dir;
}
for (const r of routes) r.dirs = Array.from({ length: SESSIONS }, (_, i) => project(r, i));
writeFileSync(
  path.join(home, '.claude.json'),
  JSON.stringify({
    projects: Object.fromEntries(
      routes
        .flatMap((r) => r.dirs)
        .map((d) => [d, { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true }]),
    ),
  }),
);
for (const r of routes.filter((r) => r.install)) for (const d of r.dirs) r.taskhooks(['install'], d);
// The stub routes' hooks post here, and their task tools servers list the monitor's tools (install starts it).
const hookStub = await emptyAnswers();
const toolStubs = [];
process.on('exit', () => {
  hookStub.close();
  for (const t of toolStubs) t.close();
});
for (const r of routes.filter((r) => r.stub))
  for (const dir of r.dirs) {
    const tools = await stubInstall({ dir, parts: r.stub, tmp, env, home, taskhooks, hooksPort: hookStub.port });
    if (tools) toolStubs.push(tools);
  }

/**
 * One session with no tool call in `dir`: its wall time, time to its first request, and whether it held its task;
 * traced (tracedCommand) into the file `trace` when given.
 */
async function session(route, dir, i, trace) {
  const api = await messagesStub([]);
  const args = ['-p', 'hi', ...route.args];
  // Detached: the monitor a hook starts outlives the session.
  const [command, argv] = trace ? tracedCommand(trace, claude.entry, args, { detached: true }) : [claude.entry, args];
  const spawned = performance.now();
  try {
    // Done when the CLI exits, not when its output closes: a traced session's tracer holds that output open while it
    // follows the monitor the session started, which outlives it by minutes.
    const err = await new Promise((resolve) => {
      const child = spawn(command, argv, {
        cwd: dir,
        env: { ...route.env, ANTHROPIC_API_KEY: 'bench', ANTHROPIC_BASE_URL: api.url, DISABLE_AUTOUPDATER: '1' },
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
      child.on('error', (e) => resolve(new Error(`${route.name}, session ${i}: ${e.message}`)));
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        child.stderr.destroy();
        const failed = code !== 0 ? `exited ${code ?? signal}` : '';
        resolve(failed ? new Error(`${route.name}, session ${i}: ${failed} ${stderr}`) : null);
      });
      child.stdin.end();
    });
    if (err) throw err;
    const ms = performance.now() - spawned;
    const first = api.exchanges.find((e) => e.tools > 0);
    const told = api.requests.some((b) => b.includes(`Herd task ${route.key} ${i}`));
    if (told === Boolean(route.silent)) throw new Error(`${route.name}, session ${i}: told its task: ${told}`);
    return { ms, toFirst: first ? first.arrived - spawned : Number.NaN };
  } finally {
    await api.close();
  }
}

const times = new Map(routes.map((r) => [r.key, { ms: [], toFirst: [], perRound: [], cpu: [], monitor: [] }]));
const loadBefore = loadAverage();
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < routes.length; k++) {
    const r = routes[(round + k) % routes.length];
    await crashMonitor(r.home, r.taskhooks);
    const cpuBefore = childrenCpu();
    const runs = await Promise.all(r.dirs.map((d, i) => session(r, d, i)));
    // The monitor the herd's hooks started: all of its CPU so far is the herd's.
    const monitor = r.silent ? 0 : monitorCpu(r.home);
    const cpu = childrenCpu() - cpuBefore + monitor;
    const t = times.get(r.key);
    t.ms.push(...runs.map((s) => s.ms));
    t.toFirst.push(...runs.map((s) => s.toFirst));
    t.perRound.push(stats(runs.map((s) => s.ms)).p50);
    t.cpu.push(cpu);
    t.monitor.push(monitor);
  }
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const cpuRange = (v) =>
  `${(stats(v).p50 / 1000).toFixed(2)} s (${(Math.min(...v) / 1000).toFixed(2)}–${(stats(v).max / 1000).toFixed(2)})`;
const range = (v) => `${s(stats(v).p50)} (${s(Math.min(...v))}–${s(stats(v).max)})`;
console.log(
  `Claude Code ${claude.version}, node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before and ${loadAverage()} after; ${SESSIONS} sessions at once, ${ROUNDS} rounds, each herd after a crash and an emptied cache\n`,
);
console.log('| route | a session | added per session | to the first request | CPU of the herd | of it, the monitor |');
console.log('|---|---|---|---|---|---|');
const base = times.get('without');
for (const r of routes) {
  const t = times.get(r.key);
  const diff = stats(t.perRound.map((m, i) => m - base.perRound[i])).p50;
  const added = r === routes[0] ? '' : `${diff >= 0 ? '+' : '-'}${s(Math.abs(diff))}`;
  console.log(
    `| ${r.name} | ${range(t.ms)} | ${added} | ${range(t.toFirst)} | ${cpuRange(t.cpu)} | ${r.silent ? '' : cpuRange(t.monitor)} |`,
  );
}

/** Waits (at most 10 s) until no strace still writes one of `traces`. */
async function tracersDone(traces) {
  const writing = () =>
    spawnSync('pgrep', ['-f', traces.map((t) => path.basename(t)).join('|')], { encoding: 'utf8' }).stdout.trim();
  for (let waited = 0; writing() !== '' && waited < 10_000; waited += 100)
    await new Promise((ok) => setTimeout(ok, 100));
}

// One more herd a route, untimed, traced: what its sessions started, and the CPU the monitor they started spent.
if (straceRuns()) {
  console.log(
    `\nThe programs each route's herd started beside its ${SESSIONS} CLIs (execve, followed by strace), with the CPU each took as its parent reaped it (clock ticks of 10 ms; not for a process that outlives its parent), in one more herd; and the CPU of the monitor it started\n`,
  );
  console.log('| route | programs started | the monitor |');
  console.log('|---|---|---|');
  for (const r of routes) {
    await crashMonitor(r.home, r.taskhooks);
    const traces = r.dirs.map((_, i) => path.join(tmp, `trace-${r.key}-${i}`));
    await Promise.all(r.dirs.map((d, i) => session(r, d, i, traces[i])));
    // The sessions' async hooks (Stop, SessionEnd) end after their CLIs.
    await new Promise((ok) => setTimeout(ok, 3000));
    const monitor = r.silent ? '' : `${monitorCpu(r.home).toFixed(0)} ms`;
    // The tracer following the monitor writes its last lines as it ends, which it does once the monitor has gone.
    await crashMonitor(r.home, r.taskhooks);
    await tracersDone(traces);
    console.log(`| ${r.name} | ${programsCell(programsStarted(...traces))} | ${monitor} |`);
  }
}
