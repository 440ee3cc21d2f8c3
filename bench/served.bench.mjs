// A warm monitor's own answer to a session's hooks, as the socket client hands them over (HTTP on its Unix socket):
// SessionStart (a new session each time), the first prompt's UserPromptSubmit and the turn's Stop, with the built-in
// store holding the project's two tasks. This build and the build committed in plugin/ at BENCH_PREVIOUS (default the
// newest tag, else HEAD), each with a state directory, a project and a monitor of its own, taken in turns so machine
// noise hits both alike. Prints the medians (p95) of BENCH_SERVED_RUNS (300) sessions and the monitor's CPU a session.
// What a session pays on top is its client's start (perl's, `npm run bench socket`). Then a task tool call (list_tasks
// over HTTP, as an agent's task tools make it) while BENCH_SERVED_LIVE (8) other sessions are live, each in an agent
// process of its own: the monitor finds the caller's session among them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  committedBuild,
  fmt,
  freshEnv,
  postMcp,
  previousRelease,
  processCpu,
  root,
  shopProject,
  stats,
  taskhooksIn,
} from './lib.mjs';

const runs = Number(process.env.BENCH_SERVED_RUNS ?? 300);
const live = Number(process.env.BENCH_SERVED_LIVE ?? 8);
const previous = process.env.BENCH_PREVIOUS ?? previousRelease();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-served-'));
const monitors = [];
// The other live sessions' agents: processes that outlive the bench's calls.
const agents = Array.from({ length: live }, () => spawn('sleep', ['3600'], { stdio: 'ignore' }));
process.on('exit', () => {
  for (const a of agents) a.kill('SIGKILL');
  for (const pid of monitors) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** A state directory, a project with two tasks and a running monitor for the build whose CLI is `cli`. */
async function startBuild(name, cli) {
  const home = path.join(tmp, name, 'home');
  const env = freshEnv({ HOME: home, TASKHOOKS_HOME: path.join(home, '.taskhooks') });
  const taskhooks = taskhooksIn(env, cli);
  const project = shopProject(path.join(tmp, name, 'shop'), env, taskhooks);
  taskhooks(['install'], project);
  // Started as a session starts it, with the build's own launch flags (its monitor runs without an optimising
  // compiler): started by hand, it would run faster than any user's.
  taskhooks(['monitor', 'stop'], project);
  taskhooks(['monitor', 'start'], project);
  const state = path.join(home, '.taskhooks');
  const { pid } = JSON.parse(readFileSync(path.join(state, 'monitor.pid'), 'utf8'));
  monitors.push(pid);
  const socket = path.join(state, 'monitor.sock');
  const post = (route, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: socket,
          path: `/hooks/${route}`,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${route}: ${text}`))));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  for (let i = 0; !existsSync(socket) || !(await post('user-prompt-submit', {}).catch(() => '')); i++) {
    if (i > 200) throw new Error(`${name}: the monitor did not listen on ${socket}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const projects = JSON.parse(readFileSync(path.join(home, '.claude.json'), 'utf8')).projects;
  const tools = Object.values(projects).find((p) => p.mcpServers?.taskhooks)?.mcpServers.taskhooks;
  if (!tools) throw new Error(`${name}: install wrote no task tools entry`);
  return {
    name,
    project,
    post,
    pid,
    tools,
    times: { start: [], prompt: [], stop: [], tool: [] },
    cpu: [],
    toolCpu: [],
  };
}

/** One list_tasks call on the build's task tools, as an agent makes it, timed to its whole answer. */
async function toolCall(build) {
  const cpu = processCpu(build.pid);
  const t = performance.now();
  const call = { method: 'tools/call', params: { name: 'list_tasks', arguments: {} } };
  const res = await postMcp(build.tools.url, build.tools.headers, call);
  const text = await res.text();
  build.times.tool.push(performance.now() - t);
  build.toolCpu.push(processCpu(build.pid) - cpu);
  if (!text.includes('Fix the checkout total')) throw new Error(`${build.name}: list_tasks answered ${text}`);
}

/** One session's three hooks, each timed from its request to its whole answer. */
async function session(build, i) {
  const base = { session_id: `bench-${i}`, transcript_path: path.join(tmp, 't.jsonl'), cwd: build.project };
  const cpu = processCpu(build.pid);
  const timed = async (key, route, body) => {
    const t = performance.now();
    const answer = await build.post(route, { ...base, ...body });
    build.times[key].push(performance.now() - t);
    return answer;
  };
  const told = await timed('start', 'session-start', { hook_event_name: 'SessionStart', source: 'startup' });
  if (i === 0 && !told.includes('Fix the checkout total')) throw new Error(`${build.name}: no task told: ${told}`);
  await timed('prompt', 'user-prompt-submit', { hook_event_name: 'UserPromptSubmit', prompt: 'go on' });
  await timed('stop', 'turn-end', { hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: 'ok' });
  build.cpu.push(processCpu(build.pid) - cpu);
}

const builds = [
  await startBuild('this build', path.join(root, 'dist/cli.js')),
  await startBuild(`previous (${previous})`, committedBuild(previous, path.join(tmp, 'previous'))),
];
// Warmed alike first: the first calls compile the code they run.
for (let i = 0; i < 20; i++) for (const b of builds) await session(b, -1 - i);
for (const b of builds) {
  for (const k of Object.keys(b.times)) b.times[k] = [];
  b.cpu = [];
}
for (let i = 0; i < runs; i++) for (const b of i % 2 ? builds : [...builds].reverse()) await session(b, i);

// The other sessions start, each in its own agent process, as the socket client tells the monitor whose it is.
for (const b of builds)
  for (const [i, a] of agents.entries())
    await b.post(
      'session-start',
      { session_id: `live-${i}`, cwd: b.project, hook_event_name: 'SessionStart', source: 'startup' },
      { 'x-taskhooks-agent-pid': String(a.pid) },
    );
for (let i = 0; i < 20; i++) for (const b of builds) await toolCall(b);
for (const b of builds) {
  b.times.tool = [];
  b.toolCpu = [];
}
for (let i = 0; i < runs; i++) for (const b of i % 2 ? builds : [...builds].reverse()) await toolCall(b);

const cell = (samples) => {
  const s = stats(samples);
  return `${fmt(s.p50)} (${fmt(s.p95)})`;
};
console.log(`${runs} sessions each, medians (p95), interleaved; the monitor's CPU is /proc's, in 10 ms ticks`);
console.log('| build | SessionStart | UserPromptSubmit | Stop | monitor CPU a session (mean) |');
console.log('|---|---|---|---|---|');
for (const b of builds) {
  const meanCpu = b.cpu.reduce((a, c) => a + c, 0) / b.cpu.length;
  console.log(
    `| ${b.name} | ${cell(b.times.start)} | ${cell(b.times.prompt)} | ${cell(b.times.stop)} | ${fmt(meanCpu)} |`,
  );
}
console.log(`\nA task tool call (list_tasks over HTTP), ${live} other sessions live, ${runs} calls each, interleaved`);
console.log('| build | the call | monitor CPU a call (mean) |');
console.log('|---|---|---|');
const mean = (v) => v.reduce((a, c) => a + c, 0) / v.length;
for (const b of builds) console.log(`| ${b.name} | ${cell(b.times.tool)} | ${fmt(mean(b.toolCpu))} |`);
process.exit(0);
