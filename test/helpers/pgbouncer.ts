// A real PgBouncer for tests, from Debian's `pgbouncer` package (installed here when missing and the tests run as
// root), in front of a PostgreSQL the tests started (./postgres.ts): in a temp dir under os.tmpdir(), on a free port of
// 127.0.0.1, in transaction or session mode (scripts/pgbouncer.mjs, shared with the team bench, runs it). Killed with
// SIGKILL and started again on the same port by `crash` and `restart`; killed and its dir removed by `stop`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error a plain .mjs module, shared with the team bench, which node runs as it is
import * as script from '../../scripts/pgbouncer.mjs';
import { ensureDebianPackage } from './debian.js';
import { freePort } from './serve.js';

export type PoolMode = 'transaction' | 'session';

interface RunningPgBouncer {
  pid: number | undefined;
  log(): string;
  stop(): Promise<void>;
}

/** The script's exports, typed as its JSDoc says. */
const { PGBOUNCER, runPgBouncer } = script as {
  PGBOUNCER: string;
  runPgBouncer(opts: {
    dir: string;
    port: number;
    server: { host: string; port: string; user: string };
    mode: PoolMode;
    poolSize: number;
  }): Promise<RunningPgBouncer>;
};

export interface TestPgBouncer {
  /** `databaseUrl` (a database of the PostgreSQL behind it) as reached through the pooler. */
  pooled(databaseUrl: string): string;
  /** Everything PgBouncer logged so far (since its last start). */
  log(): string;
  /** Kills it with SIGKILL, as a crash: every client connection is cut mid-way. */
  crash(): Promise<void>;
  /** Starts it again, on the same port with the same configuration, after a crash. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function install(): void {
  ensureDebianPackage({
    name: 'pgbouncer',
    neededBy: "the team server's pooled PostgreSQL tests",
    present: () => existsSync(PGBOUNCER),
  });
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
  install();
  const target = new URL(postgresUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-pgbouncer-'));
  const port = await freePort();
  const config = {
    dir,
    port,
    server: { host: target.hostname, port: target.port, user: decodeURIComponent(target.username) },
    mode,
    poolSize: opts.poolSize ?? 4,
  };
  let running: RunningPgBouncer;
  try {
    running = await runPgBouncer(config);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    pooled: (databaseUrl) => {
      const u = new URL(databaseUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.href;
    },
    log: () => running.log(),
    crash: () => running.stop(),
    restart: async () => {
      running = await runPgBouncer(config);
    },
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
