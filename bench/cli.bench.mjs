// The CLI's start: `taskhooks --help`, `tasks list` (a read) and `tasks add|start|done|edit|note` (writes) on the
// built-in store (no monitor, a few tasks), against bare `node -e 0`, and how many of the bundle's module files (and
// bytes) each one loads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareToBareNode, node, report, root, runOnce } from './lib.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'th-bench-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const home = path.join(dir, 'home');
const repo = path.join(dir, 'shop');
const env = { ...process.env, TASKHOOKS_HOME: home, HOME: dir, NO_COLOR: '1' };
const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
execFileSync('mkdir', ['-p', repo]);
git('init', '-q', '-b', 'main');
git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '--allow-empty', '-m', 'initial');
const cli = path.join(root, 'dist/cli.js');
for (const title of ['Fix the login redirect', 'Write the release notes', 'Refund flow'])
  runOnce(node, [cli, 'tasks', 'add', title], { env, cwd: repo });
if (!runOnce(node, [cli, 'tasks', 'list'], { env, cwd: repo }).stdout.includes('Refund flow'))
  throw new Error('tasks list did not list the seeded tasks');

/** The module files (from dist/) and their bytes one run of `args` loads. */
function loaded(args) {
  const out = path.join(dir, 'loaded.txt');
  rmSync(out, { force: true });
  runOnce(node, ['--import', pathToFileURL(path.join(root, 'bench/loaded.mjs')).href, cli, ...args], {
    env: { ...env, TASKHOOKS_BENCH_LOADED: out },
    cwd: repo,
  });
  const rows = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const mine = rows.filter(([, f]) => f.startsWith(path.join(root, 'dist')));
  const kb = mine.reduce((n, [size]) => n + Number(size), 0) / 1024;
  return `${mine.length} module files of dist/, ${kb.toFixed(0)} KB`;
}

const reopen = (id) => () => runOnce(node, [cli, 'tasks', 'reopen', id], { env, cwd: repo });
for (const [label, args, goal, before] of [
  ['taskhooks --help', ['--help'], 1.5],
  // Read in process from tasks.db: no network stack, task server or cache.
  ['taskhooks tasks list (built-in store, 3 tasks)', ['tasks', 'list'], 2],
  // Written in process too: the store opened for writes, the cache told, no task server or loopback call.
  ['taskhooks tasks add (write)', ['tasks', 'add', 'Bench task'], 2],
  ['taskhooks tasks start (write)', ['tasks', 'start', 'TASK-001'], 2, reopen('TASK-001')],
  ['taskhooks tasks done (write)', ['tasks', 'done', 'TASK-002'], 2, reopen('TASK-002')],
  ['taskhooks tasks edit --priority (write)', ['tasks', 'edit', 'TASK-003', '--priority', 'high'], 2],
  ['taskhooks tasks note (write)', ['tasks', 'note', 'TASK-003', 'benched'], 2],
]) {
  report(
    `${label} / bare node`,
    compareToBareNode({ cmd: node, args: [cli, ...args], env, cwd: repo, before }, { runs: 15 }),
    goal,
  );
  console.log(`  loads ${loaded(args)}`);
}
