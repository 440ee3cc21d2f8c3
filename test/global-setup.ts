// Once per vitest run, before any test file: dist/ built from the current sources, the peer programs installed
// (test/peers.json), and a private temp root and HOME that every worker and every process it starts inherits. The
// teardown removes that root and fails the run when something of taskhooks' or of a program the suite starts appeared
// in the real temp dir or home meanwhile: one of them ignored the TMPDIR or HOME it was given. Whatever else appears
// there was made by another program on the machine, and is not this run's to judge.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installPeers } from './helpers/peers.js';
import { pidAlive } from './helpers/pid.js';
import { removeTree } from './helpers/remove-tree.js';
import { stopSharedPostgres } from './helpers/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TMP_ROOT_PREFIX = 'taskhooks-test-';
/**
 * The names the suite's own processes give what they make in a temp dir: the tests' `th-…` folders, taskhooks', and
 * those of the programs the tests start (Claude Code, Codex, Gemini CLI, Qwen Code, Copilot CLI, Task Master, Backlog.md, shrimp, Chromium,
 * PostgreSQL, PgBouncer, tmux).
 */
const OURS_IN_TMP =
  /^(th-|\.?taskhooks|\.?claude|\.?codex|\.?gemini|\.?qwen|\.?copilot|task-?master|\.taskmaster|backlog|\.?shrimp|mcp-shrimp|\.org\.chromium\.|chromium|playwright|\.s\.PGSQL\.|pg_|postgres|pgbouncer|tmux-|wine-)/i;
/**
 * What taskhooks and those programs write in a HOME; npm's `.npm` is left out, since the peers are installed with the
 * real HOME on purpose (npm keeps its cache and the user's npmrc there).
 */
const OURS_IN_HOME = [
  '.taskhooks',
  '.claude',
  '.claude.json',
  '.codex',
  '.gemini',
  '.qwen',
  '.copilot',
  '.cache/copilot',
  '.config/opencode',
  '.local/share/opencode',
  '.cache/opencode',
  '.taskmaster',
  '.backlog',
  '.mcp-shrimp-task-manager',
  '.config/gh',
  '.config/chromium',
  '.cache/chromium',
  '.pki',
  '.tmux.conf',
];

const listing = (dir: string): Set<string> => new Set(readdirSync(dir));
const present = (home: string): Set<string> => new Set(OURS_IN_HOME.filter((p) => existsSync(path.join(home, p))));

/** Temp roots of earlier runs that were killed before their teardown. */
function removeDeadRoots(tmp: string): void {
  for (const entry of readdirSync(tmp)) {
    const pid = Number(entry.slice(TMP_ROOT_PREFIX.length));
    if (entry.startsWith(TMP_ROOT_PREFIX) && Number.isInteger(pid) && !pidAlive(pid))
      rmSync(path.join(tmp, entry), { recursive: true, force: true });
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const realTmp = os.tmpdir();
  const realHome = os.homedir();
  removeDeadRoots(realTmp);
  // In the real temp dir rather than the checkout: a test's "directory outside any repository" must not sit in one.
  const tmpRoot = path.join(realTmp, `${TMP_ROOT_PREFIX}${process.pid}`);
  rmSync(tmpRoot, { recursive: true, force: true });
  mkdirSync(tmpRoot);
  process.env.TMPDIR = tmpRoot;

  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  // Before the peers install: what their install scripts leave in the home or the temp dir is the run's too.
  const before = { tmp: listing(realTmp), home: present(realHome) };
  // npm installs with the real HOME: it keeps its cache and the user's npmrc there.
  await installPeers((line) => console.log(`peers: ${line}`));

  const home = path.join(tmpRoot, 'home');
  mkdirSync(home);
  process.env.HOME = home;

  return async () => {
    // The PostgreSQL server the run's files shared (test/helpers/postgres.ts), if one was started.
    await stopSharedPostgres();
    // A hook Claude Code started and did not wait for (SessionEnd) may still write in the root as it is removed.
    await removeTree(tmpRoot);
    const appeared = [
      // Another test run's root is that run's to remove.
      ...[...listing(realTmp)]
        .filter((e) => !before.tmp.has(e) && OURS_IN_TMP.test(e) && !e.startsWith(TMP_ROOT_PREFIX))
        .map((e) => path.join(realTmp, e)),
      ...[...present(realHome)].filter((p) => !before.home.has(p)).map((p) => path.join(realHome, p)),
    ];
    if (appeared.length > 0) {
      // vitest reports an error thrown here but keeps the exit status of the tests.
      process.exitCode = 1;
      throw new Error(
        `the test run left ${appeared.join(', ')} behind: a test or a process it started wrote outside the run's temp root ` +
          `${tmpRoot} and HOME ${home}. Give that process TMPDIR and HOME from process.env (or make its files under ` +
          'os.tmpdir()), then remove them.',
      );
    }
  };
}
