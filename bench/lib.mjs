// Shared benchmark helpers. Every figure is a ratio against bare `node -e 0` measured in the same run,
// with target and baseline runs interleaved so machine noise hits both alike.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const node = process.execPath;

/**
 * The project's SQLite wrapper (src/sqlite, bundled to dist/bench/sqlite.js by the build, which `npm run bench` runs
 * first): node:sqlite on the supported Node, the clone's better-sqlite3 on an older one, as taskhooks opens its files.
 */
export const SQLITE_BUNDLE = path.join(root, 'dist/bench/sqlite.js');
export const benchSqlite = () => import(pathToFileURL(SQLITE_BUNDLE).href);

/** The kernel's clock ticks a second, the unit of /proc's CPU times. */
export const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU ms (user and system) of this process's reaped children, in clock ticks (10 ms): a mean over runs resolves it. */
export function childrenCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // cutime and cstime, the 16th and 17th fields of proc(5), counted here from the 3rd.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
}

/** One run of `cmd`: its wall ms, its CPU ms (user and system, read once it is reaped) and its stdout. */
export function runOnce(cmd, args, { input = '', env = process.env, cwd = root } = {}) {
  const cpuBefore = childrenCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input, env, cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, cpu: childrenCpu() - cpuBefore, stdout: r.stdout };
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))];
  // The largest from the sorted copy: spreading 300,000 samples into Math.max overflows the stack.
  return {
    n: s.length,
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p95: q(0.95),
    p99: q(0.99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/**
 * Times `target` (a {cmd, args, input, env, cwd} spec) against bare node, interleaved, and returns both medians and
 * the ratio of medians. `target.before`, when given, runs untimed before each target run (to set up its state again).
 */
export function compareToBareNode(target, { runs = 30, warmup = 3 } = {}) {
  const bare = { cmd: node, args: ['-e', '0'] };
  for (let i = 0; i < warmup; i++) {
    runOnce(bare.cmd, bare.args);
    target.before?.();
    runOnce(target.cmd, target.args, target);
  }
  const a = [];
  const b = [];
  const cpuA = [];
  const cpuB = [];
  for (let i = 0; i < runs; i++) {
    const bareRun = runOnce(bare.cmd, bare.args);
    a.push(bareRun.ms);
    cpuA.push(bareRun.cpu);
    target.before?.();
    const run = runOnce(target.cmd, target.args, target);
    b.push(run.ms);
    cpuB.push(run.cpu);
  }
  const baseline = stats(a);
  const measured = stats(b);
  const cpu = { baseline: stats(cpuA).mean, measured: stats(cpuB).mean };
  return {
    baseline,
    measured,
    ratio: measured.p50 / baseline.p50,
    cpu: { ...cpu, ratio: cpu.measured / cpu.baseline },
  };
}

/** Tasks `from` to `from + count - 1` of project `bench`, as the server benches seed it: priorities and states mixed. */
export function benchTasks(from, count, more = {}) {
  return Array.from({ length: count }, (_, k) => ({
    project_id: 'bench',
    title: `Task ${from + k}`,
    description: `Benchmark task number ${from + k} with a description of ordinary length.`,
    priority: ['low', 'medium', 'high', 'urgent', 'critical'][(from + k) % 5],
    status: ['pending', 'in_progress', 'blocked'][(from + k) % 3],
    ...more,
  }));
}

export function fmt(ms) {
  return `${ms.toFixed(1)} ms`;
}

export function report(label, result, goal) {
  const g = goal ? `  (goal ≤ ${goal}×)` : '';
  // CPU time (user and system, a mean) beside the wall median: a shared machine's load stretches the wall time more.
  const cpu = result.cpu
    ? `; CPU ${result.cpu.ratio.toFixed(2)}× [${fmt(result.cpu.measured)} vs ${fmt(result.cpu.baseline)}]`
    : '';
  console.log(
    `${label.padEnd(48)} ${result.ratio.toFixed(2)}×  [${fmt(result.measured.p50)} vs bare node ${fmt(result.baseline.p50)}, p95 ${fmt(result.measured.p95)}]${cpu}${g}`,
  );
}

/** The MCP URL a `taskhooks serve` child prints once it listens. */
export function serveUrl(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
      if (m && out.includes('Ctrl-C stops')) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

/** The environment for the commits a bench makes in its own repositories. */
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
};

/**
 * A git repository at `dir` (its parents made too) holding one empty commit on `main`; returns `dir`. The commit names
 * `dir`: empty commits made in one second are otherwise one commit, and taskhooks knows a repository without an origin
 * by its first commit, so a bench's repositories would all be one project, as clones of one repository are.
 */
export function makeRepo(dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', `initial commit of ${dir}`], { cwd: dir, env: gitEnv });
  return dir;
}

/** A PreToolUse of an Edit in `repo`, as Claude Code posts it: the input the hook benches send. */
export function editInput(repo) {
  return JSON.stringify({
    session_id: 'bench',
    cwd: repo,
    hook_event_name: 'PreToolUse',
    tool_name: 'Edit',
    tool_input: { file_path: path.join(repo, 'a.ts'), old_string: 'a', new_string: 'b' },
  });
}

/**
 * A peer of test/peers.json as the test run's global setup installed it in .peers/ (test/helpers/peers.ts): its version
 * and entry. A bench cannot run without it, so it ends here with the one line that says how to get it.
 */
export function peerOrExit(pkg) {
  const line = JSON.parse(readFileSync(path.join(root, 'test/peers.json'), 'utf8')).peers[pkg];
  if (!line) {
    console.error(`${pkg} is not a peer of test/peers.json: add its line there, and a test run installs it`);
    process.exit(1);
  }
  const dir = path.join(root, '.peers', `${pkg.replace('/', '+')}@${line.version}`);
  const entry = path.join(dir, 'node_modules', pkg, line.entry);
  let marker;
  try {
    marker = JSON.parse(readFileSync(path.join(dir, '.peer.json'), 'utf8'));
  } catch {
    marker = undefined;
  }
  if (marker?.version !== line.version || !existsSync(entry)) {
    console.error(
      `${pkg}@${line.version} is not installed in ${path.dirname(dir)}: run one test file once (\`npx vitest run test/config\`, say): the test run's global setup installs every peer`,
    );
    process.exit(1);
  }
  return { version: line.version, entry };
}

/** Variables of the developer's own taskhooks or agents (their keys, endpoints, sessions) that a bench's user lacks. */
const OWN_VARIABLES = /^(CLAUDE|ANTHROPIC|OPENAI|GEMINI|GOOGLE|QWEN|COPILOT|GH_|GITHUB|CODEX|OPENCODE|TASKHOOKS)/;

/** A new user's environment with HOME and TMPDIR in a bench's temp folder: nothing of the developer's leaks in. */
export function freshEnv(more) {
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (OWN_VARIABLES.test(k) || ['MCP_SERVER_URL', 'TASK_TRACKING_URL', 'CLAUDE_PID'].includes(k)) delete env[k];
  return {
    ...env,
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.invalid',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.invalid',
    ...more,
  };
}

/** The built CLI run with `env` (and `more` over it) in `cwd`: its stdout. */
export function taskhooksIn(env, cli = path.join(root, 'dist/cli.js')) {
  return (args, cwd, more = {}) =>
    execFileSync(node, [cli, ...args], { cwd, env: { ...env, ...more }, encoding: 'utf8', timeout: 60_000 });
}

/**
 * The plugin/ folder committed at `ref` (a release's build) extracted into `dir`, its dist/cli.js returned. It finds
 * this checkout's node_modules as plugin/ does, for better-sqlite3 on a Node without node:sqlite.
 */
export function committedBuild(ref, dir) {
  extractAt(ref, dir, 'plugin');
  return path.join(dir, 'plugin', 'dist', 'cli.js');
}

/** The files of `ref` (those under `paths`, else all) extracted into `dir`, beside a link to this node_modules. */
function extractAt(ref, dir, ...paths) {
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', ref, ...paths], { cwd: root, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
}

/**
 * The build of `ref` in `dir`, its cli.js returned: its committed plugin/ where it has one, else its sources extracted
 * and built there by its own scripts/build.mjs (older commits built dist/ so) with this checkout's node_modules.
 */
export function buildAt(ref, dir) {
  const has = spawnSync('git', ['cat-file', '-e', `${ref}:plugin/dist/cli.js`], { cwd: root });
  if (has.status === 0) return committedBuild(ref, dir);
  extractAt(ref, dir);
  execFileSync(node, [path.join(dir, 'scripts', 'build.mjs')], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 180_000,
  });
  return path.join(dir, 'dist', 'cli.js');
}

/** The newest release tag, else HEAD: plugin/ as last committed, the build before this checkout's own. */
export function previousRelease() {
  const tag = spawnSync('git', ['describe', '--tags', '--abbrev=0'], { cwd: root, encoding: 'utf8' });
  return tag.status === 0 ? tag.stdout.trim() : 'HEAD';
}

/**
 * A git repository at `dir` with one commit that names it. A project is known by its first commit, and two made alike
 * in the same second would have the same one: they would be one project with the tasks of both.
 */
export function gitProject(dir, env) {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
  writeFileSync(path.join(dir, 'README.md'), `# ${path.basename(dir)}\n`);
  execFileSync('git', ['add', '.'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', 'initial commit'], { cwd: dir, env });
  return dir;
}

/** A git project at `dir` with one commit and two tasks in the store of `taskhooks`'s state directory. */
export function shopProject(dir, env, taskhooks, more = {}) {
  gitProject(dir, env);
  for (const title of ['Fix the checkout total', 'Add coupon codes']) taskhooks(['tasks', 'add', title], dir, more);
  return dir;
}

/**
 * A server answering every request `{}` once its whole body arrived, as a hook's answer with nothing in it: on a
 * loopback port, and on the Unix socket `socket` too when given (where a state directory's monitor listens).
 */
export async function emptyAnswers(socket) {
  const answer = (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  };
  const servers = [createServer(answer), ...(socket ? [createServer(answer)] : [])];
  await Promise.all(
    servers.map((s, i) => new Promise((ok) => (i === 0 ? s.listen(0, '127.0.0.1', ok) : s.listen(socket, ok)))),
  );
  for (const s of servers) s.unref();
  return { port: servers[0].address().port, close: () => servers.forEach((s) => s.close()) };
}

/**
 * What mcpStub answers `method` with, `params` as the client sent them, listing `tools`: the result, or undefined for a
 * method it refuses.
 */
export function stubResult(method, params, tools) {
  const fixed = { resultType: 'complete', ttlMs: 0, cacheScope: 'private' };
  if (method === 'server/discover') return { ...fixed, supportedVersions: ['2026-07-28'], capabilities: { tools: {} } };
  if (method === 'tools/list') return { ...fixed, tools };
  if (method === 'initialize')
    return {
      protocolVersion: params?.protocolVersion,
      capabilities: { tools: {} },
      serverInfo: { name: 'stub', version: '0.0.0' },
    };
  return undefined;
}

/**
 * An MCP server answering as little as a client needs before its first model request, at once: `server/discover` of
 * the stateless revision (tools only), the earlier revisions' `initialize` in the version asked, and a tools/list of
 * `tools`, fixed; any other request an error. What a client spends connecting to one http server, whoever answers;
 * `listings` says how many tools/list it answered.
 */
export async function mcpStub(tools) {
  let listings = 0;
  const server = createServer((req, res) => {
    // No stream to offer: the answer the MCP spec asks for to a GET (or a DELETE), which a client takes as such. Any
    // other status fails the client's stream, and Gemini CLI then drops the server's tools.
    if (req.method !== 'POST') return res.writeHead(405, { allow: 'POST' }).end();
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let message;
      try {
        message = JSON.parse(body);
      } catch {
        message = undefined;
      }
      if (message?.id === undefined) return res.writeHead(message ? 202 : 400).end();
      if (message.method === 'tools/list') listings++;
      const result = stubResult(message.method, message.params, tools);
      const reply = result
        ? { jsonrpc: '2.0', id: message.id, result }
        : { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `no ${message.method} here` } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  server.unref();
  return {
    url: `http://127.0.0.1:${server.address().port}/mcp`,
    /** How many tools/list it answered: whether a client took the tools. */
    listings: () => listings,
    close: () => server.close(),
  };
}

/**
 * A stub route's settings in `dir`, of the `parts` asked for: the http hooks `taskhooks install` writes, each posting
 * to the server on `hooksPort` instead of the monitor (`prompt`: UserPromptSubmit's; `calls`: the others), a
 * SessionStart command that reads its input and says nothing (`start`), and a local-scope task tools entry whose
 * server lists the monitor's tools at once (`tools`; the monitor must be up to list them): Claude Code's own cost of
 * each part, with nothing of taskhooks' answering. Returns the tools' server, for the caller to close.
 */
export async function stubInstall({ dir, parts, tmp, env, home, taskhooks, hooksPort }) {
  const scratch = mkdtempSync(path.join(tmp, 'stub-install-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: scratch, env });
  taskhooks(['install'], scratch);
  const installed = JSON.parse(readFileSync(path.join(scratch, '.claude', 'settings.local.json'), 'utf8')).hooks;
  const hooks = {};
  for (const [event, groups] of Object.entries(installed)) {
    if (!parts.includes(event === 'UserPromptSubmit' ? 'prompt' : 'calls')) continue;
    const posting = groups
      .map((g) => ({ ...g, hooks: g.hooks.filter((h) => h.type === 'http') }))
      .filter((g) => g.hooks.length > 0)
      .map((g) => ({
        ...g,
        hooks: g.hooks.map((h) => ({ ...h, url: h.url.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${hooksPort}`) })),
      }));
    if (posting.length > 0) hooks[event] = posting;
  }
  if (Object.keys(hooks).length === 0 && (parts.includes('prompt') || parts.includes('calls')))
    throw new Error('`taskhooks install` wrote no http hook for the stub route to copy');
  if (parts.includes('start'))
    hooks.SessionStart = [
      { matcher: installed.SessionStart[0].matcher, hooks: [{ type: 'command', command: 'cat >/dev/null' }] },
    ];
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  writeFileSync(path.join(dir, '.claude', 'settings.local.json'), JSON.stringify({ hooks }, null, 2));
  const claudeJson = path.join(home, '.claude.json');
  const config = JSON.parse(readFileSync(claudeJson, 'utf8'));
  const ours = config.projects[scratch].mcpServers.taskhooks;
  delete config.projects[scratch];
  let tools;
  if (parts.includes('tools')) {
    tools = await monitorToolsStub(env.TASKHOOKS_HOME);
    config.projects[dir].mcpServers = {
      taskhooks: { ...ours, url: tools.url, headers: { Authorization: 'Bearer stub' } },
    };
  }
  writeFileSync(claudeJson, JSON.stringify(config, null, 2));
  return tools;
}

/**
 * One JSON-RPC message posted to the MCP server at `url` as a client of the stateless revision posts it, with
 * `headers` (its Authorization among them): the response.
 */
export function postMcp(url, headers, message) {
  return fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'Mcp-Protocol-Version': '2026-07-28',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...message }),
  });
}

/** The tools a store server at `url` lists to `token`, as the stateless revision asks for them. */
async function listedTools(url, token) {
  const res = await postMcp(url, { Authorization: `Bearer ${token}` }, { method: 'tools/list', params: {} });
  const tools = (await res.json()).result?.tools;
  if (!Array.isArray(tools) || tools.length === 0) throw new Error(`${url} listed no tools (HTTP ${res.status})`);
  return tools;
}

/** The tools the store server of state directory `home`'s running monitor lists. */
export function monitorTools(home) {
  const { storeServerUrl } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
  const token = readFileSync(path.join(home, 'store-token'), 'utf8').trim();
  return listedTools(storeServerUrl, token);
}

/** mcpStub listing the tools the store server of state directory `home`'s running monitor lists. */
export const monitorToolsStub = async (home) => mcpStub(await monitorTools(home));

/**
 * `rounds` rounds of `run(route)` over every route, in an order that rotates each round so machine noise hits them
 * alike.
 */
export async function eachRound(routes, rounds, run) {
  for (let round = 0; round < rounds; round++)
    for (let i = 0; i < routes.length; i++) await run(routes[(round + i) % routes.length]);
}

/** The machine's load averages, for the line above a table. */
export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/**
 * The table of whole sessions: per route, the medians (min–max) of its sessions of `calls` tool calls and of none,
 * the ratio to the first route's (the session without taskhooks), and what one tool call and a session with none add,
 * each the median of the rounds' own differences to the first route's (a round's sessions ran back to back, sharing
 * the machine's load). `times` maps a route's name to its samples, `{ calls: ms[], none: ms[] }`, in round order.
 */
export function sessionTable(routes, times, calls) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const range = (samples) => `${s(stats(samples).p50)} (${s(Math.min(...samples))}–${s(stats(samples).max)})`;
  const perRound = (values, digits) => {
    const ms = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
    return `${ms(stats(values).p50)} ms (${ms(Math.min(...values))} to ${ms(stats(values).max)})`;
  };
  const base = times.get(routes[0].name);
  console.log(`| route | ${calls} tool calls | ratio | added per tool call | no tool call | added per session |`);
  console.log('|---|---|---|---|---|---|');
  console.log(`| ${routes[0].name} | ${range(base.calls)} |  |  | ${range(base.none)} |  |`);
  for (const r of routes.slice(1)) {
    const t = times.get(r.name);
    // A round's tool call: the extra time of its calls beyond the extra its session with none already pays.
    const perCall = t.calls.map((c, i) => (c - base.calls[i] - (t.none[i] - base.none[i])) / calls);
    const perSession = t.none.map((n, i) => n - base.none[i]);
    const ratio = stats(t.calls).p50 / stats(base.calls).p50;
    console.log(
      `| ${r.name} | ${range(t.calls)} | **${ratio.toFixed(2)}×** | ${perRound(perCall, 1)} | ${range(t.none)} | ${perRound(perSession, 0)} |`,
    );
  }
}

/**
 * The test helpers `files` (TypeScript, under test/helpers) bundled beside this package and imported: their modules by
 * file name, and what removes the bundle. Only the helpers asked for load, so a peer one of them names need not be
 * installed for the others.
 */
export async function importHelpers(files) {
  const { build } = await import('esbuild');
  mkdirSync(path.join(root, '.taskhooks-test'), { recursive: true });
  const dir = mkdtempSync(path.join(root, '.taskhooks-test', 'bench-helpers-'));
  const remove = () => {
    rmSync(dir, { recursive: true, force: true });
    // The folder goes too when this run made it and nothing else is in it.
    if (readdirSync(path.dirname(dir)).length === 0) rmSync(path.dirname(dir), { recursive: true, force: true });
  };
  try {
    await build({
      entryPoints: files.map((f) => path.join(root, 'test/helpers', `${f}.ts`)),
      bundle: true,
      splitting: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      outdir: dir,
      // The helpers find the checkout (and .peers/) from their own folder, which the bundle is not in.
      define: { 'import.meta.dirname': JSON.stringify(path.join(root, 'test/helpers')) },
      logLevel: 'warning',
    });
    const modules = {};
    for (const f of files) modules[f] = await import(pathToFileURL(path.join(dir, `${f}.js`)).href);
    return { modules, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * A process's resident memory in MB, from /proc (Linux): VmRSS, the figure `ps` and `top` show; its private part
 * (RssAnon: heap, stacks, malloc); the file-backed part (RssFile: mostly node's own binary, shared with every other node
 * process); PSS, the resident size with each shared page split among the processes mapping it; the high-water mark.
 */
export function residentMB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (text, key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) / 1024;
  return {
    rss: kb(status, 'VmRSS'),
    anon: kb(status, 'RssAnon'),
    file: kb(status, 'RssFile'),
    pss: kb(rollup, 'Pss'),
    hwm: kb(status, 'VmHWM'),
  };
}

/**
 * An idle `node -e` with the node binary and V8 flags of the running process `pid`: what any node process of that
 * build holds, to read a long-lived process's figures beside; `modules` (builtins such as 'node:http') loaded first,
 * as a server needs them. Stop it with kill().
 */
export function bareNodeBeside(pid, modules = []) {
  const [binary, ...args] = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const flags = args.slice(
    0,
    args.findIndex((a) => !a.startsWith('-')),
  );
  const loads = modules.map((m) => `process.getBuiltinModule(${JSON.stringify(m)});`).join('');
  return spawn(binary, [...flags, '-e', `${loads}setInterval(() => {}, 1 << 30)`], { stdio: 'ignore' });
}

/** residentMB's figures as a line, and their difference from `bare`'s when given. */
export function residentLine(m, bare) {
  const mb = (key) => `${m[key].toFixed(1)}${bare ? ` (+${(m[key] - bare[key]).toFixed(1)})` : ''}`;
  return `VmRSS ${mb('rss')}, private ${mb('anon')}, file-backed ${mb('file')}, PSS ${mb('pss')} MB`;
}

/** CPU ms (user and system) of the running process `pid`, from /proc; 0 once it is gone. */
export function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // utime and stime, the 14th and 15th fields of proc(5), counted from the 3rd: past the name, which may hold ') '.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU ms of the monitor of `home`, which answers its hooks in a process no session reaps; 0 where none runs. */
export function monitorCpu(home) {
  try {
    return processCpu(JSON.parse(readFileSync(path.join(home, 'monitor.pid'), 'utf8')).pid);
  } catch {
    return 0;
  }
}

/**
 * A crash and a reboot: the monitor of the state directory `home` killed where it stands (its lock and socket left
 * behind), then an empty cache (`taskhooks`: taskhooksIn's runner).
 */
export async function crashMonitor(home, taskhooks) {
  const pidFile = path.join(home, 'monitor.pid');
  if (existsSync(pidFile)) {
    const { pid } = JSON.parse(readFileSync(pidFile, 'utf8'));
    try {
      process.kill(pid, 'SIGKILL');
      while (existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')) {
        await new Promise((ok) => setTimeout(ok, 20));
      }
    } catch {
      // Gone already.
    }
  }
  taskhooks(['cache', 'clear'], root);
}

/** Whether strace runs here (a container may forbid ptrace). */
export function straceRuns() {
  return spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true']).status === 0;
}

/**
 * `command args` as strace runs it, writing to `trace` every program it and its children start and every child's
 * CPU as its parent reaps it. strace follows async hooks past the command's exit; `detached`, it runs beside the
 * command (-D), so a daemon the command starts does not hold its end, and the trace goes on being written after it.
 */
export function tracedCommand(trace, command, args, { detached = false } = {}) {
  const follow = ['-f', '-qq', '--seccomp-bpf', '-e', 'trace=execve', '-e', 'signal=SIGCHLD', '-o', trace];
  return ['strace', [...(detached ? ['-D'] : []), ...follow, command, ...args]];
}

/**
 * The programs traced commands started beside each command itself, by name, with the CPU time each spent (user +
 * system, from the SIGCHLD its parent got; none for a process outliving its parent, such as an async hook reaped by
 * init): `{ node: { count: 2, ms: 120 } }`. `traces`: tracedCommand's files, summed.
 */
export function programsStarted(...traces) {
  const byName = {};
  for (const trace of traces) {
    const program = new Map();
    let first = true;
    for (const line of readFileSync(trace, 'utf8').split('\n')) {
      // strace pads a pid below 10000 to five columns.
      const exec = /^(\d+)\s+execve\("([^"]+)".* = 0$/.exec(line);
      if (exec) {
        program.set(exec[1], path.basename(exec[2]));
        if (!first) (byName[path.basename(exec[2])] ??= { count: 0, ms: 0 }).count++;
        first = false;
        continue;
      }
      const reaped = /si_pid=(\d+),.*si_utime=(\d+).*si_stime=(\d+)/.exec(line);
      const name = reaped && program.get(reaped[1]);
      if (name && byName[name]) byName[name].ms += ((Number(reaped[2]) + Number(reaped[3])) * 1000) / CLOCK_TICKS;
    }
  }
  return byName;
}

/** programsStarted's answer as a table cell: `3 (node ×1, 70 ms; sh ×2, 0 ms)`. */
export function programsCell(byName) {
  const total = Object.values(byName).reduce((a, b) => a + b.count, 0);
  const each = Object.entries(byName).map(([n, b]) => `${n} ×${b.count}, ${b.ms.toFixed(0)} ms`);
  return `${total}${total ? ` (${each.join('; ')})` : ''}`;
}
