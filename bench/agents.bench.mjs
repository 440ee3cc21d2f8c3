// What a whole session of each other agent costs with taskhooks, beside bench/session.bench.mjs's Claude Code: the
// real CLI (the peer the tests install, test/peers.json) against the loopback stand-in of its model's API that its e2e
// test drives it with (test/helpers: Chat Completions for Qwen Code, Copilot CLI and OpenCode, the Gemini API for
// Gemini CLI, the Responses API for Codex), one headless turn whose model asks for N shell calls (`true 0`, `true 1`,
// …), and a turn asking for none. Each agent runs three routes, each a git project and HOME of its own:
// - without taskhooks;
// - `taskhooks install --agent <id>`, the monitor up;
// - on request (`notools`), the install without its task tools' server: what the server costs beside the hooks;
// - on request (`previous`), the install written by the build committed in plugin/ at BENCH_PREVIOUS (default the
//   newest tag, else HEAD), with a state directory and a monitor of its own;
// - the same hooks answered by a stub, the floor of the agent's own hook machinery: what install wrote, but for the
//   task tools' server (taken out), with each hook command replaced by `cat >/dev/null; echo '{}'`; OpenCode's plugin,
//   which runs no command, asks a second state directory's monitor socket, which a trivial server holds, answering `{}`;
// - on request (`floor`), those stub hooks with the task tools' server kept, answered by a stub that lists the
//   monitor's tools at once (lib.mjs mcpStub): the least a route offering the tasks and their tools can cost.
// Each round runs every route of every agent with N calls and with none, in an order that rotates, so machine noise
// hits them alike. Prints, per agent, a markdown table: medians (min–max), the ratio to the session without
// taskhooks, and what one call and a session add (medians of the rounds' own differences); then the install beside its
// stub, in wall time and in CPU time (the agent's process tree and the monitor's), which a shared machine's load
// stretches far less than wall time.
//
// Last, one call's hooks alone, without the agent: each route's own commands for the events a shell call runs, in the
// agent's shell, given such a call's input, BENCH_AGENTS_HOOK_RUNS times (default 30) in rotating order; then the
// same for the events that start a session (SessionStart and the first prompt's), a new session each run.
//
// Options (environment): BENCH_SESSION_CALLS (default 40), BENCH_SESSION_ROUNDS (default 5; 0: the hooks alone),
// BENCH_AGENTS (a comma-separated list among qwen, copilot, gemini, codex, opencode; default all), BENCH_AGENTS_ROUTES
// (among install, stub, notools, floor, previous; default install, stub), BENCH_PREVIOUS, BENCH_AGENTS_HOOK_RUNS. A
// session's limit is its e2e helper's, two minutes. `npm run bench agents` runs it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
// The rounds and their table are session.bench.mjs's; so are a project's and a user's making.
import { childrenCpu, eachRound, loadAverage, monitorCpu, sessionTable, stats } from './lib.mjs';
import { committedBuild, emptyAnswers, freshEnv, importHelpers, node, peerOrExit, previousRelease } from './lib.mjs';
import { monitorToolsStub } from './lib.mjs';
import { root, shopProject, taskhooksIn } from './lib.mjs';

const CALLS = Number(process.env.BENCH_SESSION_CALLS ?? 40);
const ROUNDS = Number(process.env.BENCH_SESSION_ROUNDS ?? 5);
if (!Number.isInteger(ROUNDS) || ROUNDS < 0) {
  console.error(
    `BENCH_SESSION_ROUNDS must be a whole number (0: the hooks alone), not ${process.env.BENCH_SESSION_ROUNDS}`,
  );
  process.exit(2);
}
if (!Number.isInteger(CALLS) || CALLS < 1) {
  console.error(`BENCH_SESSION_CALLS must be a whole number of at least 1, not ${process.env.BENCH_SESSION_CALLS}`);
  process.exit(2);
}

/** The k-th shell call: `true` with its number, since Qwen Code halts a turn that repeats a call word for word. */
const shell = (k) => `true ${k}`;
/** The shell tool's call, as Qwen Code and Gemini CLI name it, and as Copilot CLI and OpenCode do. */
const runShell = (k) => ({ tool: 'run_shell_command', args: { command: shell(k) } });
const bash = (k) => ({ tool: 'bash', args: { command: shell(k), description: 'x' } });
/** The input after a shell call, as Qwen Code and Gemini CLI send it. */
const afterShell = {
  tool_name: 'run_shell_command',
  tool_input: { command: shell(1) },
  tool_response: { llmContent: '', returnDisplay: '' },
};
/** What replaces each hook command in the stub route. */
const STUB_COMMAND = `cat >/dev/null; echo '{}'`;
const SERVER_KEYS = ['mcpServers', 'mcp', 'mcp_servers'];
/** A store server's address as install writes it: what the floor route points at its stub instead. */
const STORE_URL = /http:\/\/127\.0\.0\.1:\d+\/mcp/g;
/** Each agent: its peer, the helpers that drive it, its shell call, its HOME's settings, and one turn. */
const AGENTS = {
  qwen: {
    name: 'Qwen Code',
    peer: '@qwen-code/qwen-code',
    helpers: ['qwen', 'chat-completions'],
    api: (h, n) => h['chat-completions'].chatStub(calls(n, runShell)),
    home: (h, r) => h.qwen.qwenHome(r.home),
    turn: (h, r, url) => h.qwen.runQwen(r.dir, r.env, url),
    // After each call, and before the request that carries its result (an empty prompt).
    hooks: {
      file: '.qwen/settings.json',
      shell: 'bash',
      events: { PostToolUse: afterShell, UserPromptSubmit: { prompt: '' } },
      start: { SessionStart: { source: 'startup' }, UserPromptSubmit: { prompt: 'go on' } },
    },
  },
  copilot: {
    name: 'Copilot CLI',
    peer: '@github/copilot',
    helpers: ['copilot', 'chat-completions'],
    api: (h, n) => h['chat-completions'].chatStub(calls(n, bash)),
    home: () => {},
    turn: (h, r, url) => h.copilot.runCopilot(r.dir, r.env, url),
    hooks: {
      file: '.github/hooks/taskhooks.json',
      shell: 'bash',
      events: {
        preToolUse: { toolName: 'bash', toolArgs: JSON.stringify({ command: shell(1) }) },
        postToolUse: {
          toolName: 'bash',
          toolArgs: JSON.stringify({ command: shell(1) }),
          toolResult: { resultType: 'success', textResultForLlm: '' },
        },
      },
      start: { sessionStart: { source: 'new' }, userPromptSubmitted: { prompt: 'go on' } },
    },
  },
  gemini: {
    name: 'Gemini CLI',
    peer: '@google/gemini-cli',
    helpers: ['gemini'],
    api: (h, n) => h.gemini.generateStub(calls(n, runShell)),
    home: (h, r) => h.gemini.geminiHome(r.home, [r.dir]),
    turn: (h, r, url) => h.gemini.runGemini(r.dir, r.env, url),
    hooks: {
      file: '.gemini/settings.json',
      shell: 'bash',
      events: { AfterTool: afterShell },
      start: { SessionStart: { source: 'startup' }, BeforeAgent: { prompt: 'go on' } },
    },
  },
  codex: {
    name: 'Codex',
    peer: '@openai/codex',
    helpers: ['codex'],
    api: (h, n) => h.codex.responsesStub(calls(n, (k) => ({ shell: shell(k) }))),
    home: () => {},
    turn: (h, r, url) => {
      const codexHome = h.codex.codexHome(path.join(r.home, '.codex'), url, [r.dir]);
      return h.codex.runCodex(r.dir, { ...r.env, CODEX_HOME: codexHome });
    },
    hooks: {
      file: '.codex/hooks.json',
      shell: 'sh',
      events: {
        PreToolUse: { tool_name: 'Bash', tool_input: { command: shell(1) } },
        PostToolUse: { tool_name: 'Bash', tool_input: { command: shell(1) }, tool_response: '' },
      },
      start: { SessionStart: { source: 'startup' }, UserPromptSubmit: { prompt: 'go on' } },
    },
  },
  opencode: {
    name: 'OpenCode',
    peer: 'opencode-ai',
    helpers: ['opencode', 'chat-completions'],
    // OpenCode's conversation as its e2e test reads it: a turn per user message, its title request not counted.
    api: (h, n) => h['chat-completions'].chatStub(calls(n, bash), { turnPerUserMessage: true, toolRequestsOnly: true }),
    home: () => {},
    turn: (h, r, url) => h.opencode.runOpencode(r.dir, h.opencode.opencodeEnv(r.env, r.home, url)),
  },
};
const calls = (n, step) => Array.from({ length: n }, (_, k) => step(k));

/** A comma-separated choice among `all`, all of them when unset; exits naming the choices when it names others. */
function choice(variable, all, byDefault = all) {
  const chosen = (process.env[variable] ?? byDefault.join(',')).split(',').map((c) => c.trim());
  const unknown = chosen.filter((c) => !all.includes(c));
  if (unknown.length > 0) {
    console.error(`${variable} names ${unknown.join(', ')}: choose among ${all.join(', ')}`);
    process.exit(2);
  }
  return all.filter((c) => chosen.includes(c));
}
const agents = choice('BENCH_AGENTS', Object.keys(AGENTS));
const extraRoutes = choice(
  'BENCH_AGENTS_ROUTES',
  ['install', 'stub', 'notools', 'floor', 'previous'],
  ['install', 'stub'],
);
// Before anything is made: a missing peer ends the run with its one line.
const versions = Object.fromEntries(agents.map((a) => [a, peerOrExit(AGENTS[a].peer).version]));

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-agents-'));
const taskhooksHome = path.join(tmp, 'taskhooks');
// The stub route's state directory: installed from, its monitor socket held by the stub.
const stubHome = path.join(tmp, 'taskhooks-stub');
for (const d of [taskhooksHome, stubHome, path.join(tmp, 'tmp'), path.join(tmp, 'home')]) mkdirSync(d);
// The agents' scratch (Copilot CLI unpacks its binary into os.tmpdir() once) goes with the rest.
process.env.TMPDIR = path.join(tmp, 'tmp');
const env = freshEnv({ HOME: path.join(tmp, 'home'), TASKHOOKS_HOME: taskhooksHome, TMPDIR: process.env.TMPDIR });
const STUB_ENV = { TASKHOOKS_HOME: stubHome, TASKHOOKS_NO_AUTOSTART: '1' };
const taskhooks = taskhooksIn(env);
// The previous build, extracted from git, with its own state directory and monitor.
const PREVIOUS = process.env.BENCH_PREVIOUS ?? previousRelease();
const previousHome = path.join(tmp, 'taskhooks-previous');
const PREVIOUS_ENV = { TASKHOOKS_HOME: previousHome };
const previousCli = extraRoutes.includes('previous') ? committedBuild(PREVIOUS, path.join(tmp, 'previous')) : undefined;
if (previousCli) mkdirSync(previousHome);
let helpers;
let stub;
let toolsStub;
function cleanUp() {
  spawnSync(node, [path.join(root, 'dist/cli.js'), 'monitor', 'stop'], { env, timeout: 30_000 });
  if (previousCli)
    spawnSync(node, [previousCli, 'monitor', 'stop'], { env: { ...env, ...PREVIOUS_ENV }, timeout: 30_000 });
  stub?.close();
  toolsStub?.close();
  helpers?.remove();
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

helpers = await importHelpers([...new Set(agents.flatMap((a) => AGENTS[a].helpers))]);
const h = helpers.modules;

/** A route of `agent`: its project and HOME, its environment, the taskhooks that installs it. */
function route(agent, kind, name, more = {}, cli = taskhooks) {
  const home = path.join(tmp, `${agent}-${kind}-home`);
  mkdirSync(home);
  const routeEnv = { ...env, HOME: home, ...more };
  const dir = shopProject(path.join(tmp, `${agent}-${kind}`), routeEnv, cli, routeEnv);
  return { agent, kind, name, home, dir, env: routeEnv, taskhooks: cli };
}

const routes = [];
for (const a of agents) {
  routes.push(route(a, 'without', 'without taskhooks'));
  if (extraRoutes.includes('install')) routes.push(route(a, 'install', `\`taskhooks install --agent ${a}\``));
  if (extraRoutes.includes('notools'))
    routes.push(route(a, 'notools', `\`taskhooks install --agent ${a}\` without its task tools`));
  if (extraRoutes.includes('stub')) routes.push(route(a, 'stub', 'the same hooks answered `{}`', STUB_ENV));
  if (extraRoutes.includes('floor'))
    routes.push(route(a, 'floor', 'the same hooks answered `{}`, and a stub task tools server', STUB_ENV));
  if (previousCli)
    routes.push(
      route(a, 'previous', `the install of the build at ${PREVIOUS}`, PREVIOUS_ENV, taskhooksIn(env, previousCli)),
    );
}
taskhooks(['monitor', 'start'], routes[0].dir);
if (previousCli) taskhooksIn(env, previousCli)(['monitor', 'start'], routes[0].dir, PREVIOUS_ENV);
for (const r of routes) if (r.kind !== 'without') r.taskhooks(['install', '--agent', r.agent], r.dir, r.env);
// The floor's task tools server lists what the running monitor's store server lists.
if (extraRoutes.includes('floor')) toolsStub = await monitorToolsStub(taskhooksHome);
for (const r of routes)
  if (r.kind === 'stub' || r.kind === 'notools' || r.kind === 'floor')
    stubInstalled(r, r.kind !== 'notools', r.kind === 'floor' ? toolsStub.url : undefined);
stub = await emptyAnswers(path.join(stubHome, 'monitor.sock'));
for (const r of routes) AGENTS[r.agent].home(h, r);

/**
 * A JSON value install wrote, for the stub routes: its task tools' server out, or pointed at `toolsUrl` where given;
 * with `answered`, each hook the stub.
 */
function stubbed(value, count, answered, toolsUrl) {
  if (Array.isArray(value)) return value.map((v) => stubbed(v, count, answered, toolsUrl));
  if (typeof value !== 'object' || value === null) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (SERVER_KEYS.includes(k) && typeof v === 'object' && v !== null) {
      const { taskhooks: server, ...others } = v;
      out[k] = toolsUrl
        ? { ...others, taskhooks: JSON.parse(JSON.stringify(server).replace(STORE_URL, toolsUrl)) }
        : others;
      count.servers++;
    } else if (!answered) {
      out[k] = stubbed(v, count, answered, toolsUrl);
    } else if ((k === 'command' || k === 'bash') && typeof v === 'string' && v.includes(root)) {
      out[k] = STUB_COMMAND;
      count.hooks++;
    } else if (k === 'plugin' && JSON.stringify(v).includes(root)) {
      out[k] = v;
      count.hooks++;
    } else out[k] = stubbed(v, count, answered, toolsUrl);
  }
  return out;
}

/**
 * Every file under `dir` that names this checkout or holds the task tools' server (what install wrote; a user
 * settings file such as Qwen Code's names only the server's URL), but git's own.
 */
function installedFiles(dir) {
  const installed = (text) => text.includes(root) || /"taskhooks"\s*:|\[mcp_servers\.taskhooks\]/.test(text);
  return readdirSync(dir, { recursive: true })
    .filter((f) => !f.split(path.sep).includes('.git'))
    .map((f) => path.join(dir, f))
    .filter((f) => /\.(json|toml)$/.test(f) && installed(readFileSync(f, 'utf8')));
}

/**
 * A stub route's install, rewritten in place: its task tools' server out (pointed at `toolsUrl` where given), and with
 * `answered` each hook command the stub (the notools route keeps its hooks).
 */
function stubInstalled(r, answered, toolsUrl) {
  const count = { hooks: 0, servers: 0 };
  for (const file of [...installedFiles(r.dir), ...installedFiles(r.home)]) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.toml')) {
      // Codex's config.toml holds the task tools' server only; its hooks are in hooks.json.
      const server = /^\[mcp_servers\.taskhooks\]\n(?:(?!\[).*\n?)*/m;
      writeFileSync(
        file,
        text.replace(server, (block) => (toolsUrl ? block.replace(STORE_URL, toolsUrl) : '')),
      );
      continue;
    }
    writeFileSync(file, `${JSON.stringify(stubbed(JSON.parse(text), count, answered, toolsUrl), null, 2)}\n`);
  }
  if (answered && count.hooks === 0)
    throw new Error(`${r.agent}: \`taskhooks install\` wrote no hook for the stub route to answer`);
}

/**
 * The task tools as each agent names them to its model: Codex its deferred namespace `mcp__taskhooks`, Qwen Code
 * `mcp__taskhooks__update_task`, Gemini CLI `mcp_taskhooks_update_task`, Copilot CLI `taskhooks-update_task`, OpenCode
 * `taskhooks_update_task`.
 */
const OFFERED = /mcp__taskhooks|taskhooks[-_]{1,2}update_task/;

/**
 * One turn of `calls` shell calls: its wall time and CPU time in ms (the agent's process tree, and the monitor's when
 * the route asks it), and whether its first request held the project's tasks and offered the task tools.
 */
async function session(r, n) {
  const spec = AGENTS[r.agent];
  const api = await spec.api(h, n);
  const monitorHome = { install: taskhooksHome, notools: taskhooksHome, previous: previousHome }[r.kind];
  const cpuNow = () => childrenCpu() + (monitorHome ? monitorCpu(monitorHome) : 0);
  const cpuBefore = cpuNow();
  const start = performance.now();
  try {
    const turn = await spec.turn(h, r, api.url);
    const ms = performance.now() - start;
    const cpu = cpuNow() - cpuBefore;
    if (turn.code !== 0)
      throw new Error(`${spec.name}, ${r.name}, ${n} calls: exited ${turn.code}: ${turn.stderr.slice(-2000)}`);
    // A request per call, and the one the turn ends with.
    if (api.requests.length < n + 1)
      throw new Error(`${spec.name}, ${r.name}: ${api.requests.length} requests for ${n} calls: ${turn.stdout}`);
    const first = api.requests[0] ?? '';
    return { ms, cpu, told: first.includes('Fix the checkout total'), offered: OFFERED.test(first) };
  } finally {
    await api.close();
  }
}

// One untimed session per route first: the agents' and the hooks' first starts fill caches of their own (Copilot CLI
// unpacks itself). It also shows that taskhooks is at work where it should be, and only there.
// A first session of an install may miss the hooks' deadlines on a busy machine (every cache cold): two more tries.
for (const r of routes) {
  const first = await session(r, 1);
  let told = first.told;
  // A floor or install whose model is never offered the task tools would measure a route that offers none: an agent
  // may list a server's tools and still drop them.
  if ((r.kind === 'floor' || r.kind === 'install') && !first.offered)
    throw new Error(`${r.agent}, ${r.name}: the model was not offered the task tools`);
  const installed = r.kind === 'install' || r.kind === 'notools' || r.kind === 'previous';
  for (let again = 0; again < 2 && !told && installed; again++) told = (await session(r, 1)).told;
  if (told && (r.kind === 'stub' || r.kind === 'floor'))
    throw new Error(`${r.agent}, ${r.name}: the session was told the tasks`);
  if (!told && installed)
    throw new Error(
      `${r.agent}, ${r.name}: three sessions were not told the tasks (a machine this busy misses the hooks' deadlines, or the install is broken)`,
    );
}
const loadBefore = loadAverage();
const times = new Map(routes.map((r) => [`${r.agent} ${r.name}`, { calls: [], none: [], cpuCalls: [], cpuNone: [] }]));
await eachRound(routes, ROUNDS, async (r) => {
  const t = times.get(`${r.agent} ${r.name}`);
  const withCalls = await session(r, CALLS);
  const none = await session(r, 0);
  t.calls.push(withCalls.ms);
  t.none.push(none.ms);
  t.cpuCalls.push(withCalls.cpu);
  t.cpuNone.push(none.cpu);
});

/** Median (min to max) of signed ms, as sessionTable writes them. */
function spread(values, digits) {
  const ms = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
  return `${ms(stats(values).p50)} ms (${ms(Math.min(...values))} to ${ms(stats(values).max)})`;
}

/**
 * The install beside its stub, from the rounds' own differences (a round's sessions ran back to back): what a tool
 * call adds beyond what the session without calls adds, and what that session adds; in wall and in CPU time.
 */
function aboveStub(installs, stubbed) {
  console.log('\n| above its stub | per tool call | per session |');
  console.log('|---|---|---|');
  for (const [name, t] of installs)
    for (const [label, calls, none] of [
      ['wall', 'calls', 'none'],
      ['CPU', 'cpuCalls', 'cpuNone'],
    ]) {
      const perCall = t[calls].map((c, i) => (c - t[none][i] - (stubbed[calls][i] - stubbed[none][i])) / CALLS);
      const perSession = t[none].map((n, i) => n - stubbed[none][i]);
      console.log(`| ${name}, ${label} | ${spread(perCall, 1)} | ${spread(perSession, 0)} |`);
    }
}

/** The route's commands for `event` in its hooks file: each group's handlers, or Copilot CLI's flat ones. */
function commandsAt(r, event) {
  const { hooks = {} } = JSON.parse(readFileSync(path.join(r.dir, AGENTS[r.agent].hooks.file), 'utf8'));
  return (hooks[event] ?? []).flatMap((e) => e.hooks ?? [e]).map((h) => h.command ?? h.bash);
}

let sessions = 0;
/**
 * The hooks of route `r` at `events` (one shell call's, or a session's start: `spec.start`), each command in the
 * agent's shell: wall and CPU ms, the monitor's included. A start is a new session each run, as the monitor sees it.
 */
function hooksAt(r, which) {
  const spec = AGENTS[r.agent].hooks;
  const session = which === 'start' ? `bench-start-${++sessions}` : 'bench-hooks';
  const monitorHome = { install: taskhooksHome, notools: taskhooksHome, previous: previousHome }[r.kind];
  const cpuNow = () => childrenCpu() + (monitorHome ? monitorCpu(monitorHome) : 0);
  const cpuBefore = cpuNow();
  const start = performance.now();
  for (const [event, fields] of Object.entries(spec[which])) {
    const input = JSON.stringify({ session_id: session, cwd: r.dir, hook_event_name: event, ...fields });
    for (const command of commandsAt(r, event)) {
      const run = spawnSync(spec.shell, ['-c', command], { input, cwd: r.dir, env: r.env, timeout: 30_000 });
      if (run.status !== 0) throw new Error(`${r.agent}, ${r.name}, ${event}: exited ${run.status}: ${run.stderr}`);
    }
  }
  return { ms: performance.now() - start, cpu: cpuNow() - cpuBefore };
}

const HOOK_RUNS = Number(process.env.BENCH_AGENTS_HOOK_RUNS ?? 30);
const hookRoutes = routes.filter((r) => AGENTS[r.agent].hooks && r.kind !== 'without');
const alone = { events: new Map(), start: new Map() };
for (const which of ['events', 'start']) {
  for (const r of hookRoutes) alone[which].set(r, { ms: [], cpu: [] });
  await eachRound(hookRoutes, HOOK_RUNS, async (r) => {
    const { ms, cpu } = hooksAt(r, which);
    alone[which].get(r).ms.push(ms);
    alone[which].get(r).cpu.push(cpu);
  });
}

console.log(
  `node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before and ${loadAverage()} after; ${ROUNDS} rounds, medians (min–max)`,
);
for (const a of agents) {
  console.log(`\n${AGENTS[a].name} ${versions[a]}, ${CALLS} shell calls (\`true <k>\`)\n`);
  const own = routes.filter((r) => r.agent === a);
  const byName = new Map(own.map((r) => [r.name, times.get(`${a} ${r.name}`)]));
  if (ROUNDS > 0) sessionTable(own, byName, CALLS);
  const stubbed = own.find((r) => r.kind === 'stub');
  const installs = own
    .filter((r) => r.kind === 'install' || r.kind === 'previous' || r.kind === 'floor')
    .map((r) => [r.name, byName.get(r.name)]);
  if (stubbed && ROUNDS > 0) aboveStub(installs, byName.get(stubbed.name));
  const alike = hookRoutes.filter((r) => r.agent === a);
  if (alike.length === 0) continue;
  const ms = (v) => `${v.toFixed(1)} ms`;
  const cell = (samples) => `${ms(stats(samples).p50)} (${ms(Math.min(...samples))}–${ms(stats(samples).max)})`;
  for (const [which, what] of [
    ['events', "One shell call's hooks alone"],
    ['start', "A session's start hooks alone, a new session each run"],
  ]) {
    const events = Object.keys(AGENTS[a].hooks[which]).join(' and ');
    console.log(`\n${what} (${events}, \`${AGENTS[a].hooks.shell} -c\`), ${HOOK_RUNS} runs:\n`);
    console.log('| route | wall, median (min–max) | CPU, mean |');
    console.log('|---|---|---|');
    // CPU time comes in clock ticks (10 ms): its mean over the runs resolves what one run's cannot.
    for (const r of alike) {
      const { ms: wall, cpu } = alone[which].get(r);
      console.log(`| ${r.name} | ${cell(wall)} | ${ms(stats(cpu).mean)} |`);
    }
  }
}
