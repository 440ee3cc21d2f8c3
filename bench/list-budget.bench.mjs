// `taskhooks tasks list` against a GitHub stand-in on 127.0.0.1 whose issue list never ends and whose every page is
// just under one answer's 16 MiB cap (100 issues of 155 KB bodies): the CLI's memory high-water mark, this build's
// beside the last committed plugin's (before the list's byte budget, it held every page's bodies whole), each run with
// its heap capped at HEAP_MB: what a list keeps must fit there, while the garbage of each page read is collected as it
// goes (the high-water mark alone counts garbage V8 has not yet collected). PAGES and PAGE_MIB change the list.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { committedBuild, freshEnv, makeRepo, node, previousRelease, residentMB, root } from './lib.mjs';

const PAGES = Number(process.env.PAGES ?? 50);
const PAGE_MIB = Number(process.env.PAGE_MIB ?? 15.5);
const PER_PAGE = 100;
const HEAP_MB = Number(process.env.HEAP_MB ?? 256);

const body = 'b'.repeat(Math.floor((PAGE_MIB * 1048576) / PER_PAGE) - 400);
/** One page's bytes, the same for every page: only its Link header differs. */
const page = Buffer.from(
  JSON.stringify(
    Array.from({ length: PER_PAGE }, (_, i) => ({
      id: i + 1,
      number: i + 1,
      title: `Issue ${i + 1}`,
      body,
      state: 'open',
      labels: [],
      assignees: [{ login: 'dana' }],
      html_url: `https://github.com/acme/widgets/issues/${i + 1}`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    })),
  ),
);

let served = 0;
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/user') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ login: 'dana' }));
  }
  served++;
  const n = Number(url.searchParams.get('page') ?? 1);
  const next = new URL(req.url ?? '/', `http://127.0.0.1:${server.address().port}`);
  next.searchParams.set('page', String(n + 1));
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': page.length,
    ...(n < PAGES ? { link: `<${next.href}>; rel="next"` } : {}),
  });
  res.end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const api = `http://127.0.0.1:${server.address().port}`;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-list-budget-'));
/** The CLI's peak resident memory over one `tasks list`, read from /proc while it runs, and what it printed. */
let runs = 0;
async function peakOf(cli) {
  runs++;
  const home = path.join(tmp, `home-${runs}`);
  mkdirSync(home);
  writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({ source: { adapter: 'github', timeoutMs: 120_000, github: { api, host: 'github.com' } } }),
  );
  const repo = makeRepo(path.join(tmp, `repo-${runs}`));
  execFileSync('git', ['remote', 'add', 'origin', 'https://github.com/acme/widgets.git'], { cwd: repo });
  const env = freshEnv({ TASKHOOKS_HOME: home, TASKHOOKS_NO_AUTOSTART: '1', GH_TOKEN: 'gh-token-bench', HOME: tmp });
  const before = served;
  const child = spawn(node, [`--max-old-space-size=${HEAP_MB}`, cli, 'tasks', 'list', '--json'], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    err += c;
  });
  let hwm = 0;
  const poll = setInterval(() => {
    try {
      hwm = Math.max(hwm, residentMB(child.pid).hwm);
    } catch {}
  }, 20);
  const code = await new Promise((r) => child.once('exit', r));
  clearInterval(poll);
  const oom = /heap out of memory/.test(err);
  if (code !== 0 && !oom) console.error(err.slice(0, 2000));
  return { hwm, pages: served - before, code, oom, out: out.length };
}

try {
  const previous = previousRelease();
  const old = committedBuild(previous, path.join(tmp, 'old'));
  console.log(`${PAGES} pages of ${PAGE_MIB} MiB (${PER_PAGE} issues each), heap capped at ${HEAP_MB} MB`);
  for (const [label, cli] of [
    [`before (plugin/ at ${previous})`, old],
    ['this build', path.join(root, 'dist/cli.js')],
  ]) {
    const r = await peakOf(cli);
    console.log(
      `  ${label}: ${r.oom ? 'out of memory' : `exit ${r.code}`} after ${r.pages} pages, peak ${r.hwm.toFixed(0)} MB resident, ${(r.out / 1048576).toFixed(1)} MiB printed`,
    );
  }
} finally {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
}
