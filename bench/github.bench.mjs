// The monitor following 20 GitHub repositories with nothing changing: what a minute of it costs GitHub and the
// machine. 20 git repositories whose origin is on github.com are registered with a real monitor (the built CLI)
// whose source is GitHub Issues, its API the GitHub stand-in on loopback (held to GitHub's OpenAPI description),
// refreshing every 10 s. After the first round (every list answered whole, kept with its ETag) one minute is counted:
// requests and their statuses, bytes on the wire both ways (headers included) and of answer bodies, the rate limit
// spent, and the monitor's CPU time from /proc. A conditional request answered 304 has no body and spends no limit.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { makeRepo, node, root } from './lib.mjs';

const REPOS = 20;
const ISSUES = 30;
const WINDOW_MS = 60_000;
const TICKS_PER_S = 100; // USER_HZ on Linux
const TOKEN = 'gh-token-bench';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-bench-github-'));
// The stand-in is TypeScript: bundled beside this package (its packages and GitHub's description resolve from here).
mkdirSync(path.join(root, '.taskhooks-test'), { recursive: true });
const bundleDir = mkdtempSync(path.join(root, '.taskhooks-test', 'bench-github-'));
const cli = path.join(root, 'dist/cli.js');
const home = path.join(tmp, 'home');
mkdirSync(home);
const env = { ...process.env, TASKHOOKS_HOME: home, TASKHOOKS_NO_AUTOSTART: '1', NO_COLOR: '1', GH_TOKEN: TOKEN };
for (const name of ['MCP_SERVER_URL', 'GITHUB_TOKEN', 'GITHUB_API_URL', 'GH_HOST']) delete env[name];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let standin;
const cleanup = async () => {
  spawnSync(node, [cli, 'monitor', 'stop', '--timeout', '5'], { env });
  await standin?.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
  // The folder goes too when this run made it and nothing else is in it.
  if (readdirSync(path.dirname(bundleDir)).length === 0) rmSync(path.dirname(bundleDir), { recursive: true });
};
const killer = setTimeout(async () => {
  console.error('github bench: overall time limit reached');
  await cleanup();
  process.exit(1);
}, 300_000);

try {
  const module = path.join(bundleDir, 'github-standin.mjs');
  await build({
    entryPoints: [path.join(root, 'test/helpers/github-standin.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    outfile: module,
    logLevel: 'warning',
  });
  const { startGitHubStandin } = await import(pathToFileURL(module).href);
  standin = await startGitHubStandin({ tokens: { [TOKEN]: 'dana' } });

  const names = Array.from({ length: REPOS }, (_, i) => `repo-${String(i).padStart(2, '0')}`);
  const repos = names.map((name) => {
    const dir = makeRepo(path.join(tmp, 'repos', name));
    execFileSync('git', ['remote', 'add', 'origin', `https://github.com/acme/${name}.git`], { cwd: dir });
    const { issues } = standin.repo(`acme/${name}`);
    for (let n = 1; n <= ISSUES; n++)
      issues.push({
        number: n,
        title: `${name} issue ${n}`,
        body: `What issue ${n} of ${name} is about, in a sentence or two.`,
        state: 'open',
        labels: n % 5 === 0 ? ['priority: high'] : [],
        assignees: ['dana'],
      });
    return dir;
  });
  writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({
      source: { adapter: 'github', github: { api: standin.url, host: 'github.com' } },
      monitor: { hookPort: 0, taskSchedule: '*/10 * * * * *', gitSchedule: '0 0 1 1 *' },
    }),
  );
  spawnSync(node, [cli, 'cache', 'stats'], { env }); // creates and migrates cache.db
  const started = spawnSync(node, [cli, 'monitor', 'start'], { env, encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
  const { pid } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));

  // Registered the way install and SessionStart do (the source key is the API's URL), then the monitor woken.
  const Database = createRequire(path.join(root, 'package.json'))('better-sqlite3');
  const cache = new Database(path.join(home, 'cache.db'));
  const insert = cache.prepare(
    'INSERT INTO projects (root, name, source_key, last_seen, registered_by) VALUES (?, ?, ?, ?, ?)',
  );
  repos.forEach((dir, i) => insert.run(dir, names[i], standin.url, Date.now(), 'bench'));
  cache.close();
  mkdirSync(path.join(home, 'signals'), { recursive: true });
  writeFileSync(path.join(home, 'signals', 'refresh'), `${Date.now()}\n`);

  const lists = () => standin.requests.filter((r) => r.operation === 'GET /repos/{owner}/{repo}/issues');
  const listed = (status) =>
    new Set(
      lists()
        .filter((r) => r.status === status)
        .map((r) => r.path),
    ).size;
  const waitUntil = async (what, fn, ms = 120_000) => {
    const until = Date.now() + ms;
    while (!fn()) {
      if (Date.now() > until) {
        const log = readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8');
        throw new Error(`timed out waiting for ${what}:\n${log.split('\n').slice(-30).join('\n')}`);
      }
      await sleep(100);
    }
  };
  // The first round answers every list whole; the next one is the first conditional round.
  await waitUntil('every repository listed once', () => listed(200) === REPOS);
  const first = { requests: standin.requests.length, wire: standin.wire(), rate: standin.rate.remaining };
  const firstBodies = standin.requests.reduce((n, r) => n + r.bytes, 0);
  await waitUntil('every repository listed again', () => listed(304) === REPOS);
  await sleep(2_000);

  const cpu = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  };
  const from = standin.requests.length;
  const wire = standin.wire();
  const rate = standin.rate.remaining;
  const cycles = () =>
    readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8').split('task refresh cycle done').length - 1;
  const cyclesBefore = cycles();
  const ticks = cpu();
  await sleep(WINDOW_MS);
  const used = (cpu() - ticks) / TICKS_PER_S;
  const seen = standin.requests.slice(from);
  const after = standin.wire();
  const counts = new Map();
  for (const r of seen) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const statuses = [...counts].map(([status, n]) => `${n}× ${status}`);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const perMinute = (n) => (n * 60_000) / WINDOW_MS;
  const sent = after.sent - wire.sent;
  console.log(
    `first round, ${REPOS} repositories × ${ISSUES} issues`.padEnd(48),
    `${first.requests} requests, ${kb(first.wire.received)} sent to GitHub, ${kb(first.wire.sent)} answered (${kb(firstBodies)} of bodies), ${5000 - first.rate} of the rate limit`,
  );
  console.log(
    `nothing changed, ${WINDOW_MS / 1000} s (a refresh every 10 s)`.padEnd(48),
    `${perMinute(seen.length)} requests/min (${statuses.join(', ')}), ${seen.reduce((n, r) => n + r.bytes, 0)} bytes of bodies, rate limit spent ${rate - standin.rate.remaining}`,
  );
  console.log(
    '  on the wire'.padEnd(48),
    `${kb(perMinute(after.received - wire.received))}/min sent to GitHub, ${kb(perMinute(sent))}/min answered = ${seen.length ? Math.round(sent / seen.length) : 0} bytes per answer, headers only`,
  );
  console.log(
    '  monitor CPU'.padEnd(48),
    `${(perMinute(used) * 1000).toFixed(0)} ms per minute = ${((used / (WINDOW_MS / 1000)) * 100).toFixed(2)}% of one core, ${cycles() - cyclesBefore} refresh cycles of ${REPOS} fetches`,
  );
  if (standin.violations.length > 0) throw new Error(`the stand-in saw: ${standin.violations.join('; ')}`);
} finally {
  clearTimeout(killer);
  await cleanup();
}
