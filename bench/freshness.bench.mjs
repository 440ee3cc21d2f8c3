// Freshness by change. (1) Change → visible: from `taskhooks tasks start` returning to the first PreToolUse that
// names the task, with and without a monitor (goal: the next hook call, under 1 s after the write). (2) The cold-start
// herd: 8 and 16 SessionStarts started at once on an empty cache against `taskhooks serve`, with a monitor running
// (the usual case: the hooks ask it) and without one (one hook fetches under a lease); how many carry the tasks.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, makeRepo, node, root, serveUrl, stats } from './lib.mjs';

const CHANGES = 15;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-fresh-'));
const cli = path.join(root, 'dist/cli.js');
const preToolUse = path.join(root, 'dist/hooks/pre-tool-use.js');
const sessionStart = path.join(root, 'dist/hooks/session-start.js');
const children = [];
const killer = setTimeout(() => {
  console.error('freshness bench: overall time limit reached');
  cleanup();
  process.exit(1);
}, 300_000);
function cleanup() {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
}

function repo(name) {
  return makeRepo(path.join(tmp, name));
}

function home(name, config = {}) {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ monitor: { hookPort: 0 }, ...config }));
  const env = { ...process.env, TASKHOOKS_HOME: dir, TASKHOOKS_NO_AUTOSTART: '1' };
  delete env.MCP_SERVER_URL;
  return { dir, env };
}

const run = (args, opts) => {
  const r = spawnSync(node, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};

/** Milliseconds from the write returning to the end of the first PreToolUse whose reminder names `id`. */
function changeToVisible(h, dir, id, session) {
  const input = JSON.stringify({
    session_id: session,
    cwd: dir,
    hook_event_name: 'PreToolUse',
    tool_name: 'Edit',
    tool_input: { file_path: path.join(dir, 'a.ts') },
  });
  run([cli, 'tasks', 'start', id], { cwd: dir, env: h.env });
  const wrote = performance.now();
  for (let calls = 1; calls <= 50; calls++) {
    const out = run([preToolUse], { input, env: h.env, cwd: dir });
    if (out.includes(`${id} `)) return { ms: performance.now() - wrote, calls };
  }
  throw new Error(`no PreToolUse named ${id} within 50 calls`);
}

function changeLatency(label, h, dir) {
  const samples = [];
  const calls = [];
  run([cli, 'tasks', 'add', 'Task 0'], { cwd: dir, env: h.env });
  for (let i = 1; i <= CHANGES; i++) {
    run([cli, 'tasks', 'add', `Task ${i}`], { cwd: dir, env: h.env });
    const id = `TASK-${String(i + 1).padStart(3, '0')}`;
    const r = changeToVisible(h, dir, id, `bench-${label}-${i}`);
    samples.push(r.ms);
    calls.push(r.calls);
    run([cli, 'tasks', 'done', id], { cwd: dir, env: h.env });
  }
  const s = stats(samples);
  console.log(
    `change → visible, ${label}`.padEnd(48),
    `p50 ${fmt(s.p50)}, p95 ${fmt(s.p95)}; hook calls until named: ${Math.max(...calls) === 1 ? 'always the first' : `up to ${Math.max(...calls)}`} (goal: the next call, < 1 s)`,
  );
}

/** Resolves once the monitor in `h` logs that its network stack is loaded (a monitor that has run a while). */
async function monitorReady(h) {
  const log = path.join(h.dir, 'logs', 'monitor.log');
  for (let i = 0; i < 200; i++) {
    if (existsSync(log) && readFileSync(log, 'utf8').includes('ready: the network stack')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the monitor did not become ready');
}

async function herd(n, url, token, withMonitor) {
  const label = `${n}-${withMonitor ? 'monitor' : 'alone'}`;
  const h = home(`herd-${label}`, { source: { servers: [url] }, auth: { token } });
  const dir = repo(`herd-repo-${n}`.concat(withMonitor ? '-m' : ''));
  let monitor;
  if (withMonitor) {
    monitor = spawn(node, [cli, 'monitor', 'run'], { env: h.env, stdio: 'ignore' });
    children.push(monitor);
    await monitorReady(h);
  }
  const input = JSON.stringify({ session_id: 'herd', cwd: dir, hook_event_name: 'SessionStart', source: 'startup' });
  const started = performance.now();
  const outs = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve) => {
          const child = spawn(node, [sessionStart], { env: h.env, cwd: dir });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('close', () => resolve(out));
          child.stdin.end(input);
        }),
    ),
  );
  const ms = performance.now() - started;
  monitor?.kill('SIGTERM');
  const contextOf = (o) => {
    try {
      return JSON.parse(o).hookSpecificOutput.additionalContext;
    } catch {
      return '';
    }
  };
  const carried = outs.filter((o) => contextOf(o).includes('"Herd task"')).length;
  console.log(
    `cold-start herd, ${n} SessionStarts at once, ${withMonitor ? 'monitor up' : 'no monitor'}`.padEnd(48),
    `${carried}/${n} carried the tasks, all done in ${fmt(ms)}`,
  );
}

try {
  const quiet = home('no-monitor');
  changeLatency('no monitor', quiet, repo('shop'));

  const watched = home('monitor');
  const shop2 = repo('shop2');
  run([cli, 'tasks', 'add', 'Seed'], { cwd: shop2, env: watched.env });
  const monitor = spawn(node, [cli, 'monitor', 'run'], { env: watched.env, stdio: 'ignore' });
  children.push(monitor);
  for (let i = 0; i < 100 && !existsSync(path.join(watched.dir, 'embedded.json')); i++)
    await new Promise((r) => setTimeout(r, 100));
  changeLatency('monitor up', watched, shop2);
  monitor.kill('SIGTERM');

  const TOKEN = 'bench-fresh-token-0123456789-abcdef';
  const serverHome = home('server');
  for (const project of ['herd-repo-8', 'herd-repo-16', 'herd-repo-8-m', 'herd-repo-16-m']) {
    run([cli, 'tasks', 'add', 'Herd task', '--project', project, '--branch', 'main'], {
      cwd: tmp,
      env: serverHome.env,
    });
  }
  const server = spawn(node, [cli, 'serve', '--port', '0', '--token', TOKEN], {
    env: serverHome.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(server);
  const url = await serveUrl(server);
  for (const n of [8, 16]) {
    await herd(n, url, TOKEN, true);
    await herd(n, url, TOKEN, false);
  }
} finally {
  clearTimeout(killer);
  cleanup();
}
