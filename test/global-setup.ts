// Once per vitest run, before any test file: dist/ built from the current sources, the peer programs installed
// (test/peers.json), and a private temp root and HOME that every worker and every process it starts inherits. The
// teardown removes that root and fails the run when something new appeared in the real temp dir or home meanwhile.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installPeers } from './helpers/peers.js';
import { pidAlive } from './helpers/pid.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TMP_ROOT_PREFIX = 'taskhooks-test-';
// npm's cache and logs: written by the peer install and by any npx a test falls back to.
const IGNORED_IN_HOME = new Set(['.npm']);
// vitest's scratch directory: in the real temp dir (it is named before any setup runs), a 21-character nanoid, made
// when first needed and removed by vitest after this teardown; another run's, made meanwhile, is that run's to remove.
const VITEST_SCRATCH = /^[\w-]{21}$/;

const listing = (dir: string): Set<string> => new Set(readdirSync(dir));

/** Temp roots of earlier runs that were killed before their teardown. */
function removeDeadRoots(tmp: string): void {
  for (const entry of readdirSync(tmp)) {
    const pid = Number(entry.slice(TMP_ROOT_PREFIX.length));
    if (entry.startsWith(TMP_ROOT_PREFIX) && Number.isInteger(pid) && !pidAlive(pid))
      rmSync(path.join(tmp, entry), { recursive: true, force: true });
  }
}

export default async function setup(): Promise<() => void> {
  const realTmp = os.tmpdir();
  const realHome = os.homedir();
  removeDeadRoots(realTmp);
  // In the real temp dir rather than the checkout: a test's "directory outside any repository" must not sit in one.
  const tmpRoot = path.join(realTmp, `${TMP_ROOT_PREFIX}${process.pid}`);
  rmSync(tmpRoot, { recursive: true, force: true });
  mkdirSync(tmpRoot);
  process.env.TMPDIR = tmpRoot;

  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  // npm installs with the real HOME: it keeps its cache and the user's npmrc there.
  await installPeers((line) => console.log(`peers: ${line}`));

  const before = { tmp: listing(realTmp), home: listing(realHome) };
  const home = path.join(tmpRoot, 'home');
  mkdirSync(home);
  process.env.HOME = home;

  return () => {
    rmSync(tmpRoot, { recursive: true, force: true });
    const appeared = [
      // Another test run's root is that run's to remove.
      ...[...listing(realTmp)]
        .filter((e) => !before.tmp.has(e) && !e.startsWith(TMP_ROOT_PREFIX) && !VITEST_SCRATCH.test(e))
        .map((e) => path.join(realTmp, e)),
      ...[...listing(realHome)]
        .filter((e) => !before.home.has(e) && !IGNORED_IN_HOME.has(e))
        .map((e) => path.join(realHome, e)),
    ];
    if (appeared.length > 0) {
      // vitest reports an error thrown here but keeps the exit status of the tests.
      process.exitCode = 1;
      throw new Error(
        `the test run left ${appeared.join(', ')} behind: a test or a process it started wrote outside the run's temp root ` +
          `${tmpRoot} and HOME ${home}. Give that process TMPDIR and HOME from process.env (or make its files under ` +
          'os.tmpdir()), then remove them; if another program on this machine made them meanwhile, run again.',
      );
    }
  };
}
