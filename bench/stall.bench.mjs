// Served hooks under load while the monitor is pushed (`npm run bench stall`): a real monitor over the built-in store,
// 20 posters each sending a PreToolUse every 50 ms, and the latency of their answers in four phases: a baseline; while
// `taskhooks tasks add` folds a large write-ahead log of tasks.db (STALL_WAL_MB, 400 by default, built by one big
// transaction left un-checkpointed); for 6 s from a write the monitor's store server makes over such a log; and while a
// 10 MB body of nested brackets is posted. Also the deep body's own answer and the monitor's resident size around it.
// STALL_CLI=path/to/cli.js measures another build; STALL_KEEP=1 keeps the home and lists every answer over 1 s.
// Stops by itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { editInput, fmt, makeRepo, node, root, SQLITE_BUNDLE, stats } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = process.env.STALL_CLI ?? path.join(root, 'dist/cli.js');
const POSTERS = 20;
const EVERY_MS = 50;
/** Claude Code's own timeout of an http PreToolUse: an answer later than this is no answer. */
const HOOK_TIMEOUT_MS = 5000;
const WAL_MB = Number(process.env.STALL_WAL_MB ?? 400);
const DEEP_BYTES = 10 * 1024 * 1024;
/** The worker that writes the large log: told to write MB, to empty its table, or to close. */
const FILLER = `
const { parentPort, workerData } = require('node:worker_threads');
// The project's SQLite wrapper, an ES module: messages wait in the port until it is loaded and listening.
import(require('node:url').pathToFileURL(workerData.sqlite).href).then(({ openDatabase }) => {
  const db = openDatabase(workerData.file);
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE IF NOT EXISTS bench_filler (b BLOB)');
  const insert = db.prepare('INSERT INTO bench_filler (b) VALUES (randomblob(1048576))');
  parentPort.on('message', (m) => {
    if (m.mb) db.transaction(() => { for (let i = 0; i < m.mb; i++) insert.run(); })();
    if (m.clear) db.exec('DELETE FROM bench_filler');
    if (m.close) db.close();
    parentPort.postMessage('done');
    if (m.close) parentPort.close();
  });
});
`;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-stall-'));
const home = path.join(tmp, 'home');
const env = { ...process.env, TASKHOOKS_HOME: home, TASKHOOKS_NO_AUTOSTART: '1', NO_COLOR: '1' };
delete env.MCP_SERVER_URL;
const run = (args, cwd = tmp) => spawnSync(node, [cli, ...args], { env, cwd, encoding: 'utf8' });
const cleanup = () => {
  run(['monitor', 'stop', '--timeout', '5']);
  if (process.env.STALL_KEEP) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
};
const killer = setTimeout(() => {
  console.error('stall bench: overall time limit reached');
  cleanup();
  process.exit(1);
}, 300_000);

/** One POST to the monitor, its status, time and whether PreToolUse was denied; a 5 s wait counts as timed out. */
function post(port, token, route, body, agent) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const req = http.request(
      { host: '127.0.0.1', port, path: route, method: 'POST', agent, timeout: HOOK_TIMEOUT_MS },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ ms: ms(), status: res.statusCode, denied: text.includes('"deny"'), text }));
      },
    );
    req.setHeader('x-taskhooks-token', token);
    req.setHeader('content-type', 'application/json');
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ ms: ms(), status: 0, denied: false, text: err.message }));
    req.end(body);
  });
}

try {
  const repo = makeRepo(path.join(tmp, 'repo'));
  const started = run(['monitor', 'start']);
  if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
  // Added with the monitor running: the project is registered and its snapshot fetched before the posters start.
  if (run(['tasks', 'add', 'Seed task'], repo).status !== 0) throw new Error('tasks add failed');
  await sleep(2000);
  const info = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
  const token = readFileSync(path.join(home, 'hook-token'), 'utf8').trim();
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${info.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const input = editInput(repo);

  let phase = 'warmup';
  const samples = [];
  let posting = true;
  const poster = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (posting) {
      const at = phase;
      const start = Date.now();
      samples.push({
        phase: at,
        at: start,
        ...(await post(info.hookPort, token, '/hooks/pre-tool-use', input, agent)),
      });
      await sleep(Math.max(0, EVERY_MS - (Date.now() - start)));
    }
    agent.destroy();
  };
  const posters = Array.from({ length: POSTERS }, poster);
  await sleep(2000);
  phase = 'baseline';
  await sleep(5000);

  // A write-ahead log of WAL_MB: one transaction, with no checkpoint on commit, written on a worker so the posters'
  // answers are read meanwhile; its connection stays open so that closing it does not fold the log itself.
  const filler = new Worker(FILLER, {
    eval: true,
    workerData: {
      sqlite: SQLITE_BUNDLE,
      file: path.join(home, 'tasks.db'),
    },
  });
  const ask = (what) =>
    new Promise((resolve) => {
      filler.once('message', resolve);
      filler.postMessage(what);
    });
  const largeLog = async () => {
    phase = 'building';
    await ask({ mb: WAL_MB });
    const mb = statSync(path.join(home, 'tasks.db-wal')).size / 2 ** 20;
    await sleep(1000);
    return mb;
  };

  // Folded by a command: `tasks add` folds the log it leaves past its bound.
  const walMb = await largeLog();
  phase = 'fold';
  const t0 = Date.now();
  const add = await new Promise((resolve) => {
    const child = spawn(node, [cli, 'tasks', 'add', 'Folded'], { env, cwd: repo, stdio: 'ignore' });
    child.once('exit', resolve);
  });
  const foldMs = Date.now() - t0;
  await sleep(500);

  // Then a write the monitor's store server makes (a session's task tool): its own commit meets the large log.
  await ask({ clear: true });
  await largeLog();
  phase = 'served-write';
  const endpoint = JSON.parse(readFileSync(path.join(home, 'embedded.json'), 'utf8'));
  const call = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'manage_task', arguments: { action: 'create', project_id: 'repo', title: 'Served' } },
  });
  const served = await fetch(endpoint.url, {
    method: 'POST',
    body: call,
    headers: {
      authorization: `Bearer ${endpoint.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
  }).then((r) => r.status);
  await sleep(6000);
  await ask({ close: true });
  phase = 'settle';
  await sleep(2000);

  phase = 'deep';
  const rssBefore = rss();
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
  const half = DEEP_BYTES / 2;
  const deep = await post(info.hookPort, token, '/hooks/pre-tool-use', '['.repeat(half) + ']'.repeat(half));
  await sleep(500);
  clearInterval(sampler);
  phase = 'done';
  posting = false;
  await Promise.all(posters);

  const row = (name, label) => {
    const got = samples.filter((s) => s.phase === name);
    const answered = got.filter((s) => s.status === 200);
    const s = stats(got.map((x) => x.ms));
    const lost = got.length - answered.length;
    const late = got.filter((x) => x.ms > HOOK_TIMEOUT_MS || x.status === 0).length;
    console.log(
      label.padEnd(48),
      `p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)}; ${got.length} calls, ${lost} not answered 200, ${late} past 5 s, ${answered.filter((x) => x.denied).length} denied`,
    );
  };
  if (process.env.STALL_KEEP)
    for (const x of samples.filter((y) => y.ms > 1000))
      console.log(new Date(x.at).toISOString(), x.phase, x.ms.toFixed(0), x.status);
  console.log(`${POSTERS} posters, a PreToolUse every ${EVERY_MS} ms each`);
  row('baseline', 'served PreToolUse, baseline');
  row('fold', `  while tasks add folds a ${walMb.toFixed(0)} MB WAL`);
  row('served-write', `  6 s from a store-server write over such a WAL`);
  row('deep', '  while a 10 MB deep body is posted');
  console.log('tasks add over the large WAL'.padEnd(48), `${fmt(foldMs)}, exit ${add}; store-server write ${served}`);
  console.log(
    'the deep body'.padEnd(48),
    `answered ${deep.status} in ${fmt(deep.ms)}: ${deep.text.slice(0, 100)}; monitor RSS ${rssBefore.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`,
  );
} finally {
  clearTimeout(killer);
  cleanup();
}
