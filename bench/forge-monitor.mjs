// The monitor following 20 repositories of a forge (GitHub, GitLab) with nothing changing: what a minute of it costs
// the forge and the machine. 20 git repositories whose origin is on the forge are registered with a real monitor (the
// built CLI) whose source is the forge's issues, its API the forge's stand-in on loopback (held to the forge's own
// description), refreshing every 10 s. After the first round (every list answered whole) one minute is counted:
// requests and their statuses, bytes on the wire both ways (headers included) and of answer bodies, the rate limit
// spent, and the monitor's CPU time from /proc.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { benchSqlite, makeRepo, node, processCpu, root } from './lib.mjs';

export const REPOS = 20;
export const ISSUES = 30;
const WINDOW_MS = 60_000;

/**
 * @typedef {object} Forge
 * @property {string} name 'github', 'gitlab': the bench's and the stand-in's name
 * @property {string} service what the lines call it
 * @property {string} helper the stand-in's file under test/helpers/
 * @property {(module: any) => Promise<any>} start starts the stand-in from its bundled module
 * @property {Record<string, string>} env the token and the variables the forge's source reads, beside TASKHOOKS_HOME
 * @property {string[]} unset variables of the developer's own that must not reach the monitor
 * @property {(standin: any, name: string) => string} seed seeds a repository's issues, returns its origin URL
 * @property {(standin: any) => Record<string, unknown>} source `source` of config.json
 * @property {(request: any) => boolean} isList whether a recorded request is a repository's issue list
 * @property {(request: any) => boolean} isRefresh whether one is a refresh's list, after the first round
 * @property {string} quiet what a quiet refresh's answer is, for the line
 */

/** @param {Forge} forge */
export async function forgeMonitorBench(forge) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `th-bench-${forge.name}-`));
  // The stand-in is TypeScript: bundled beside this package (its packages and the forge's description resolve here).
  mkdirSync(path.join(root, '.taskhooks-test'), { recursive: true });
  const bundleDir = mkdtempSync(path.join(root, '.taskhooks-test', `bench-${forge.name}-`));
  const cli = path.join(root, 'dist/cli.js');
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  const env = { ...process.env, TASKHOOKS_HOME: home, TASKHOOKS_NO_AUTOSTART: '1', NO_COLOR: '1', ...forge.env };
  for (const name of ['MCP_SERVER_URL', ...forge.unset]) delete env[name];
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
    console.error(`${forge.name} bench: overall time limit reached`);
    await cleanup();
    process.exit(1);
  }, 300_000);

  try {
    // As in test/: the judge reads the forge's description from ../fixtures beside the stand-in's folder.
    const module = path.join(bundleDir, 'helpers', `${forge.name}-standin.mjs`);
    symlinkSync(path.join(root, 'test', 'fixtures'), path.join(bundleDir, 'fixtures'));
    await build({
      entryPoints: [path.join(root, 'test/helpers', forge.helper)],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      outfile: module,
      logLevel: 'warning',
    });
    standin = await forge.start(await import(pathToFileURL(module).href));

    const names = Array.from({ length: REPOS }, (_, i) => `repo-${String(i).padStart(2, '0')}`);
    const repos = names.map((name) => {
      const dir = makeRepo(path.join(tmp, 'repos', name));
      execFileSync('git', ['remote', 'add', 'origin', forge.seed(standin, name)], { cwd: dir });
      return dir;
    });
    writeFileSync(
      path.join(home, 'config.json'),
      JSON.stringify({
        source: forge.source(standin),
        monitor: { hookPort: 0, taskSchedule: '*/10 * * * * *', gitSchedule: '0 0 1 1 *' },
      }),
    );
    spawnSync(node, [cli, 'cache', 'stats'], { env }); // creates and migrates cache.db
    const started = spawnSync(node, [cli, 'monitor', 'start'], { env, encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`monitor start failed: ${started.stderr}`);
    const { pid } = JSON.parse(readFileSync(path.join(home, 'monitor.json'), 'utf8'));

    // Registered the way install and SessionStart do (the source key is the API's URL), then the monitor woken.
    const { openDatabase } = await benchSqlite();
    const cache = openDatabase(path.join(home, 'cache.db'));
    const insert = cache.prepare(
      'INSERT INTO projects (root, name, source_key, last_seen, registered_by) VALUES (?, ?, ?, ?, ?)',
    );
    repos.forEach((dir, i) => insert.run(dir, names[i], standin.url, Date.now(), 'bench'));
    cache.close();
    mkdirSync(path.join(home, 'signals'), { recursive: true });
    writeFileSync(path.join(home, 'signals', 'refresh'), `${Date.now()}\n`);

    const listed = (which) => new Set(standin.requests.filter(which).map((r) => r.path)).size;
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
    // The first round answers every list whole; the next one is the first quiet round.
    await waitUntil('every repository listed once', () => listed((r) => forge.isList(r) && r.status === 200) === REPOS);
    const first = { requests: standin.requests.length, wire: standin.wire(), rate: standin.rate.remaining };
    const firstBodies = standin.requests.reduce((n, r) => n + r.bytes, 0);
    await waitUntil('every repository listed again', () => listed(forge.isRefresh) === REPOS);
    await sleep(2_000);

    const from = standin.requests.length;
    const wire = standin.wire();
    const rate = standin.rate.remaining;
    const cycles = () =>
      readFileSync(path.join(home, 'logs', 'monitor.log'), 'utf8').split('task refresh cycle done').length - 1;
    const cyclesBefore = cycles();
    const cpuBefore = processCpu(pid);
    await sleep(WINDOW_MS);
    const used = (processCpu(pid) - cpuBefore) / 1000;
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
      `${first.requests} requests, ${kb(first.wire.received)} sent to ${forge.service}, ${kb(first.wire.sent)} answered (${kb(firstBodies)} of bodies), ${standin.rate.limit - first.rate} of the rate limit`,
    );
    console.log(
      `nothing changed, ${WINDOW_MS / 1000} s (a refresh every 10 s)`.padEnd(48),
      `${perMinute(seen.length)} requests/min (${statuses.join(', ')}), ${seen.reduce((n, r) => n + r.bytes, 0)} bytes of bodies, rate limit spent ${rate - standin.rate.remaining}`,
    );
    console.log(
      '  on the wire'.padEnd(48),
      `${kb(perMinute(after.received - wire.received))}/min sent to ${forge.service}, ${kb(perMinute(sent))}/min answered = ${seen.length ? Math.round(sent / seen.length) : 0} bytes per answer, ${forge.quiet}`,
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
}
