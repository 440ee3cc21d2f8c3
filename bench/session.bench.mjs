// What a whole Claude Code session costs with taskhooks: the real CLI (the peer the tests install, test/peers.json)
// against a loopback stand-in model whose one turn makes N tool calls (Bash `true` and a small Write, in turn), in
// projects of one temp HOME with the monitor up: without taskhooks, with what `taskhooks install` writes (its hooks
// answered by the monitor), with the plugin (`--plugin-dir plugin/`, the folder Claude Code copies from git), and
// installed from a second state directory whose monitor is stopped (and not started by the hooks); on request, the
// install's http hooks answered `{}` by a trivial loopback server (what Claude Code itself spends on those hooks,
// whoever answers), an install without PostToolBatch, and a teammate's clone carrying an old install's committed
// `.mcp.json` entry. Each round runs every route with N calls and with none, in an order that rotates, so machine noise
// hits them alike. Prints a markdown table: medians (min–max), the ratio to the session without taskhooks, the
// milliseconds one tool call and a session with none add, each the median of the rounds' own differences to the session
// without taskhooks (a round's sessions run back to back, so they share the machine's load); then a second table of the
// same sessions read from the model's side: the time between its answer and the next request for each tool, and from
// the CLI's start to its first request.
//
// Options (environment): BENCH_SESSION_CALLS (default 40), BENCH_SESSION_ROUNDS (default 5),
// BENCH_SESSION_TIMEOUT_S (one session's limit, default 300), BENCH_SESSION_DEBUG (a folder for Claude Code's debug log
// of every session, `--debug-file`), BENCH_SESSION_ROUTES (a comma-separated list of the routes beside the session
// without taskhooks; default install, previous, plugin, previous-plugin, stub-start, stopped), BENCH_PREVIOUS (the git
// ref whose committed plugin/ the `previous` routes use; default the newest tag, else HEAD):
// - `install`: what `taskhooks install` writes, the monitor up;
// - `previous`: the same written by the previous release's build (BENCH_PREVIOUS), with its own monitor up;
// - `previous-plugin`: the previous release's plugin (its committed plugin/ as `--plugin-dir`), with its own state
//   directory, beside `plugin`;
// - `untrusted`: the same in a folder never trusted (CI, a script, a person's first `claude -p`);
// - `plugin`: the plugin (`--plugin-dir plugin/`, what Claude Code installs from the repository's git URL);
// - `stopped`: installed from a second state directory whose monitor is stopped (and not started by the hooks);
// - `stub`: the install's http hooks answered `{}` by a trivial loopback server, its SessionStart a command that only
//   reads its input, and its task tools the same tools listed at once by a stub MCP server (bench/lib.mjs mcpStub):
//   what Claude Code itself spends on an install of this shape, whoever answers;
// - `stub-start`, `stub-prompt`, `stub-tools`, `stub-calls`: one part of the stub alone (its SessionStart command, its
//   UserPromptSubmit hook, its task tools server, its tool-call hooks): what Claude Code spends on each part;
// - `floor`: the stub's SessionStart command and its task tools server together, nothing else: a session told its
//   tasks and offered tools by the least code that can;
// - `plugin-floor`: the same two as a plugin of their own (`--plugin-dir`): what Claude Code spends on a plugin that
//   does so, whoever answers;
// - `plugin-stdio-floor`: the same plugin with its tools server a program on stdio, as a plugin's must be when the
//   server's address and token are its user's own;
// - `quiet`: installed with `hooks.midTurnNews: false` in the config, so no PostToolBatch hook;
// - `nostart`, `notools`: `install` without its SessionStart hook, or without its task tools entry in ~/.claude.json:
//   what each adds to a session's start, read against `install`;
// - `clone`: a teammate's clone, never trusted and without taskhooks, whose committed `.mcp.json` holds an old
//   install's `taskhooks` entry (the monitor's http server on a port where nothing listens, its token read by a
//   headersHelper from a state directory this machine lacks).
// The other agents' sessions are bench/agents.bench.mjs's.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { messagesStub } from '../test/helpers/messages-standin.mjs';
import {
  eachRound,
  emptyAnswers,
  straceRuns,
  stubInstall,
  tracedCommand,
  committedBuild,
  freshEnv,
  loadAverage,
  childrenCpu,
  monitorCpu,
  node,
  peerOrExit,
  previousRelease,
  monitorTools,
  monitorToolsStub,
  stubResult,
  programsCell,
  programsStarted,
  root,
  sessionTable,
  shopProject,
  stats,
  taskhooksIn,
} from './lib.mjs';

const CALLS = Number(process.env.BENCH_SESSION_CALLS ?? 40);
const ROUNDS = Number(process.env.BENCH_SESSION_ROUNDS ?? 5);
const TIMEOUT_MS = Number(process.env.BENCH_SESSION_TIMEOUT_S ?? 300) * 1000;
const DEBUG_DIR = process.env.BENCH_SESSION_DEBUG && path.resolve(process.env.BENCH_SESSION_DEBUG);
// Every run already times a session with no tool call beside the N-call one, and the per-call figure divides by N.
if (!Number.isInteger(CALLS) || CALLS < 1) {
  console.error(
    `BENCH_SESSION_CALLS must be a whole number of at least 1, not ${process.env.BENCH_SESSION_CALLS}: every run also times a session with no tool call`,
  );
  process.exit(2);
}

const claude = peerOrExit('@anthropic-ai/claude-code');
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
const env = freshEnv({ HOME: home, TASKHOOKS_HOME: taskhooksHome, TMPDIR: path.join(tmp, 'tmp') });
const taskhooks = taskhooksIn(env);
const STOPPED_ENV = { TASKHOOKS_HOME: stoppedHome, TASKHOOKS_NO_AUTOSTART: '1' };
// The previous release's build, extracted from git, with a state directory and a monitor of its own.
const PREVIOUS = process.env.BENCH_PREVIOUS ?? previousRelease();
const previousHome = path.join(tmp, 'taskhooks-previous');
const PREVIOUS_ENV = { TASKHOOKS_HOME: previousHome };
let previousCli;
/** The previous release's plugin/ folder, extracted once for both of its routes. */
function previousPlugin() {
  if (!previousCli) {
    previousCli = committedBuild(PREVIOUS, path.join(tmp, 'previous'));
    mkdirSync(previousHome);
  }
  return path.join(tmp, 'previous', 'plugin');
}

/** A git project of its own for each route (install writes into its project). */
const project = (name, more = {}) => shopProject(path.join(tmp, name), env, taskhooks, more);

const children = [];
// The stub route's task tools server.
const toolStubs = [];
// The stub route's hooks post here.
const stub = await emptyAnswers();
function cleanUp() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  spawnSync(node, [cli, 'monitor', 'stop'], { env, timeout: 30_000 });
  spawnSync(node, [cli, 'monitor', 'stop'], { env: { ...env, ...STOPPED_ENV }, timeout: 30_000 });
  if (previousCli)
    spawnSync(node, [previousCli, 'monitor', 'stop'], { env: { ...env, ...PREVIOUS_ENV }, timeout: 30_000 });
  stub.close();
  for (const t of toolStubs) t.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** A loopback port nothing listens on (taken and let go). */
async function deadPort() {
  const probe = createServer();
  await new Promise((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address();
  await new Promise((ok) => probe.close(ok));
  return port;
}

/** The clone route's project: an old install's `.mcp.json` entry, committed by the teammate who installed it. */
async function oldClone() {
  const dir = project('clone');
  const token = '/home/teammate/.taskhooks/hook-token';
  const entry = {
    type: 'http',
    url: `http://127.0.0.1:${await deadPort()}/mcp`,
    headersHelper: `printf '{"Authorization":"Bearer %s"}' "$(cat '${token}')"`,
  };
  writeFileSync(path.join(dir, '.mcp.json'), `${JSON.stringify({ mcpServers: { taskhooks: entry } }, null, 2)}\n`);
  execFileSync('git', ['add', '.mcp.json'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', 'taskhooks for the team'], { cwd: dir, env });
  return dir;
}

/** Installs in `dir` with `hooks.midTurnNews: false`, which only install reads: the config goes again afterwards. */
function quietInstall(dir) {
  const config = path.join(taskhooksHome, 'config.json');
  writeFileSync(config, JSON.stringify({ hooks: { midTurnNews: false } }));
  try {
    taskhooks(['install'], dir);
  } finally {
    rmSync(config);
  }
  const hooks = JSON.parse(readFileSync(path.join(dir, '.claude', 'settings.local.json'), 'utf8')).hooks;
  if ('PostToolBatch' in hooks) throw new Error('the quiet route: install wrote PostToolBatch all the same');
}

// The parts of the stub route, each also a route of its own: what Claude Code spends on each, whoever answers.
const STUB_PARTS = ['start', 'prompt', 'tools', 'calls'];
const STUB_PART_NAMES = {
  start: 'SessionStart command',
  prompt: 'UserPromptSubmit http hook',
  tools: 'task tools server',
  calls: 'tool-call http hooks',
};
/** A route whose sessions load a stub plugin of their own (stubPlugin makes it), its task tools over http or stdio. */
function stubPluginRoute(key, name, transport = 'http') {
  return () => {
    const plugin = path.join(tmp, `${key}-plugin`);
    const stdio = transport === 'stdio';
    return { name, dir: project(key), args: ['--plugin-dir', plugin], stubPlugin: plugin, stdio, silent: true };
  };
}

const ROUTES = {
  install: () => ({ name: '`taskhooks install`', dir: project('install'), args: [], install: true }),
  plugin: () => ({
    name: 'plugin (`--plugin-dir plugin/`)',
    dir: project('plugin'),
    args: ['--plugin-dir', path.join(root, 'plugin')],
  }),
  stopped: () => ({
    name: '`taskhooks install`, monitor stopped',
    dir: project('stopped', STOPPED_ENV),
    args: [],
    env: STOPPED_ENV,
    install: true,
  }),
  previous: () => {
    previousPlugin();
    const previous = taskhooksIn(env, previousCli);
    return {
      name: `\`taskhooks install\` of the build at ${PREVIOUS}`,
      dir: shopProject(path.join(tmp, 'previous-project'), env, previous, PREVIOUS_ENV),
      args: [],
      env: PREVIOUS_ENV,
      install: true,
      taskhooks: previous,
    };
  },
  'previous-plugin': () => {
    const plugin = previousPlugin();
    return {
      name: `plugin of the build at ${PREVIOUS}`,
      dir: shopProject(path.join(tmp, 'previous-plugin'), env, taskhooksIn(env, previousCli), PREVIOUS_ENV),
      args: ['--plugin-dir', plugin],
      env: PREVIOUS_ENV,
    };
  },
  stub: () => ({
    name: 'the same hooks and tools answered at once',
    dir: project('stub'),
    args: [],
    stub: STUB_PARTS,
    silent: true,
  }),
  // The least a route offering tasks and task tools can be: the stub's SessionStart and its task tools server.
  floor: () => ({
    name: "the stub's SessionStart command and task tools",
    dir: project('floor'),
    args: [],
    stub: ['start', 'tools'],
    silent: true,
  }),
  'plugin-floor': stubPluginRoute('plugin-floor', "a stub plugin: the stub's SessionStart command and task tools"),
  // A plugin's tools server on a user's own port and token cannot be named in its committed manifest: it runs as a
  // program, and Claude Code stops such a server at a session's end by signalling it and checking every 50 ms.
  'plugin-stdio-floor': stubPluginRoute(
    'plugin-stdio-floor',
    'the same stub plugin, its task tools a program (stdio)',
    'stdio',
  ),
  ...Object.fromEntries(
    STUB_PARTS.map((part) => [
      `stub-${part}`,
      () => ({
        name: `the stub's ${STUB_PART_NAMES[part]} alone`,
        dir: project(`stub-${part}`),
        args: [],
        stub: [part],
        silent: true,
      }),
    ]),
  ),
  untrusted: () => ({
    name: '`taskhooks install`, folder never trusted',
    dir: project('untrusted'),
    args: [],
    install: true,
    untrusted: true,
  }),
  quiet: () => ({
    name: '`taskhooks install`, `hooks.midTurnNews: false`',
    dir: project('quiet'),
    args: [],
    quiet: true,
  }),
  nostart: () => ({
    name: '`taskhooks install` without SessionStart',
    dir: project('nostart'),
    args: [],
    part: 'start',
    // Whether its first prompt tells the tasks is not what this route measures.
    unchecked: true,
  }),
  notools: () => ({
    name: '`taskhooks install` without the task tools',
    dir: project('notools'),
    args: [],
    part: 'tools',
  }),
  clone: async () => ({
    name: 'a clone with an old `.mcp.json` entry, never trusted',
    dir: await oldClone(),
    args: [],
    untrusted: true,
    silent: true,
  }),
};
const chosen = (process.env.BENCH_SESSION_ROUTES ?? 'install,previous,plugin,previous-plugin,stub-start,stopped')
  .split(',')
  .map((r) => r.trim());
const unknown = chosen.filter((r) => !(r in ROUTES));
if (unknown.length > 0) {
  console.error(`BENCH_SESSION_ROUTES names ${unknown.join(', ')}: choose among ${Object.keys(ROUTES).join(', ')}`);
  process.exit(2);
}
// The session without taskhooks is every ratio's base: always measured.
const routes = [{ name: 'without taskhooks', dir: project('without'), args: [], silent: true }];
for (const r of Object.keys(ROUTES).filter((k) => chosen.includes(k))) routes.push(await ROUTES[r]());
// Every folder but the untrusted routes' trusted, as a person's first interactive start records it; `-p` never asks.
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
for (const r of routes) if (r.taskhooks) r.taskhooks(['monitor', 'start'], r.dir, r.env);
for (const r of routes) if (r.install) (r.taskhooks ?? taskhooks)(['install'], r.dir, r.env);
for (const r of routes) if (r.quiet) quietInstall(r.dir);
for (const r of routes) if (r.part) partInstall(r);
for (const r of routes.filter((r) => r.stub)) {
  const tools = await stubInstall({ dir: r.dir, parts: r.stub, tmp, env, home, taskhooks, hooksPort: stub.port });
  if (tools) toolStubs.push(tools);
}
for (const r of routes.filter((r) => r.stubPlugin)) {
  r.tools = await stubPlugin(r.stubPlugin, r.stdio);
  toolStubs.push(r.tools);
}

/**
 * A plugin in `dir` holding the stub's SessionStart command and a task tools server that lists the monitor's tools at
 * once (the monitor must be up): over http, or a perl program over stdio. Returns that server, for the caller to close.
 */
async function stubPlugin(dir, stdio) {
  for (const d of ['.claude-plugin', 'hooks']) mkdirSync(path.join(dir, d), { recursive: true });
  const tools = stdio ? await stdioToolsStub(dir) : await monitorToolsStub(taskhooksHome);
  const server = stdio ? { command: 'perl', args: [tools.script] } : { type: 'http', url: tools.url };
  const manifest = { name: 'taskhooks', version: '0.0.0', mcpServers: { taskhooks: server } };
  writeFileSync(path.join(dir, '.claude-plugin', 'plugin.json'), JSON.stringify(manifest));
  const start = [{ hooks: [{ type: 'command', command: 'cat >/dev/null' }] }];
  writeFileSync(path.join(dir, 'hooks', 'hooks.json'), JSON.stringify({ hooks: { SessionStart: start } }));
  return tools;
}

/**
 * mcpStub's answers to initialize and tools/list (stubResult) as a perl program in `dir` reading JSON-RPC lines on
 * stdin, as little as perl starts with (no module): each answer written out in full, its request's id put in; any
 * other request refused. `listings` counts the tools/list it answered, in a file beside it.
 */
async function stdioToolsStub(dir) {
  const listed = stubResult('tools/list', {}, await monitorTools(taskhooksHome));
  const initialized = stubResult('initialize', { protocolVersion: 'VERSION' });
  const perlString = (text) => `'${text.replace(/[\\']/g, '\\$&')}'`;
  const script = path.join(dir, 'tools.pl');
  const counted = path.join(dir, 'listings');
  writeFileSync(counted, '');
  writeFileSync(
    script,
    `$| = 1;
while (my $line = <STDIN>) {
  my ($id) = $line =~ /.*"id":(-?\\d+|"[^"]*")/ or next;
  my ($method) = $line =~ /"method":"([^"]*)"/;
  my ($version) = $line =~ /"protocolVersion":"([^"]*)"/;
  my $result = $method eq 'tools/list' ? ${perlString(JSON.stringify(listed))}
    : $method eq 'initialize' ? ${perlString(JSON.stringify(initialized))} =~ s/VERSION/$version/r : undef;
  if ($method eq 'tools/list') { open(my $f, '>>', ${perlString(counted)}); print $f '1'; close $f }
  print defined $result ? qq({"jsonrpc":"2.0","id":$id,"result":$result}\\n)
    : qq({"jsonrpc":"2.0","id":$id,"error":{"code":-32601,"message":"no $method here"}}\\n);
}
`,
  );
  return { script, listings: () => readFileSync(counted, 'utf8').length, close: () => {} };
}

/** `taskhooks install` less one part: its SessionStart hook (`start`) or its local-scope task tools (`tools`). */
function partInstall(route) {
  taskhooks(['install'], route.dir);
  if (route.part === 'start') {
    const file = path.join(route.dir, '.claude', 'settings.local.json');
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    delete settings.hooks.SessionStart;
    writeFileSync(file, JSON.stringify(settings, null, 2));
    return;
  }
  const claudeJson = path.join(home, '.claude.json');
  const config = JSON.parse(readFileSync(claudeJson, 'utf8'));
  delete config.projects[route.dir].mcpServers;
  writeFileSync(claudeJson, JSON.stringify(config, null, 2));
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
async function session(route, calls, traced) {
  const asked = steps(route.dir).slice(0, calls);
  const api = await messagesStub(asked, { keepRequests: false });
  const args = ['-p', 'hi', '--allowedTools', 'Bash,Write', ...route.args];
  // Claude Code's own timeline of each session, to take a route's cost apart.
  if (DEBUG_DIR)
    args.push('--debug-file', path.join(DEBUG_DIR, `${path.basename(route.dir)}-${calls}-${Date.now()}.log`));
  // Traced: every program the session starts, its async hooks included (strace follows them past the CLI's exit).
  const [command, argv] = traced ? tracedCommand(traced, claude.entry, args) : [claude.entry, args];
  const monitorHome = route.env?.TASKHOOKS_HOME ?? taskhooksHome;
  const cpuBefore = childrenCpu() + monitorCpu(monitorHome);
  // performance.now(), the clock the stand-in stamps its requests with.
  const spawned = performance.now();
  try {
    const result = await new Promise((resolve) => {
      const child = execFile(
        command,
        argv,
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
      // `-p` with an open stdin pipe waits 3 s for piped input before it starts, as no person's session does.
      child.stdin.end();
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
      // The CLI, every hook and server it reaped, and the monitor's share: CPU time, which a shared machine's load
      // moves less than wall time.
      cpu: childrenCpu() + monitorCpu(monitorHome) - cpuBefore,
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

const loadBefore = loadAverage();
const times = new Map(routes.map((r) => [r.name, { calls: [], none: [], between: {}, toFirst: [], cpu: [] }]));
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
  if (!r.unchecked && told(r) === Boolean(r.silent))
    throw new Error(`${r.name}: the session was ${told(r) ? '' : 'not '}told the tasks (see ${taskhooksHome}/logs)`);
  // A stub plugin whose tools Claude Code never listed would measure a plugin that offers none.
  if (r.tools && r.tools.listings() === 0) throw new Error(`${r.name}: Claude Code never listed its task tools`);
}
await eachRound(routes, ROUNDS, async (r) => {
  const t = times.get(r.name);
  const timed = await session(r, CALLS);
  t.calls.push(timed.ms);
  for (const [tool, ms] of Object.entries(timed.between)) (t.between[tool] ??= []).push(...ms);
  const none = await session(r, 0);
  t.none.push(none.ms);
  t.cpu.push(none.cpu);
  t.toFirst.push(timed.toFirst, none.toFirst);
});

const base = times.get(routes[0].name);
console.log(
  `Claude Code ${claude.version}, node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore} before and ${loadAverage()} after; ${ROUNDS} rounds, medians (min–max)\n`,
);
sessionTable(routes, times, CALLS);

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
  `\nBetween the model's answer asking for a call and the request carrying its result (the tool, its hooks, the next request built), and from the CLI's start to its first request: medians (p25–p75) of every call, and every session, of the rounds; added per tool call is the route's medians less the session without taskhooks', over the tools in the mix the sessions make; added per session is the median of each session's time to its first request less that of the same round's session without taskhooks\n`,
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
    `| ${r.name} | ${cells.join(' | ')} | ${signed(perCall)} | ${first} | ${signed(stats(toFirst.map((ms, i) => ms - base.toFirst[i])).p50)} |`,
  );
}

// The goal is a stub SessionStart command + 50 ms a session: each route read against that route in the same round.
const stubStart = routes.find((r) => r.stub?.length === 1 && r.stub[0] === 'start');
if (stubStart) {
  const against = times.get(stubStart.name);
  const over = (v, w) => stats(v.map((ms, i) => ms - w[i])).p50;
  console.log(
    `\nAgainst the goal, ${stubStart.name} + 50 ms: each route less that route in the same round, medians of the rounds' differences (to the first request: every session; whole: the session with no tool call)\n`,
  );
  console.log('| route | to the first request | whole session | CPU a session | within +50 ms |');
  console.log('|---|---|---|---|---|');
  for (const r of routes.filter((r) => r !== routes[0] && r !== stubStart)) {
    const t = times.get(r.name);
    const [first, whole] = [over(t.toFirst, against.toFirst), over(t.none, against.none)];
    const within = [first <= 50 ? 'to the first request' : '', whole <= 50 ? 'whole' : ''].filter(Boolean);
    console.log(
      `| ${r.name} | ${signed(first)} | ${signed(whole)} | ${signed(over(t.cpu, against.cpu))} | ${within.join(', ') || 'no'} |`,
    );
  }
}

// Counted in one more session per route with no tool call, untimed: tracing slows every start it sees.
const traced = straceRuns();
console.log(
  `\nA session with no tool call: CPU time (user + system) of the CLI, every process it reaped and the route's monitor, medians (min–max) of the ${ROUNDS} rounds, and added per session the median of each round's difference to the session without taskhooks; the programs it started (execve, followed by strace; async hooks included) and the CPU time each took as its parent reaped it (clock ticks of 10 ms; not for a process that outlives the CLI), counted in one more session${traced ? '' : ' (strace not found: not counted)'}\n`,
);
console.log('| route | CPU a session | added per session | programs started |');
console.log('|---|---|---|---|');
const cpuMs = (v) => `${v.toFixed(0)} ms`;
for (const r of routes) {
  const { cpu } = times.get(r.name);
  const cell = `${cpuMs(stats(cpu).p50)} (${cpuMs(Math.min(...cpu))}–${cpuMs(stats(cpu).max)})`;
  const added = r === routes[0] ? '' : signed(stats(cpu.map((ms, i) => ms - base.cpu[i])).p50);
  let programs = '—';
  if (traced) {
    const file = path.join(tmp, `trace-${routes.indexOf(r)}`);
    await session(r, 0, file);
    programs = programsCell(programsStarted(file));
  }
  console.log(`| ${r.name} | ${cell} | ${added} | ${programs} |`);
}
