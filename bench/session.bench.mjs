// What a whole Claude Code session costs with taskhooks: the real CLI (the peer the tests install, test/peers.json)
// against a loopback stand-in model whose one turn makes N tool calls (Bash `true` and a small Write, in turn), in
// projects of one temp HOME with the monitor up: without taskhooks, with what `taskhooks install` writes (its hooks
// answered by the monitor), with the plugin (`--plugin-dir` the repository), and installed from a second state
// directory whose monitor is stopped (and not started by the hooks); on request, the install's http hooks answered `{}`
// by a trivial loopback server (what Claude Code itself spends on those hooks, whoever answers). Each round runs every
// route with N calls and with none, in an order that rotates, so machine noise hits them alike. Prints a markdown
// table: medians (min–max), the ratio to the session without taskhooks, the milliseconds one tool call and a session
// with none add, each the median of the rounds' own differences to the session without taskhooks (a round's sessions
// run back to back, so they share the machine's load); then a second table of the same sessions read from the model's
// side: the time between its answer and the next request for each tool, and from the CLI's start to its first request.
//
// Options (environment): BENCH_SESSION_CALLS (default 40), BENCH_SESSION_ROUNDS (default 5),
// BENCH_SESSION_TIMEOUT_S (one session's limit, default 300), BENCH_SESSION_ROUTES (a comma-separated list of `install`,
// `untrusted`, `plugin`, `stopped`, `stub`: only those beside the session without taskhooks; default install, plugin,
// stopped).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messagesStub } from '../test/helpers/messages-standin.mjs';
import { node, root, stats } from './lib.mjs';

const CALLS = Number(process.env.BENCH_SESSION_CALLS ?? 40);
const ROUNDS = Number(process.env.BENCH_SESSION_ROUNDS ?? 5);
const TIMEOUT_MS = Number(process.env.BENCH_SESSION_TIMEOUT_S ?? 300) * 1000;
// Every run already times a session with no tool call beside the N-call one, and the per-call figure divides by N.
if (!Number.isInteger(CALLS) || CALLS < 1) {
  console.error(
    `BENCH_SESSION_CALLS must be a whole number of at least 1, not ${process.env.BENCH_SESSION_CALLS}: every run also times a session with no tool call`,
  );
  process.exit(2);
}
const CLAUDE_PACKAGE = '@anthropic-ai/claude-code';

/** The Claude Code the tests install into .peers/ (test/helpers/peers.ts), or a line saying how to get it. */
function claudePeer() {
  const line = JSON.parse(readFileSync(path.join(root, 'test/peers.json'), 'utf8')).peers[CLAUDE_PACKAGE];
  const dir = path.join(root, '.peers', `${CLAUDE_PACKAGE.replace('/', '+')}@${line.version}`);
  const entry = path.join(dir, 'node_modules', CLAUDE_PACKAGE, line.entry);
  let marker;
  try {
    marker = JSON.parse(readFileSync(path.join(dir, '.peer.json'), 'utf8'));
  } catch {
    marker = undefined;
  }
  if (marker?.version !== line.version || !existsSync(entry))
    throw new Error(
      `${CLAUDE_PACKAGE}@${line.version} is not installed in ${path.dirname(dir)}: run \`npm test\` (or any vitest run) once, whose global setup installs it`,
    );
  return { version: line.version, entry };
}

const claude = claudePeer();
const cli = path.join(root, 'dist/cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-session-'));
const home = path.join(tmp, 'home');
const taskhooksHome = path.join(tmp, 'taskhooks');
mkdirSync(home);
mkdirSync(taskhooksHome);
// Claude Code leaves sockets and scratch files in TMPDIR: this run's own, removed with the rest.
mkdirSync(path.join(tmp, 'tmp'));
// A second state directory, installed from but with no monitor: what a session pays when it is down.
const stoppedHome = path.join(tmp, 'taskhooks-stopped');
mkdirSync(stoppedHome);

// A new user's environment: nothing of the developer's own taskhooks or Claude Code session leaks in.
const env = { ...process.env, HOME: home, TASKHOOKS_HOME: taskhooksHome, TMPDIR: path.join(tmp, 'tmp'), NO_COLOR: '1' };
for (const k of [
  'MCP_SERVER_URL',
  'TASK_TRACKING_URL',
  'TASKHOOKS_PROJECT',
  'TASKHOOKS_LOG_LEVEL',
  'CLAUDE_PROJECT_DIR',
])
  delete env[k];
for (const k of Object.keys(env))
  if (k.startsWith('CLAUDE_CODE_') || k === 'CLAUDECODE' || k === 'CLAUDE_PID') delete env[k];
Object.assign(env, {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
});
const taskhooks = (args, cwd, more = {}) =>
  execFileSync(node, [cli, ...args], { cwd, env: { ...env, ...more }, encoding: 'utf8', timeout: 60_000 });
const STOPPED_ENV = { TASKHOOKS_HOME: stoppedHome, TASKHOOKS_NO_AUTOSTART: '1' };

/** A git project of its own for each route (install writes into its project). */
function project(name, more = {}) {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
  writeFileSync(path.join(dir, 'README.md'), '# shop\n');
  execFileSync('git', ['add', '.'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', 'initial commit'], { cwd: dir, env });
  for (const title of ['Fix the checkout total', 'Add coupon codes']) taskhooks(['tasks', 'add', title], dir, more);
  return dir;
}

const children = [];
// The stub route's hooks post here: every answer `{}` at once, after the whole body arrived (as a hook's would).
const stubServer = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise((resolve) => stubServer.listen(0, '127.0.0.1', resolve));
stubServer.unref();
function cleanUp() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  spawnSync(node, [cli, 'monitor', 'stop'], { env, timeout: 30_000 });
  spawnSync(node, [cli, 'monitor', 'stop'], { env: { ...env, ...STOPPED_ENV }, timeout: 30_000 });
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const ROUTES = {
  install: () => ({ name: '`taskhooks install`', dir: project('install'), args: [], install: true }),
  plugin: () => ({ name: 'plugin (`--plugin-dir`)', dir: project('plugin'), args: ['--plugin-dir', root] }),
  stopped: () => ({
    name: '`taskhooks install`, monitor stopped',
    dir: project('stopped', STOPPED_ENV),
    args: [],
    env: STOPPED_ENV,
    install: true,
  }),
  stub: () => ({ name: 'the same http hooks answered `{}`', dir: project('stub'), args: [], stub: true }),
  // A folder never opened interactively: CI, a script, a person's first `claude -p`.
  untrusted: () => ({
    name: '`taskhooks install`, folder never trusted',
    dir: project('untrusted'),
    args: [],
    install: true,
    untrusted: true,
  }),
};
const chosen = (process.env.BENCH_SESSION_ROUTES ?? 'install,plugin,stopped').split(',').map((r) => r.trim());
const unknown = chosen.filter((r) => !(r in ROUTES));
if (unknown.length > 0) {
  console.error(`BENCH_SESSION_ROUTES names ${unknown.join(', ')}: choose among ${Object.keys(ROUTES).join(', ')}`);
  process.exit(2);
}
// The session without taskhooks is every ratio's base: always measured.
const routes = [
  { name: 'without taskhooks', dir: project('without'), args: [] },
  ...Object.keys(ROUTES)
    .filter((r) => chosen.includes(r))
    .map((r) => ROUTES[r]()),
];
// Every folder but the untrusted route's trusted, as a person's first interactive start records it; `-p` never asks.
// Written before install, which adds the task tools to the same file.
writeFileSync(
  path.join(home, '.claude.json'),
  JSON.stringify({
    projects: Object.fromEntries(
      routes
        .filter((r) => !r.untrusted)
        .map((r) => [r.dir, { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true }]),
    ),
  }),
);
taskhooks(['monitor', 'start'], routes[0].dir);
for (const r of routes) if (r.install) taskhooks(['install'], r.dir, r.env);
for (const r of routes) if (r.stub) stubHooks(r.dir);

/**
 * The stub route's settings: the http hooks `taskhooks install` writes, each posting to the stub server instead of the
 * monitor, and nothing else (no SessionStart, no `.mcp.json`): only the per-call hooks' cost in Claude Code is left.
 */
function stubHooks(dir) {
  const scratch = path.join(tmp, 'stub-install');
  mkdirSync(scratch);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: scratch, env });
  taskhooks(['install'], scratch);
  const installed = JSON.parse(readFileSync(path.join(scratch, '.claude', 'settings.local.json'), 'utf8')).hooks;
  const { port } = stubServer.address();
  const hooks = {};
  for (const [event, groups] of Object.entries(installed)) {
    const posting = groups
      .map((g) => ({ ...g, hooks: g.hooks.filter((h) => h.type === 'http') }))
      .filter((g) => g.hooks.length > 0)
      .map((g) => ({
        ...g,
        hooks: g.hooks.map((h) => ({ ...h, url: h.url.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${port}`) })),
      }));
    if (posting.length > 0) hooks[event] = posting;
  }
  if (Object.keys(hooks).length === 0)
    throw new Error('`taskhooks install` wrote no http hook for the stub route to copy');
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  writeFileSync(path.join(dir, '.claude', 'settings.local.json'), JSON.stringify({ hooks }, null, 2));
}

/** Bash `true` and a Write of a small new file, in turn. */
const steps = (dir) =>
  Array.from({ length: CALLS }, (_, i) =>
    i % 2 === 0
      ? { tool: 'Bash', input: { command: 'true', description: 'do nothing' } }
      : { tool: 'Write', input: { file_path: path.join(dir, `bench-${i}.txt`), content: `line ${i}\n` } },
  );

/**
 * One session of `calls` tool calls: its wall time in ms, the time from its start to its first request, and for each
 * tool the time from the model's answer asking for a call to the request carrying its result (the tool, its hooks, the
 * next request built). Throws when it fails or makes fewer calls.
 */
async function session(route, calls) {
  const asked = steps(route.dir).slice(0, calls);
  const api = await messagesStub(asked, { keepRequests: false });
  const args = ['-p', 'hi', '--allowedTools', 'Bash,Write', ...route.args];
  // performance.now(), the clock the stand-in stamps its requests with.
  const spawned = performance.now();
  try {
    const result = await new Promise((resolve) => {
      const child = execFile(
        claude.entry,
        args,
        {
          cwd: route.dir,
          env: {
            ...env,
            ...route.env,
            ANTHROPIC_API_KEY: 'bench',
            ANTHROPIC_BASE_URL: api.url,
            CLAUDE_CODE_MAX_RETRIES: '0',
            DISABLE_AUTOUPDATER: '1',
          },
          timeout: TIMEOUT_MS,
          killSignal: 'SIGKILL',
          maxBuffer: 64 << 20,
        },
        (err, stdout, stderr) => resolve({ err, stdout, stderr }),
      );
      children.push(child);
    });
    const ms = performance.now() - spawned;
    if (result.err)
      throw new Error(`${route.name}, ${calls} calls: claude failed (${result.err.message}): ${result.stderr}`);
    const written = readdirSync(route.dir).filter((f) => /^bench-\d+\.txt$/.test(f));
    if (written.length !== Math.floor(calls / 2))
      throw new Error(`${route.name}: ${written.length} of ${Math.floor(calls / 2)} files written: ${result.stdout}`);
    for (const f of written) rmSync(path.join(route.dir, f));
    const first = api.exchanges.find((e) => e.tools > 0);
    return {
      ms,
      between: between(api.exchanges, asked),
      toFirst: first ? first.arrived - spawned : Number.NaN,
    };
  } finally {
    await api.close();
  }
}

/**
 * Each tool's times between the conversation's requests (those offering tools): from the answer asking for call k to
 * the first request carrying k + 1 results.
 */
function between(exchanges, asked) {
  const first = new Map();
  for (const e of exchanges) if (e.tools > 0 && !first.has(e.results)) first.set(e.results, e);
  const out = {};
  asked.forEach((step, k) => {
    const [ask, result] = [first.get(k), first.get(k + 1)];
    if (ask && result) (out[step.tool] ??= []).push(result.arrived - ask.answered);
  });
  return out;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const loadBefore = load();
const times = new Map(routes.map((r) => [r.name, { calls: [], none: [], between: {}, toFirst: [] }]));
/** Whether the route's sessions were told the project's tasks (what the transcripts of its project hold). */
function told(route) {
  const transcripts = path.join(home, '.claude', 'projects', route.dir.replace(/[^A-Za-z0-9]/g, '-'));
  return readdirSync(transcripts)
    .filter((f) => f.endsWith('.jsonl'))
    .some((f) => readFileSync(path.join(transcripts, f), 'utf8').includes('Fix the checkout total'));
}

// One untimed session per route first: Claude Code's and the hooks' first starts fill caches of their own. It also
// shows that taskhooks is at work where it should be, and only there.
for (const r of routes) {
  await session(r, 2);
  if (told(r) !== (r !== routes[0] && !r.stub))
    throw new Error(`${r.name}: the session was ${told(r) ? '' : 'not '}told the tasks (see ${taskhooksHome}/logs)`);
}
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < routes.length; i++) {
    const r = routes[(round + i) % routes.length];
    const t = times.get(r.name);
    const timed = await session(r, CALLS);
    t.calls.push(timed.ms);
    for (const [tool, ms] of Object.entries(timed.between)) (t.between[tool] ??= []).push(...ms);
    const none = await session(r, 0);
    t.none.push(none.ms);
    t.toFirst.push(timed.toFirst, none.toFirst);
  }
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const range = (st, samples) => `${s(st.p50)} (${s(Math.min(...samples))}–${s(st.max)})`;
const base = times.get(routes[0].name);
const baseCalls = stats(base.calls);
console.log(
  `Claude Code ${claude.version}, node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before and ${load()} after; ${ROUNDS} rounds, medians (min–max)\n`,
);
console.log(`| route | ${CALLS} tool calls | ratio | added per tool call | no tool call | added per session |`);
console.log('|---|---|---|---|---|---|');
/** The median of each round's own figure, with the rounds' range: `+7.1 ms (+3.0 to +9.8)`. */
function perRound(values, digits) {
  const st = stats(values);
  const ms = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
  return `${ms(st.p50)} ms (${ms(Math.min(...values))} to ${ms(st.max)})`;
}
for (const r of routes) {
  const t = times.get(r.name);
  const calls = stats(t.calls);
  const none = stats(t.none);
  if (r === routes[0]) {
    console.log(`| ${r.name} | ${range(calls, t.calls)} |  |  | ${range(none, t.none)} |  |`);
    continue;
  }
  // A round's tool call: the extra time of its N calls beyond the extra its session with none already pays.
  const perCall = t.calls.map((c, i) => (c - base.calls[i] - (t.none[i] - base.none[i])) / CALLS);
  const perSession = t.none.map((n, i) => n - base.none[i]);
  console.log(
    `| ${r.name} | ${range(calls, t.calls)} | **${(calls.p50 / baseCalls.p50).toFixed(2)}×** | ${perRound(perCall, 1)} | ${range(none, t.none)} | ${perRound(perSession, 0)} |`,
  );
}

// The same calls read between requests: whole sessions vary by hundreds of milliseconds from run to run, while the
// median time from the model's answer to the next request moves by a few, so it shows a few milliseconds a call. The
// time from the CLI's start to its first request is what a session's start holds the model up by.
const tools = [...new Set(steps(routes[0].dir).map((s) => s.tool))];
const spread = (v) => {
  const st = stats(v);
  return `${st.p50.toFixed(1)} ms (${st.p25.toFixed(1)}–${st.p75.toFixed(1)})`;
};
const signed = (ms) => `${ms >= 0 ? '+' : ''}${ms.toFixed(1)} ms`;
console.log(
  `\nBetween the model's answer asking for a call and the request carrying its result (the tool, its hooks, the next request built), and from the CLI's start to its first request: medians (p25–p75) of every call, and every session, of the rounds; added is the route's medians less the session without taskhooks', per tool call over the tools in the mix the sessions make\n`,
);
console.log(
  `| route | ${tools.map((t) => `${t} (${base.between[t]?.length ?? 0} calls)`).join(' | ')} | added per tool call | to the first request (${base.toFirst.length} sessions) | added per session |`,
);
console.log(`|---|${tools.map(() => '---|').join('')}---|---|---|`);
for (const r of routes) {
  const { between, toFirst } = times.get(r.name);
  const cells = tools.map((t) => (between[t]?.length ? spread(between[t]) : '—'));
  const first = spread(toFirst);
  if (r === routes[0]) {
    console.log(`| ${r.name} | ${cells.join(' | ')} |  | ${first} |  |`);
    continue;
  }
  const perCall = tools.reduce((sum, t) => sum + stats(between[t]).p50 - stats(base.between[t]).p50, 0) / tools.length;
  console.log(
    `| ${r.name} | ${cells.join(' | ')} | ${signed(perCall)} | ${first} | ${signed(stats(toFirst).p50 - stats(base.toFirst).p50)} |`,
  );
}
