// What a whole session of each other agent costs with taskhooks, beside bench/session.bench.mjs's Claude Code: the
// real CLI (the peer the tests install, test/peers.json) against the loopback stand-in of its model's API that its e2e
// test drives it with (test/helpers: Chat Completions for Qwen Code, Copilot CLI and OpenCode, the Gemini API for
// Gemini CLI, the Responses API for Codex), one headless turn whose model asks for N shell calls (`true 0`, `true 1`,
// …), and a turn asking for none. Each agent runs three routes, each a git project and HOME of its own:
// - without taskhooks;
// - `taskhooks install --agent <id>`, the monitor up;
// - on request (`notools`), the install without its task tools' server: what the server costs beside the hooks;
// - the same install answered `{}` at once (what the agent's own hook machinery costs, whoever answers): the install is
//   made from a second state directory whose monitor socket a trivial server holds, answering every request `{}`;
//   what install wrote is then kept but for the task tools' server (taken out) and each hook command that would answer
//   in a node of its own (replaced by `cat >/dev/null; echo '{}'`); a command that asks the monitor over its socket,
//   and OpenCode's plugin, which does, reach the stub as they are.
// Each round runs every route of every agent with N calls and with none, in an order that rotates, so machine noise
// hits them alike. Prints, per agent, a markdown table: medians (min–max), the ratio to the session without
// taskhooks, and what one call and a session add (medians of the rounds' own differences).
//
// Options (environment): BENCH_SESSION_CALLS (default 40), BENCH_SESSION_ROUNDS (default 5), BENCH_AGENTS (a
// comma-separated list among qwen, copilot, gemini, codex, opencode; default all), BENCH_AGENTS_ROUTES (among install,
// stub, notools; default install, stub). A session's limit is its e2e helper's, two minutes. `npm run bench agents` runs it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
// The rounds and their table are session.bench.mjs's; so are a project's and a user's making.
import { eachRound, loadAverage, sessionTable } from './lib.mjs';
import { emptyAnswers, freshEnv, importHelpers, node, peerOrExit, root, shopProject, taskhooksIn } from './lib.mjs';

const CALLS = Number(process.env.BENCH_SESSION_CALLS ?? 40);
const ROUNDS = Number(process.env.BENCH_SESSION_ROUNDS ?? 5);
if (!Number.isInteger(CALLS) || CALLS < 1) {
  console.error(`BENCH_SESSION_CALLS must be a whole number of at least 1, not ${process.env.BENCH_SESSION_CALLS}`);
  process.exit(2);
}

/** The k-th shell call: `true` with its number, since Qwen Code halts a turn that repeats a call word for word. */
const shell = (k) => `true ${k}`;
/** The shell tool's call, as Qwen Code and Gemini CLI name it, and as Copilot CLI and OpenCode do. */
const runShell = (k) => ({ tool: 'run_shell_command', args: { command: shell(k) } });
const bash = (k) => ({ tool: 'bash', args: { command: shell(k), description: 'x' } });
/** What replaces a hook command that would answer in a node of its own. */
const STUB_COMMAND = `cat >/dev/null; echo '{}'`;
const SERVER_KEYS = ['mcpServers', 'mcp', 'mcp_servers'];
/** Each agent: its peer, the helpers that drive it, its shell call, its HOME's settings, and one turn. */
const AGENTS = {
  qwen: {
    name: 'Qwen Code',
    peer: '@qwen-code/qwen-code',
    helpers: ['qwen', 'chat-completions'],
    api: (h, n) => h['chat-completions'].chatStub(calls(n, runShell)),
    home: (h, r) => h.qwen.qwenHome(r.home),
    turn: (h, r, url) => h.qwen.runQwen(r.dir, r.env, url),
  },
  copilot: {
    name: 'Copilot CLI',
    peer: '@github/copilot',
    helpers: ['copilot', 'chat-completions'],
    api: (h, n) => h['chat-completions'].chatStub(calls(n, bash)),
    home: () => {},
    turn: (h, r, url) => h.copilot.runCopilot(r.dir, r.env, url),
  },
  gemini: {
    name: 'Gemini CLI',
    peer: '@google/gemini-cli',
    helpers: ['gemini'],
    api: (h, n) => h.gemini.generateStub(calls(n, runShell)),
    home: (h, r) => h.gemini.geminiHome(r.home, [r.dir]),
    turn: (h, r, url) => h.gemini.runGemini(r.dir, r.env, url),
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
const extraRoutes = choice('BENCH_AGENTS_ROUTES', ['install', 'stub', 'notools'], ['install', 'stub']);
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
let helpers;
let stub;
function cleanUp() {
  spawnSync(node, [path.join(root, 'dist/cli.js'), 'monitor', 'stop'], { env, timeout: 30_000 });
  stub?.close();
  helpers?.remove();
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

helpers = await importHelpers([...new Set(agents.flatMap((a) => AGENTS[a].helpers))]);
const h = helpers.modules;

/** A route of `agent`: its project and HOME, its environment. */
function route(agent, kind, name, more = {}) {
  const home = path.join(tmp, `${agent}-${kind}-home`);
  mkdirSync(home);
  const routeEnv = { ...env, HOME: home, ...more };
  const dir = shopProject(path.join(tmp, `${agent}-${kind}`), routeEnv, taskhooks, routeEnv);
  return { agent, kind, name, home, dir, env: routeEnv };
}

const routes = [];
for (const a of agents) {
  routes.push(route(a, 'without', 'without taskhooks'));
  if (extraRoutes.includes('install')) routes.push(route(a, 'install', `\`taskhooks install --agent ${a}\``));
  if (extraRoutes.includes('notools'))
    routes.push(route(a, 'notools', `\`taskhooks install --agent ${a}\` without its task tools`));
  if (extraRoutes.includes('stub')) routes.push(route(a, 'stub', 'the same hooks answered `{}`', STUB_ENV));
}
taskhooks(['monitor', 'start'], routes[0].dir);
for (const r of routes) if (r.kind !== 'without') taskhooks(['install', '--agent', r.agent], r.dir, r.env);
for (const r of routes) if (r.kind === 'stub' || r.kind === 'notools') stubInstalled(r, r.kind === 'stub');
stub = await emptyAnswers(path.join(stubHome, 'monitor.sock'));
for (const r of routes) AGENTS[r.agent].home(h, r);

/**
 * A JSON value install wrote, for the stub route: its task tools' server out, and with `answered` its node hook
 * commands answered `{}`.
 */
function stubbed(value, count, answered) {
  if (Array.isArray(value)) return value.map((v) => stubbed(v, count, answered));
  if (typeof value !== 'object' || value === null) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (SERVER_KEYS.includes(k) && typeof v === 'object' && v !== null) {
      const { taskhooks: _server, ...others } = v;
      out[k] = others;
      count.servers++;
    } else if (!answered) {
      out[k] = stubbed(v, count, answered);
    } else if ((k === 'command' || k === 'bash') && typeof v === 'string' && v.includes(root)) {
      // A command that asks the monitor over its socket reaches the stub as it is.
      out[k] = v.includes('socket-post.pl') ? v : STUB_COMMAND;
      count.hooks++;
    } else if (k === 'plugin' && JSON.stringify(v).includes(root)) {
      out[k] = v;
      count.hooks++;
    } else out[k] = stubbed(v, count, answered);
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
 * The stub route's install, rewritten in place: its task tools' server out, and with `answered` what reaches a node of
 * taskhooks' answers `{}` instead (the notools route keeps its hooks).
 */
function stubInstalled(r, answered) {
  const count = { hooks: 0, servers: 0 };
  for (const file of [...installedFiles(r.dir), ...installedFiles(r.home)]) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.toml')) {
      // Codex's config.toml holds the task tools' server only; its hooks are in hooks.json.
      writeFileSync(file, text.replace(/^\[mcp_servers\.taskhooks\]\n(?:(?!\[).*\n?)*/m, ''));
      continue;
    }
    writeFileSync(file, `${JSON.stringify(stubbed(JSON.parse(text), count, answered), null, 2)}\n`);
  }
  if (answered && count.hooks === 0)
    throw new Error(`${r.agent}: \`taskhooks install\` wrote no hook for the stub route to answer`);
}

/** One turn of `calls` shell calls: its wall time in ms, and whether its first request held the project's tasks. */
async function session(r, n) {
  const spec = AGENTS[r.agent];
  const api = await spec.api(h, n);
  const start = performance.now();
  try {
    const turn = await spec.turn(h, r, api.url);
    const ms = performance.now() - start;
    if (turn.code !== 0)
      throw new Error(`${spec.name}, ${r.name}, ${n} calls: exited ${turn.code}: ${turn.stderr.slice(-2000)}`);
    // A request per call, and the one the turn ends with.
    if (api.requests.length < n + 1)
      throw new Error(`${spec.name}, ${r.name}: ${api.requests.length} requests for ${n} calls: ${turn.stdout}`);
    return { ms, told: (api.requests[0] ?? '').includes('Fix the checkout total') };
  } finally {
    await api.close();
  }
}

// One untimed session per route first: the agents' and the hooks' first starts fill caches of their own (Copilot CLI
// unpacks itself). It also shows that taskhooks is at work where it should be, and only there.
// A first session of an install may miss the hooks' deadlines on a busy machine (every cache cold): two more tries.
for (const r of routes) {
  let told = (await session(r, 1)).told;
  const installed = r.kind === 'install' || r.kind === 'notools';
  for (let again = 0; again < 2 && !told && installed; again++) told = (await session(r, 1)).told;
  if (told && r.kind === 'stub') throw new Error(`${r.agent}, ${r.name}: the session was told the tasks`);
  if (!told && installed)
    throw new Error(
      `${r.agent}, ${r.name}: three sessions were not told the tasks (a machine this busy misses the hooks' deadlines, or the install is broken)`,
    );
}
const loadBefore = loadAverage();
const times = new Map(routes.map((r) => [`${r.agent} ${r.name}`, { calls: [], none: [] }]));
await eachRound(routes, ROUNDS, async (r) => {
  const t = times.get(`${r.agent} ${r.name}`);
  t.calls.push((await session(r, CALLS)).ms);
  t.none.push((await session(r, 0)).ms);
});

console.log(
  `node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before and ${loadAverage()} after; ${ROUNDS} rounds, medians (min–max)`,
);
for (const a of agents) {
  console.log(`\n${AGENTS[a].name} ${versions[a]}, ${CALLS} shell calls (\`true <k>\`)\n`);
  const own = routes.filter((r) => r.agent === a);
  const byName = new Map(own.map((r) => [r.name, times.get(`${a} ${r.name}`)]));
  sessionTable(own, byName, CALLS);
}
