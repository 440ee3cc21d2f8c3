// Red-team figures (`npm run bench redteam`): a real monitor (`taskhooks monitor start`) following two projects on a
// hostile GitHub stand-in on 127.0.0.1 whose issue list never ends (100 issues of 2 KB a page, always a next page),
// one of them a repository whose branch ref is a link to /dev/zero. Reported: the monitor's peak resident size
// (VmHWM) and that of any git child it spawned, the pages it asked for, cache.db's size after the list, and
// `taskhooks doctor`'s time in the hostile repository (the /dev/zero and the FIFO form). REDTEAM_CLI=path/to/cli.js
// measures another build (an older one, for a figure from before) with the same script. Stops by itself.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { benchSqlite, makeRepo, node, root } from './lib.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = process.env.REDTEAM_CLI ?? path.join(root, 'dist/cli.js');
/** How long the monitor is watched once both projects are followed: a few refresh cycles of 10 s. */
const WATCH_MS = 35_000;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-redteam-'));
const home = path.join(tmp, 'home');
mkdirSync(home);
let pages = 0;
const body = 'x'.repeat(2048);
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/user') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ login: 'dana' }));
    return;
  }
  pages++;
  const n = Number(url.searchParams.get('page') ?? 1);
  const next = new URL(url.href.replace(/^http:\/\/127\.0\.0\.1/, base));
  next.searchParams.set('page', String(n + 1));
  const issues = Array.from({ length: 100 }, (_, i) => ({
    id: n * 100 + i,
    number: n * 100 + i,
    title: `Issue ${n * 100 + i}`,
    body,
    state: 'open',
    labels: [],
    assignees: [{ login: 'dana' }],
    html_url: `https://github.com/acme/widgets/issues/${n * 100 + i}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  }));
  res.writeHead(200, {
    'content-type': 'application/json',
    etag: `"p${n}-${Date.now()}"`,
    link: `<${next.href}>; rel="next"`,
  });
  res.end(JSON.stringify(issues));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const env = {
  ...process.env,
  TASKHOOKS_HOME: home,
  TASKHOOKS_NO_AUTOSTART: '1',
  NO_COLOR: '1',
  GITHUB_API_URL: base,
  GH_TOKEN: 'bench-token',
};
delete env.MCP_SERVER_URL;

const stop = () => spawnSync(node, [cli, 'monitor', 'stop', '--timeout', '5'], { env });
const cleanup = () => {
  stop();
  server.close();
  rmSync(tmp, { recursive: true, force: true });
};
const killer = setTimeout(() => {
  console.error('redteam bench: overall time limit reached');
  cleanup();
  process.exit(1);
}, 180_000);

function repo(name, hostile) {
  const dir = makeRepo(path.join(tmp, 'repos', name));
  if (hostile) {
    const ref = path.join(dir, '.git', 'refs', 'heads', 'main');
    rmSync(ref);
    hostile(ref);
  }
  return dir;
}
const kb = (text, key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
const procStatus = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
};
/** The git processes whose parent is `pid`, by their /proc status. */
const gitChildren = (pid) =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map((p) => procStatus(p))
    .filter((s) => /^Name:\s+git/m.test(s) && new RegExp(`^PPid:\\s+${pid}$`, 'm').test(s));

try {
  const clean = repo('widgets');
  const zero = repo('zero', (ref) => symlinkSync('/dev/zero', ref));
  writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({
      source: { adapter: 'github', timeoutMs: 60_000, github: { repo: 'acme/widgets' } },
      monitor: { hookPort: 0, taskSchedule: '*/10 * * * * *', gitSchedule: '*/10 * * * * *' },
    }),
  );
  spawnSync(node, [cli, 'cache', 'stats'], { env }); // creates and migrates cache.db
  const started = spawnSync(node, [cli, 'monitor', 'start'], { env, encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
  const { pid } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));
  const { openDatabase } = await benchSqlite();
  const cache = openDatabase(path.join(home, 'cache.db'));
  const insert = cache.prepare(
    'INSERT INTO projects (root, name, source_key, last_seen, registered_by) VALUES (?, ?, ?, ?, ?)',
  );
  insert.run(clean, 'widgets', base, Date.now(), 'bench');
  insert.run(zero, 'zero', base, Date.now(), 'bench');
  cache.close();
  mkdirSync(path.join(home, 'signals'), { recursive: true });
  writeFileSync(path.join(home, 'signals', 'refresh'), `${Date.now()}\n`);
  let gitPeak = 0;
  let gitSeen = 0;
  const until = Date.now() + WATCH_MS;
  while (Date.now() < until) {
    for (const s of gitChildren(pid)) {
      gitSeen++;
      gitPeak = Math.max(gitPeak, kb(s, 'VmHWM'), kb(s, 'VmRSS'));
    }
    await sleep(20);
  }
  const monitor = procStatus(pid);
  stop();
  const size = ['', '-wal'].reduce((n, s) => {
    try {
      return n + statSync(path.join(home, `cache.db${s}`)).size;
    } catch {
      return n;
    }
  }, 0);
  console.log(`build measured: ${path.relative(root, cli) || cli}`);
  console.log(`monitor peak RSS (VmHWM), endless list + /dev/zero ref: ${kb(monitor, 'VmHWM').toFixed(1)} MB`);
  console.log(`pages the monitor asked the endless list for in ${WATCH_MS / 1000} s: ${pages}`);
  console.log(`cache.db (+ WAL) after the endless list: ${(size / 1048576).toFixed(2)} MB`);
  console.log(
    `git children of the monitor seen: ${gitSeen ? `${gitSeen} samples, peak RSS ${gitPeak.toFixed(1)} MB` : 'none'}`,
  );

  for (const [label, make] of [
    ['/dev/zero ref', (ref) => symlinkSync('/dev/zero', ref)],
    ['FIFO ref', (ref) => execFileSync('mkfifo', [ref])],
  ]) {
    const dir = repo(`doctor-${label.replace(/\W+/g, '-')}`, make);
    const t = process.hrtime.bigint();
    // Asynchronously: the hostile tracker answers from this process, which a synchronous spawn would block.
    const r = await new Promise((resolve) =>
      execFile(node, [cli, 'doctor'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 }, (err, stdout) =>
        resolve({ stdout, signal: err?.signal ?? null }),
      ),
    );
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const line = (r.stdout ?? '').split('\n').find((l) => /^\S+ git\b/.test(l.trim())) ?? '(no git line)';
    console.log(
      `doctor on a ${label}: ${(ms / 1000).toFixed(2)} s${r.signal ? ' (killed at 60 s)' : ''} — ${line.trim()}`,
    );
  }
} finally {
  clearTimeout(killer);
  cleanup();
}
