// A person's `npm install -g git+<url>` on Node 24, from git's own http-backend on loopback serving this commit: npm
// runs on that Node, with its cache and config dirs in the test's temp dir, no registry it could reach (a closed
// loopback port) and every script npm runs printed. Nothing is fetched, built or installed beside the package, no
// native module lands, the install stays within 12 MB, and the `taskhooks` it gives works on Node 24; on a Node
// without node:sqlite it says in one line to upgrade.
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { serveGitRepo, type GitServer } from '../helpers/git-http.js';
import { hookEnv } from '../helpers/hooks.js';
import { machineNode, nodeBinary } from '../helpers/node-versions.js';
import { npmEnv } from '../helpers/peers.js';

/** The most a global install may take on disk. */
const MAX_INSTALL_BYTES = 12 * 1000 * 1000;

let tmp: string;
let git: GitServer;
let repo: TempRepo;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs without blocking this process, where the git server answers. */
function run(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(file, args, { ...opts, timeout: 300_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({
        status,
        stdout,
        stderr: `${stderr}${status === null ? `\n${err?.message}` : ''}`,
        ms: Date.now() - started,
      });
    });
    child.stdin?.end();
  });
}

/**
 * A script npm ran, as `--foreground-scripts` prints it (`> name@version install`, then its command), or node-gyp's own
 * output: a package compiled or set up by a script of its own.
 */
const SCRIPT_RAN = /^> \S+@\S+ (preinstall|install|postinstall|prepare)$|node-gyp|^gyp /m;

/** npm's environment: `node` (npm's own too) is the folder's, and nothing it fetches goes unnoticed. */
function npmWorld(nodeDir: string): NodeJS.ProcessEnv {
  return {
    ...npmEnv(tmp),
    HOME: path.join(tmp, 'home'),
    PATH: `${nodeDir}${path.delimiter}${process.env.PATH}`,
    npm_config_cache: path.join(tmp, 'npm-cache'),
    // A closed port on loopback: a package fetched from any registry fails the install.
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_foreground_scripts: 'true',
  };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Bytes of the files under `dir` (links not followed). */
const bytesUnder = (dir: string): number => filesUnder(dir).reduce((n, f) => n + lstatSync(path.join(dir, f)).size, 0);

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'th-global-install-'));
  mkdirSync(path.join(tmp, 'home'));
  git = await serveGitRepo();
  repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
});

afterAll(async () => {
  repo?.cleanup();
  await git?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm install -g git+<url> on Node 24', () => {
  const node24 = () => path.dirname(nodeBinary(24).node);
  const prefix = () => path.join(tmp, 'prefix');
  const pkg = () => path.join(prefix(), 'lib', 'node_modules', 'taskhooks');
  let install: Run;

  beforeAll(async () => {
    install = await run('npm', ['install', '--global', '--prefix', prefix(), `git+${git.url}`], {
      cwd: tmp,
      env: npmWorld(node24()),
    });
  }, 300_000);

  it('would see a build: npm runs node-gyp for a package with a binding.gyp, and says so', async () => {
    // A package npm would compile: a binding.gyp and no install script of its own (node-gyp then fails here, offline).
    const native = path.join(tmp, 'native-pkg');
    mkdirSync(native);
    writeFileSync(path.join(native, 'package.json'), JSON.stringify({ name: 'native-pkg', version: '1.0.0' }));
    writeFileSync(path.join(native, 'binding.gyp'), JSON.stringify({ targets: [] }));
    const env = npmWorld(node24());
    const packed = await run('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: native, env });
    expect(packed.status, packed.stderr).toBe(0);
    const control = path.join(tmp, 'control');
    const r = await run('npm', ['install', '--prefix', control, path.join(tmp, packed.stdout.trim())], {
      cwd: tmp,
      env,
    });
    expect(`${r.stdout}\n${r.stderr}`).toMatch(SCRIPT_RAN);
  });

  it('fetches, builds and installs nothing beside the package, holds no native module, within 12 MB', () => {
    expect(install.status, install.stderr).toBe(0);
    // npm ran no node-gyp, and no package's install script at all.
    expect(`${install.stdout}\n${install.stderr}`).not.toMatch(SCRIPT_RAN);
    const files = filesUnder(prefix());
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
    // No package but taskhooks: the libraries it runs are in plugin/ (pino and pg under plugin/dist/node_modules).
    expect(readdirSync(path.join(prefix(), 'lib', 'node_modules'))).toEqual(['taskhooks']);
    expect(existsSync(path.join(pkg(), 'node_modules'))).toBe(false);
    const bytes = bytesUnder(prefix());
    console.log(
      `global install from git on Node ${nodeBinary(24).version}: ${(bytes / 1e6).toFixed(2)} MB in ${files.length} files, npm took ${(install.ms / 1000).toFixed(1)} s`,
    );
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALL_BYTES);
  });

  it('gives a `taskhooks` that adds and lists a task on Node 24, on its own SQLite', async () => {
    const home = path.join(tmp, 'state-24');
    const env = {
      ...hookEnv(home),
      HOME: path.join(tmp, 'home'),
      PATH: `${node24()}${path.delimiter}${process.env.PATH}`,
    };
    const taskhooks = (...args: string[]) => run(path.join(prefix(), 'bin', 'taskhooks'), args, { cwd: repo.dir, env });
    const added = await taskhooks('tasks', 'add', 'Fix login');
    expect(added.stdout, added.stderr).toBe('Added TASK-001 (every branch): Fix login\n');
    expect((await taskhooks('tasks', 'list')).stdout).toContain('Fix login');
    const doctor = await taskhooks('doctor');
    expect(doctor.stdout).toMatch(/✓ sqlite .*node:sqlite, SQLite 3\.\d+/);
  });

  /** A Node without node:sqlite where this machine has one: the tier's own (Node 20), or the machine's. */
  const older = [{ node: process.execPath, version: process.version }, machineNode()].find(
    (n) => n && Number(n.version.replace(/^v/, '').split('.')[0]) < 22,
  );

  it.skipIf(!older)('on an older Node says in one line to upgrade it', async () => {
    const home = path.join(tmp, 'state-old');
    const nodeDir = path.dirname(older?.node as string);
    const env = {
      ...hookEnv(home),
      HOME: path.join(tmp, 'home'),
      PATH: `${nodeDir}${path.delimiter}${process.env.PATH}`,
    };
    const listed = await run(path.join(prefix(), 'bin', 'taskhooks'), ['tasks', 'list'], { cwd: repo.dir, env });
    expect(listed.status).toBe(1);
    expect(listed.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^taskhooks: no SQLite library: Node ${older?.version} .*upgrade Node to 22\\.13`),
      ),
    ]);
  });
});
