// A real PgBouncer for tests, from Debian's `pgbouncer` package (installed here when missing and the tests run as
// root), in front of a PostgreSQL the tests started (./postgres.ts): its config, user list and log in a temp dir under
// os.tmpdir(), a free port on 127.0.0.1, every database name passed through to that server, no password (trust: the
// tests' PostgreSQL trusts loopback too). Run in the foreground as a child, as the `postgres` user when the tests run
// as root (PgBouncer refuses root); killed and its dir removed by `stop`.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './serve.js';

const PROGRAM = '/usr/sbin/pgbouncer';

export type PoolMode = 'transaction' | 'session';

export interface TestPgBouncer {
  /** `databaseUrl` (a database of the PostgreSQL behind it) as reached through the pooler. */
  pooled(databaseUrl: string): string;
  /** Everything PgBouncer logged so far. */
  log(): string;
  stop(): Promise<void>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

function program(): string {
  if (existsSync(PROGRAM)) return PROGRAM;
  if (!isRoot()) throw new Error(`${PROGRAM} not found: install it with \`sudo apt-get install -y pgbouncer\``);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'pgbouncer'], { stdio: 'ignore', env });
  if (!existsSync(PROGRAM)) throw new Error(`apt-get install pgbouncer left no ${PROGRAM}`);
  return PROGRAM;
}

/**
 * Starts PgBouncer in `mode` in front of the PostgreSQL at `postgresUrl` (any of its databases' URLs), with at most
 * `poolSize` server connections per database and user: small, so that pooled clients really share backends.
 */
export async function startPgBouncer(
  postgresUrl: string,
  mode: PoolMode,
  opts: { poolSize?: number } = {},
): Promise<TestPgBouncer> {
  const bin = program();
  const target = new URL(postgresUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-pgbouncer-'));
  const port = await freePort();
  const ini = path.join(dir, 'pgbouncer.ini');
  const users = path.join(dir, 'userlist.txt');
  writeFileSync(users, `"${decodeURIComponent(target.username)}" ""\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${users}`,
      `pool_mode = ${mode}`,
      'max_client_conn = 1000',
      `default_pool_size = ${opts.poolSize ?? 4}`,
      'logfile =',
      '',
    ].join('\n'),
  );
  const asPostgres = isRoot();
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const f of [dir, ini, users]) chownSync(f, uid, gid);
  }
  const child = spawn(bin, asPostgres ? ['-u', 'postgres', ini] : [ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const pooled = (databaseUrl: string): string => {
    const u = new URL(databaseUrl);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    return u.href;
  };
  // Ready once a query goes through it to the server behind.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`pgbouncer exited (${child.exitCode}) before it answered: ${output.trim()}`);
    }
    const probe = new pg.Client({ connectionString: pooled(postgresUrl) });
    try {
      await probe.connect();
      await probe.query('SELECT 1');
      await probe.end();
      break;
    } catch (err) {
      await probe.end().catch(() => undefined);
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`pgbouncer did not answer within 30 s: ${String(err)}; its log: ${output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { pooled, log: () => output, stop };
}
