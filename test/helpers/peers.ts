// The real programs the tests drive, pinned in test/peers.json and installed by the test run's global setup into
// .peers/<name>@<version>/ in the checkout. An install is built in a staging directory and renamed into place only
// once it is complete, so a peer directory that exists is a whole install: two test runs racing, or a run killed
// half-way, leave at worst a staging directory that the next run removes.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { pidAlive } from './pid.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const MANIFEST = path.join(REPO, 'test', 'peers.json');
const PEERS_DIR = path.join(REPO, '.peers');
const MARKER = '.peer.json';
const STAGING = '.staging-';
const TRASH = '.trash-';
const INSTALL_TIMEOUT_MS = 15 * 60_000;

const PeerSchema = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'an exact version'),
  before: z.iso.datetime(),
  entry: z.string().min(1),
  /** The registry package when it differs from the name (an npm alias): two Node versions are two names. */
  package: z.string().min(1).optional(),
  /** Another platform's build (Node's Windows one, run under Wine): npm installs it with --os/--cpu --force. */
  os: z.enum(['win32']).optional(),
  cpu: z.enum(['x64']).optional(),
});
type Peer = z.infer<typeof PeerSchema>;
const ManifestSchema = z.object({ peers: z.record(z.string(), PeerSchema) });

function manifest(): Record<string, Peer> {
  const parsed = ManifestSchema.safeParse(JSON.parse(readFileSync(MANIFEST, 'utf8')));
  if (!parsed.success) throw new Error(`${MANIFEST} is not a valid peer manifest:\n${z.prettifyError(parsed.error)}`);
  return parsed.data.peers;
}

const dirName = (name: string, peer: Peer): string => `${name.replace('/', '+')}@${peer.version}`;
const entryIn = (dir: string, name: string, peer: Peer): string => path.join(dir, 'node_modules', name, peer.entry);

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} is unreadable (${String(err)}): remove ${PEERS_DIR} and run the tests again`);
  }
}

/** The peer's directory when it holds a finished install of exactly the manifest's line. */
function installed(name: string, peer: Peer): string | undefined {
  const dir = path.join(PEERS_DIR, dirName(name, peer));
  const marker = PeerSchema.safeParse(readJson(path.join(dir, MARKER)));
  const same =
    marker.success &&
    marker.data.version === peer.version &&
    marker.data.before === peer.before &&
    marker.data.entry === peer.entry &&
    marker.data.package === peer.package &&
    marker.data.os === peer.os &&
    marker.data.cpu === peer.cpu;
  return same && existsSync(entryIn(dir, name, peer)) ? dir : undefined;
}

/** A peer of test/peers.json, which the global setup has installed: its version and the absolute path of its entry. */
export function peer(name: string): { version: string; entry: string } {
  const line = manifest()[name];
  if (!line) throw new Error(`${name} is not listed in ${MANIFEST}`);
  const dir = installed(name, line);
  if (!dir)
    throw new Error(
      `${name}@${line.version} is not installed in ${PEERS_DIR}: run the tests with vitest, whose global setup installs it`,
    );
  return { version: line.version, entry: entryIn(dir, name, line) };
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return codes.includes((err as NodeJS.ErrnoException).code ?? '');
}

/** Moves a directory out of the way first, so a removal cut short never looks like an install. */
function discard(dir: string): void {
  const trash = path.join(PEERS_DIR, `${TRASH}${process.pid}-${randomUUID()}`);
  try {
    renameSync(dir, trash);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return;
    throw err;
  }
  rmSync(trash, { recursive: true, force: true });
}

/**
 * Staging and trash directories of runs that died, and installs of versions the manifest no longer names. A program
 * the manifest does not name at all is left alone: checkouts of other branches share this folder, and theirs may.
 */
function removeLeftovers(peers: Record<string, Peer>, log: (line: string) => void): void {
  const current = new Set(Object.entries(peers).map(([name, peer]) => dirName(name, peer)));
  const named = (entry: string): boolean =>
    Object.keys(peers).some((name) => entry.startsWith(`${name.replace('/', '+')}@`));
  for (const entry of readdirSync(PEERS_DIR)) {
    const scratch = entry.startsWith(STAGING) ? STAGING : entry.startsWith(TRASH) ? TRASH : undefined;
    if (scratch) {
      const pid = Number(entry.slice(scratch.length).split('-')[0]);
      if (!pidAlive(pid)) rmSync(path.join(PEERS_DIR, entry), { recursive: true, force: true });
    } else if (!current.has(entry) && named(entry)) {
      log(`removing ${path.join(PEERS_DIR, entry)}: test/peers.json no longer lists it`);
      discard(path.join(PEERS_DIR, entry));
    }
  }
}

/**
 * The environment of the nested npm: without the npm_* variables of an enclosing `npm test` (npm_config_local_prefix
 * names taskhooks' checkout, npm_config_prefix the global one), which would steer where it installs. It reads the
 * user's npmrc files by itself. A peer's install script that runs the peer (OpenCode's runs `opencode --version`)
 * makes its config, data and cache folders: under `cwd`, not in the real home.
 */
export function npmEnv(cwd: string): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));
  const xdg = (name: string) => path.join(cwd, '.xdg', name);
  return {
    ...kept,
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_CACHE_HOME: xdg('cache'),
    XDG_STATE_HOME: xdg('state'),
  };
}

function runNpm(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd,
      env: npmEnv(cwd),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: INSTALL_TIMEOUT_MS,
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) =>
      reject(new Error(`cannot run npm (${err.message}): the test run installs its peers with it`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const how = signal ? `was stopped by ${signal} (limit ${INSTALL_TIMEOUT_MS / 60_000} min)` : `exited ${code}`;
      reject(
        new Error(
          `npm ${args.join(' ')} ${how} in ${cwd}; it needs the npm registry once per peer version. Its output:\n${output}`,
        ),
      );
    });
  });
}

async function install(name: string, peer: Peer, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const target = path.join(PEERS_DIR, dirName(name, peer));
  log(`installing ${name}@${peer.version} into ${target} (once: later runs reuse it)`);
  const staging = path.join(PEERS_DIR, `${STAGING}${process.pid}-${randomUUID()}`);
  mkdirSync(staging);
  try {
    // A package.json of its own keeps npm from walking up to taskhooks' and installing into its node_modules.
    writeFileSync(path.join(staging, 'package.json'), '{ "private": true }\n');
    const spec = peer.package ? `${name}@npm:${peer.package}@${peer.version}` : `${name}@${peer.version}`;
    // npm refuses a package of another platform unless forced; the flags make it install that platform's build.
    const platform = peer.os ? [`--os=${peer.os}`, `--cpu=${peer.cpu ?? 'x64'}`, '--force'] : [];
    await runNpm(
      [
        'install',
        spec,
        `--before=${peer.before}`,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        ...platform,
      ],
      staging,
    );
    const got = readJson(path.join(staging, 'node_modules', name, 'package.json')) as { version?: unknown } | undefined;
    if (got?.version !== peer.version)
      throw new Error(`npm install ${spec} left version ${String(got?.version)} in ${staging}`);
    if (!existsSync(entryIn(staging, name, peer)))
      throw new Error(`npm install ${spec} did not produce ${peer.entry} (did its install script run?)`);
    writeFileSync(path.join(staging, MARKER), `${JSON.stringify(peer)}\n`);
    for (;;) {
      try {
        renameSync(staging, target);
        break;
      } catch (err) {
        if (!isErrno(err, 'ENOTEMPTY', 'EEXIST')) throw err;
      }
      // Another test run finished the same install first, or an unfinished one of another `before` is in the way.
      if (installed(name, peer)) break;
      discard(target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`installed ${name}@${peer.version} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Installs, side by side, every peer that is missing or differs from the manifest; reuses the others. */
export async function installPeers(log: (line: string) => void): Promise<void> {
  mkdirSync(PEERS_DIR, { recursive: true });
  const peers = manifest();
  removeLeftovers(peers, log);
  await Promise.all(
    Object.entries(peers).map(([name, peer]) => (installed(name, peer) ? undefined : install(name, peer, log))),
  );
}
