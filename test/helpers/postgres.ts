// A real PostgreSQL server for tests, from the machine's Debian binaries (the `postgresql` package, installed here
// when missing and the tests run as root): initdb and pg_ctl in a temp dir under os.tmpdir(), a free port on
// 127.0.0.1, the unix socket inside the same dir; run as the `postgres` user when the tests run as root (PostgreSQL
// refuses to run as root). One server per test run, shared by its files, a fresh database per test; stopped and removed
// at the run's end.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ensureDebianPackage } from './debian.js';
import { freePort } from './serve.js';

const run = promisify(execFile);
const ROOT_DIR = '/usr/lib/postgresql';

export interface TestPostgres {
  /** The URL of a new, empty database on this server. */
  createDatabase(): Promise<string>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** The bin directory of the newest installed major version, if any. */
function findBinaries(): string | undefined {
  if (!existsSync(ROOT_DIR)) return undefined;
  const versions = readdirSync(ROOT_DIR)
    .filter((v) => existsSync(path.join(ROOT_DIR, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(ROOT_DIR, versions[0], 'bin');
}

/** The binaries, installed from Debian's `postgresql` package when missing and we may (root). */
function binaries(): string {
  const present = (): boolean => findBinaries() !== undefined;
  if (!ensureDebianPackage({ name: 'postgresql', neededBy: 'the PostgreSQL store and team server tests', present })) {
    const how = isRoot() ? 'apt-get install postgresql left no initdb' : 'PostgreSQL binaries not found';
    throw new Error(`${how} under ${ROOT_DIR}: install them with \`sudo apt-get install -y postgresql\``);
  }
  return findBinaries() as string;
}

type PgRun = (program: string, args: string[], cwd: string) => Promise<unknown>;

/** Hands `dir` to the `postgres` user when the tests run as root. */
function ownedByPostgres(dir: string): void {
  if (!isRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
}

/** A new cluster and its server in `dir`: its data, socket and log there, on a free port. */
async function startPostgresIn(dir: string): Promise<string> {
  const bin = binaries();
  const data = path.join(dir, 'data');
  const socketDir = path.join(dir, 'socket');
  mkdirSync(socketDir);
  ownedByPostgres(dir);
  ownedByPostgres(socketDir);
  const pgRun = pgRunner(bin);
  const port = await freePort();
  await pgRun('initdb', ['-D', data, '-A', 'trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale', 'C'], dir);
  const opts = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=${MAX_CONNECTIONS}`;
  await pgRun('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start'], dir);
  return `postgres://postgres@127.0.0.1:${port}`;
}

// Every test file of a run shares one server, a database each: room for two files' pools at once (PgBouncer's 100
// in session mode beside the team servers' own).
const MAX_CONNECTIONS = 500;

const pgRunner =
  (bin: string): PgRun =>
  (program, args, cwd) =>
    isRoot()
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args], { cwd })
      : run(path.join(bin, program), args, { cwd });

async function createDatabaseOn(base: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return `${base}/${name}`;
}

// The run's shared server lives here, in the run's temp root: the first worker to make the folder starts it and
// writes its URL; the others wait for that file. test/global-setup.ts stops it at the end of the run.
const sharedDir = (): string => path.join(os.tmpdir(), 'taskhooks-pg-shared');
const SHARED_URL = 'url';
const SHARED_FAILED = 'failed';

async function startShared(dir: string): Promise<string> {
  try {
    const base = await startPostgresIn(dir);
    writeFileSync(path.join(dir, `${SHARED_URL}.tmp`), base);
    renameSync(path.join(dir, `${SHARED_URL}.tmp`), path.join(dir, SHARED_URL));
    return base;
  } catch (err) {
    writeFileSync(path.join(dir, SHARED_FAILED), err instanceof Error ? err.message : String(err));
    throw err;
  }
}

async function waitForShared(dir: string): Promise<string> {
  const until = Date.now() + 180_000;
  for (;;) {
    if (existsSync(path.join(dir, SHARED_URL))) return readFileSync(path.join(dir, SHARED_URL), 'utf8');
    if (existsSync(path.join(dir, SHARED_FAILED)))
      throw new Error(`the run's PostgreSQL failed to start: ${readFileSync(path.join(dir, SHARED_FAILED), 'utf8')}`);
    if (Date.now() > until) throw new Error(`the run's PostgreSQL in ${dir} did not start within 180 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let shared: Promise<string> | undefined;

/** The base URL of the run's server, started by the first caller of the run. */
function sharedBase(): Promise<string> {
  if (!shared) {
    const dir = sharedDir();
    let mine = false;
    try {
      mkdirSync(dir);
      mine = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    shared = mine ? startShared(dir) : waitForShared(dir);
  }
  return shared;
}

/**
 * The run's server for the calling file: each `createDatabase` makes a database of its own on it, the first call
 * of the run starting the server. One server a run, not one a file: starting one costs seconds.
 */
export function postgresForFile(): TestPostgres {
  return { createDatabase: async () => createDatabaseOn(await sharedBase()) };
}

/** Stops the run's shared server if a test started one (test/global-setup.ts, before the temp root goes). */
export async function stopSharedPostgres(): Promise<void> {
  const dir = sharedDir();
  if (!existsSync(path.join(dir, SHARED_URL))) return;
  await pgRunner(binaries())('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop'], dir);
}
