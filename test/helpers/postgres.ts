// A real PostgreSQL server for tests, from the machine's Debian binaries (the `postgresql` package, installed here
// when missing and the tests run as root): initdb and pg_ctl in a temp dir under os.tmpdir(), a free port on
// 127.0.0.1, the unix socket inside the same dir; run as the `postgres` user when the tests run as root (PostgreSQL
// refuses to run as root). One server per test file, a fresh database per test; stopped and removed afterwards. The
// cluster is made by initdb once per test run (seconds each time) and copied for each server after the first.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { ensureDebianPackage } from './debian.js';

const run = promisify(execFile);
const ROOT_DIR = '/usr/lib/postgresql';

export interface TestPostgres {
  /** The URL of a new, empty database on this server. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

type PgRun = (program: string, args: string[], cwd: string) => Promise<unknown>;

/** Hands `dir` to the `postgres` user when the tests run as root. */
function ownedByPostgres(dir: string): void {
  if (!isRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
}

/**
 * An initdb'd cluster in the run's temp root, made once: a worker that finds none makes one in a staging folder and
 * renames it into place, so a concurrent worker sees either none or a whole one.
 */
async function clusterTemplate(pgRun: PgRun): Promise<string> {
  const template = path.join(os.tmpdir(), 'taskhooks-pg-template');
  if (existsSync(path.join(template, 'PG_VERSION'))) return template;
  const staging = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-pg-staging-'));
  ownedByPostgres(staging);
  try {
    const data = path.join(staging, 'data');
    await pgRun(
      'initdb',
      ['-D', data, '-A', 'trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale', 'C'],
      staging,
    );
    try {
      renameSync(data, template);
    } catch (err) {
      // Another worker's template landed first: it is as good.
      if (!existsSync(path.join(template, 'PG_VERSION'))) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return template;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binaries();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-pg-'));
  const data = path.join(dir, 'data');
  const socketDir = path.join(dir, 'socket');
  mkdirSync(socketDir);
  ownedByPostgres(dir);
  ownedByPostgres(socketDir);
  const pgRun: PgRun = (program, args, cwd) =>
    isRoot()
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args], { cwd })
      : run(path.join(bin, program), args, { cwd });
  const port = await freePort();
  try {
    // cp -a keeps the owner and the 0700 mode PostgreSQL insists on.
    await run('cp', ['-a', await clusterTemplate(pgRun), data]);
    const opts = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    await pgRun('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start'], dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const base = `postgres://postgres@127.0.0.1:${port}`;
  return {
    createDatabase: async () => {
      const name = `t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    },
    stop: async () => {
      try {
        await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** One server for the calling file's tests, started before them and stopped after: each test makes its database. */
export function postgresForFile(): Pick<TestPostgres, 'createDatabase'> {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    createDatabase: () => {
      if (!server) throw new Error('PostgreSQL was not started: call postgresForFile() at the top of the file');
      return server.createDatabase();
    },
  };
}
