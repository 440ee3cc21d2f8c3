// Runs the hooks two ways: the built entry the way Claude Code does (a child process, JSON on stdin, stdout read as the
// answer), for what only a process shows, and the same entry's code in the test's process, for what a hook answers.
import { randomUUID } from 'node:crypto';
import type { HookName } from '../../src/hooks/events/events.js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { HookOutput } from '../../src/hooks/types.js';
import { PRE_TOOL_USE_DEADLINE_MAX_MS } from '../../src/config/schema.js';
import { openCache, type Cache } from '../../src/cache/cache.js';
import { writeSnapshot, type TaskSnapshot } from '../../src/cache/snapshots.js';
import { SOCKET_POST, socketFirstCommand } from '../../src/install/writing/settings.js';
import { logDir } from '../../src/log/logger.js';
import type { Task } from '../../src/tasks/task.js';
import { makeRepo, type TempRepo } from './git.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `hooks` deadlines a loaded machine cannot miss, for tests of what a hook shows after a live fetch rather than how fast
 * it gets it: with the defaults, a suite on two busy cores fails for being slow. Speed is `npm run bench`'s to measure.
 */
export const ROOMY_DEADLINES = { sessionStartDeadlineMs: 10_000, preToolUseDeadlineMs: PRE_TOOL_USE_DEADLINE_MAX_MS };

/**
 * `source.timeoutMs` for a server in the test's own process, the same way: two busy cores once kept a CLI write from its
 * answer past the default 5 s.
 */
export const ROOMY_SOURCE_TIMEOUT_MS = 30_000;

export interface HookRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The parsed answer; null for an empty stdout. Throws (failing the test) when stdout is anything else. */
  output: HookOutput | null;
  ms: number;
}

/** Exactly one JSON object or nothing: what the hook contract allows on stdout. */
export function parseHookStdout(stdout: string): HookOutput | null {
  if (stdout === '') return null;
  const value = JSON.parse(stdout) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`stdout is not one JSON object: ${stdout.slice(0, 200)}`);
  return value as HookOutput;
}

export function hookEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TASKHOOKS_HOME: home, TASKHOOKS_NO_AUTOSTART: '1', ...extra };
  // The developer's own settings must not leak into a test.
  for (const k of [
    'MCP_SERVER_URL',
    'TASK_TRACKING_URL',
    'TASKHOOKS_PROJECT',
    'TASK_CACHE_TTL',
    'GIT_CACHE_TTL',
    'TASKHOOKS_LOG_LEVEL',
    'CLAUDE_PROJECT_DIR',
    // Set when the tests themselves run inside a Claude Code session: hooks would take that session's process as theirs.
    'CLAUDE_PID',
    'CLAUDE_CODE_SESSION_ID',
  ]) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}

export function runHook(
  name: HookName,
  input: unknown,
  opts: {
    home: string;
    env?: Record<string, string>;
    cwd?: string;
    timeoutMs?: number;
    args?: string[];
    /** Descriptors of this process the hook gets from its fd 3 on, as a socket client hands it one. */
    fds?: number[];
  },
): Promise<HookRun> {
  const script = path.join(ROOT, 'dist/hooks', `${name}.js`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...(opts.args ?? [])], {
      env: hookEnv(opts.home, opts.env),
      cwd: opts.cwd ?? os.tmpdir(),
      stdio: ['pipe', 'pipe', 'pipe', ...(opts.fds ?? [])],
    }) as ChildProcessWithoutNullStreams;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // A hook that exits without reading all of a huge stdin closes the pipe: that is its right.
    child.stdin.on('error', () => undefined);
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) console.error(`${name} exited ${code ?? signal}: ${stderr}`);
      try {
        resolve({ code, signal, stdout, stderr, output: parseHookStdout(stdout), ms: Date.now() - started });
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.end(typeof input === 'string' ? input : JSON.stringify(input));
  });
}

/** What `runHook` takes beside the event and its input. */
export type HookRunOptions = Parameters<typeof runHook>[2];

/** The in-process runs of this file, one at a time: each holds process.env for its whole run. */
let hereQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs the hook entry's code in this process: the entry's gates, then the command host's run, with the environment,
 * directory, arguments and parent a child process would get. For what a hook answers; what only a process shows (exit
 * codes, the watchdog, signals, stdin's bytes, locks between processes, cold start) stays with `runHook`. The code reads
 * some of its environment from process.env (git's children inherit it too), so a run swaps it in and runs alone.
 */
export function runHookHere(name: HookName, input: unknown, opts: HookRunOptions): Promise<HookRun> {
  const run = hereQueue.then(() => hookHere(name, input, opts));
  hereQueue = run.catch(() => undefined);
  return run;
}

async function hookHere(name: HookName, input: unknown, opts: HookRunOptions): Promise<HookRun> {
  // Loaded at the first run, not with this file: most files that import it run no hook in their process.
  const [{ HOOKS_BY_NAME }, { passesGates }, { answerCommandHook }, { hookStdinOf }] = await Promise.all([
    import('../../src/hooks/events/events.js'),
    import('../../src/hooks/hosts/gates.js'),
    import('../../src/hooks/hosts/run-here.js'),
    import('../../src/hooks/hosts/stdin.js'),
  ]);
  const started = Date.now();
  const env = hookEnv(opts.home, opts.env);
  const saved = process.env;
  process.env = env;
  try {
    const hook = HOOKS_BY_NAME[name];
    const stdin = hookStdinOf(typeof input === 'string' ? input : JSON.stringify(input), opts.args);
    // The parent a hook's child process would have: the test's process.
    const entry = { env, cwd: () => opts.cwd ?? os.tmpdir(), ppid: process.pid, startedAt: started };
    const output = passesGates(hook, stdin.value, env) ? await answerCommandHook(hook, stdin, entry) : null;
    const stdout = output ? JSON.stringify(output) : '';
    return { code: 0, signal: null, stdout, stderr: '', output: parseHookStdout(stdout), ms: Date.now() - started };
  } finally {
    process.env = saved;
  }
}

/** SessionStart's command as install writes it for `home`: the socket client first, else the built node hook. */
export function installedSessionStart(home: string): string {
  return socketFirstCommand({
    node: JSON.stringify(process.execPath),
    script: JSON.stringify(path.join(ROOT, 'dist/hooks/session-start.js')),
    post: JSON.stringify(path.join(ROOT, SOCKET_POST)),
    name: 'session-start',
    socket: JSON.stringify(path.join(home, 'monitor.sock')),
    askMonitor: true,
  });
}

/** The hooks log of `home`: what a hook that answered short of a test's expectation said about why. */
export function hooksLog(home: string): string {
  const file = path.join(logDir(home), 'hooks.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '(no hooks log)';
}

/**
 * Runs a hook again, up to `attempts` times in all, while its answer falls short of `good` and it took its whole
 * `deadlineMs`: past that capped deadline a hook answers from the cache, as it should, and a stalled machine is not what
 * such a test is about. An answer that falls short in time is returned at once, for the test to fail on.
 *
 * Before a run again the event leases of `home` lapse, as a minute lets them: the same session's SessionStart (its key
 * is the session and the source) would otherwise be taken for a second registration of the first and answer nothing.
 */
export async function hookUntil(
  run: () => Promise<HookRun>,
  good: (r: HookRun) => boolean,
  opts: { home: string; deadlineMs: number; attempts?: number },
): Promise<HookRun> {
  // A hook gives up a little before its deadline, to print and exit within it (live-fetch.ts keeps 40 ms).
  const usedItAll = opts.deadlineMs - 100;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1)
      withHomeCache(opts.home, (cache) => cache.db.prepare('UPDATE event_leases SET expires_at = 0').run());
    const r = await run();
    if (good(r) || r.ms < usedItAll || attempt >= (opts.attempts ?? 3)) return r;
  }
}

/**
 * A SessionStart that must tell `text`, fetched live: run again only while starved for its whole roomy deadline. `runner`
 * is `runHook` or `runHookHere`.
 */
export function startTelling(
  text: string,
  input: unknown,
  opts: { home: string; env?: Record<string, string>; cwd?: string },
  runner: typeof runHook = runHook,
): Promise<HookRun> {
  return hookUntil(
    () => runner('session-start', input, opts),
    (r) => (r.output?.hookSpecificOutput.additionalContext ?? '').includes(text),
    { home: opts.home, deadlineMs: ROOMY_DEADLINES.sessionStartDeadlineMs },
  );
}

/** The fields Claude Code sends every hook. */
function commonInput(cwd: string, sessionId: string): Record<string, unknown> {
  return { session_id: sessionId, transcript_path: path.join(os.tmpdir(), `${sessionId}.jsonl`), cwd };
}

export function sessionStartInput(cwd: string, sessionId = 'session-1'): Record<string, unknown> {
  return {
    ...commonInput(cwd, sessionId),
    hook_event_name: 'SessionStart',
    source: 'startup',
    prompt_id: 'p-1',
    effort: { level: 'medium' },
  };
}

export function preToolUseInput(
  cwd: string,
  tool: string,
  toolInput: Record<string, unknown>,
  sessionId = 'session-1',
): Record<string, unknown> {
  return {
    ...commonInput(cwd, sessionId),
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: toolInput,
    // Each call is a new tool call, as in Claude Code: the same id twice is one event told once.
    tool_use_id: `toolu_${randomUUID()}`,
  };
}

/** PostToolUse as Claude Code sends it: the PreToolUse fields plus what the tool answered. */
export function postToolUseInput(
  cwd: string,
  tool: string,
  toolInput: Record<string, unknown>,
  toolResponse: unknown,
  sessionId = 'session-1',
): Record<string, unknown> {
  return {
    ...preToolUseInput(cwd, tool, toolInput, sessionId),
    hook_event_name: 'PostToolUse',
    tool_response: toolResponse,
  };
}

/** A temp TASKHOOKS_HOME with an optional config.json; `cleanup` removes it. */
/** Every file under `dir`, recursively: what a test reads as bytes to show a secret reached none of them. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

export function tempHome(config?: unknown): { home: string; cleanup(): void } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'th-hooks-home-'));
  if (config !== undefined) writeConfig(home, config);
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** A temp git repository named `demo` (or `name`) and a temp TASKHOOKS_HOME (with `config`); `cleanup` removes both. */
export function demoProject(opts: { config?: unknown; name?: string; branch?: string; commits?: string[] } = {}): {
  repo: TempRepo;
  home: string;
  cleanup(): void;
} {
  const repo = makeRepo({
    name: opts.name ?? 'demo',
    ...(opts.branch ? { branch: opts.branch } : {}),
    ...(opts.commits ? { commits: opts.commits } : {}),
  });
  const { home, cleanup } = tempHome(opts.config);
  return {
    repo,
    home,
    cleanup: () => {
      repo.cleanup();
      cleanup();
    },
  };
}

export function writeConfig(home: string, config: unknown): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'config.json'), JSON.stringify(config));
}

export function task(id: string, over: Partial<Task> = {}): Task {
  return {
    id,
    title: `Task ${id}`,
    description: `Description of ${id}`,
    status: 'todo',
    priority: 'medium',
    assignees: [],
    labels: [],
    dependencies: [],
    ...over,
  };
}

/** Opens the home's cache, runs `fn`, closes it: tests seed and inspect exactly what the hooks read. */
export function withHomeCache<T>(home: string, fn: (cache: Cache) => T): T {
  const cache = openCache({ home });
  try {
    return fn(cache);
  } finally {
    cache.close();
  }
}

export function seedSnapshot(
  home: string,
  snap: Partial<TaskSnapshot> & Pick<TaskSnapshot, 'sourceKey' | 'project' | 'branch'>,
): void {
  withHomeCache(home, (cache) =>
    cache.write(() =>
      writeSnapshot(cache, { fetchedAt: Date.now(), source: snap.sourceKey, tasks: [], next: null, ...snap }),
    ),
  );
}

/** Listens on a random loopback port; returns the MCP URL a config would name for it. */
async function listenLocal(server: net.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}/mcp`;
}

/** An HTTP server that answers 503 to everything and counts every connection: proof of "no network call". */
export async function countingServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  let connections = 0;
  const server = http.createServer((_req, res) => res.writeHead(503).end());
  server.on('connection', () => connections++);
  const url = await listenLocal(server);
  return { url, connections: () => connections, close: () => new Promise((r) => server.close(() => r())) };
}

/** A TCP listener that accepts connections and never answers: the server that hangs. */
export async function blackHole(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  const url = await listenLocal(server);
  return {
    url,
    connections: () => connections,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback URL nothing listens on (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  const url = await listenLocal(server);
  await new Promise<void>((r) => server.close(() => r()));
  return url;
}

/** `server` listening where `home`'s monitor would, on its Unix socket; what closes it, its connections first. */
export async function onMonitorSocket(server: http.Server, home: string): Promise<() => Promise<void>> {
  await new Promise<void>((resolve) => server.listen(path.join(home, 'monitor.sock'), resolve));
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** An injection's marker, where every hook puts it: at the end of the context's first line. */
export const MARKER = / \[taskhooks#[a-z0-9]{6}\](?=\n|$)/;

/** The context without its marker; throws when it carries none, so a test of the words checks the marker too. */
export function unmarked(text: string): string {
  if (!MARKER.test(text)) throw new Error(`no [taskhooks#…] marker at the end of the first line of: ${text}`);
  return text.replace(MARKER, '');
}
