// Writes docs/dashboard.png from example data: a project "shop" on branch feature/checkout with the README's tasks, a
// monitor, one session told its context, and the live dashboard taken by Debian's Chromium as anyone would:
// `chromium --headless --screenshot --virtual-time-budget`, which settles once the page has nothing pending.
// Everything lives in one folder under the temp dir, removed at the end.  Run after `npm run bundle`:
//   node scripts/dashboard-picture.mjs
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const OUT = path.join(ROOT, 'docs', 'dashboard.png');
const base = path.join(os.tmpdir(), 'taskhooks-example');
const repo = path.join(base, 'shop');
const state = path.join(base, 'state');
const env = { ...process.env, HOME: path.join(base, 'home'), TASKHOOKS_HOME: state, TASKHOOKS_NO_AUTOSTART: '1' };
for (const k of ['MCP_SERVER_URL', 'TASKHOOKS_PROJECT', 'TASKHOOKS_ADAPTER', 'CLAUDE_PROJECT_DIR']) delete env[k];

const git = (...args) =>
  execFileSync('git', ['-c', 'user.name=Sam', '-c', 'user.email=sam@example.com', ...args], { cwd: repo });
const cli = (...args) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: repo, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskhooks ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

rmSync(base, { recursive: true, force: true });
mkdirSync(repo, { recursive: true });
mkdirSync(env.HOME);
mkdirSync(state);
writeFileSync(path.join(state, 'config.json'), JSON.stringify({ monitor: { hookPort: 0 } }));
git('init', '-q', '-b', 'feature/checkout');
for (const [file, message] of [
  ['cart.ts', 'Add cart page'],
  ['totals.ts', 'Fix rounding in totals'],
]) {
  writeFileSync(path.join(repo, file), `// ${message}\n`);
  git('add', file);
  git('commit', '-q', '-m', message);
}

cli(
  'tasks',
  'add',
  'Fix login outage',
  '--priority',
  'critical',
  '--description',
  'Users on SSO cannot log in since the 2.3 deploy; roll back the session middleware or patch the cookie domain.',
);
cli('tasks', 'add', 'Add coupon field to checkout', '--priority', 'high', '--due', '2026-12-01');
cli('tasks', 'add', 'Update payment SDK', '--priority', 'medium');
cli('tasks', 'add', 'Show the cart total with tax', '--priority', 'medium');
cli('tasks', 'start', 'TASK-001');
cli('tasks', 'block', 'TASK-003', '--note', "waiting for the vendor's sandbox keys");
cli('tasks', 'done', 'TASK-004', '--note', 'totals round half-up now');

const monitor = spawn(process.execPath, [CLI, 'monitor', 'run'], { cwd: repo, env, stdio: 'ignore' });
try {
  // A session starting here: the dashboard shows what it was told.
  const input = { session_id: 'a41c7e2b', cwd: repo, hook_event_name: 'SessionStart', source: 'startup' };
  spawnSync(process.execPath, [path.join(ROOT, 'dist', 'hooks', 'session-start.js')], {
    cwd: repo,
    env,
    input: JSON.stringify(input),
  });
  const info = path.join(state, 'monitor.json');
  for (let i = 0; i < 200 && !(existsSync(info) && JSON.parse(readFileSync(info, 'utf8')).hookPort); i++)
    await new Promise((r) => setTimeout(r, 100));
  const { url } = JSON.parse(cli('dashboard', '--json', '--no-open'));
  const shot = spawnSync(
    '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      `--user-data-dir=${path.join(base, 'chromium')}`,
      `--crash-dumps-dir=${path.join(base, 'chromium')}`,
      '--window-size=1280,960',
      '--virtual-time-budget=3000',
      `--screenshot=${OUT}`,
      url,
    ],
    { env: { ...env, TMPDIR: base, XDG_CONFIG_HOME: base, XDG_CACHE_HOME: base }, timeout: 120_000 },
  );
  if (shot.status !== 0) throw new Error(`chromium --screenshot did not settle (${shot.status ?? shot.signal})`);
  console.log(`wrote ${path.relative(ROOT, OUT)}`);
} finally {
  monitor.kill('SIGTERM');
  await new Promise((r) => monitor.once('exit', r));
  rmSync(base, { recursive: true, force: true });
}
