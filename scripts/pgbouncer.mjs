// Debian's PgBouncer in front of a PostgreSQL on loopback, for the tests (test/helpers/pgbouncer.ts) and the team
// bench (BENCH_POOLER): its config and user list written into `dir`, listening on `port` of 127.0.0.1, every database
// name passed through, no password (auth_type trust: the PostgreSQL behind trusts loopback too), run in the
// foreground as a child, as the `postgres` user when we are root (PgBouncer refuses root). Resolves once a query
// goes through it.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export const PGBOUNCER = '/usr/sbin/pgbouncer';

/**
 * @param {{ dir: string, port: number, server: { host: string, port: number | string, user: string },
 *   mode: 'transaction' | 'session', poolSize: number }} opts
 * @returns {Promise<{ pid: number | undefined, log: () => string, stop: () => Promise<void> }>}
 */
export async function runPgBouncer({ dir, port, server, mode, poolSize }) {
  if (!existsSync(PGBOUNCER))
    throw new Error(`${PGBOUNCER} not found: install it with \`apt-get install -y pgbouncer\``);
  const ini = path.join(dir, 'pgbouncer.ini');
  const users = path.join(dir, 'pgbouncer-users.txt');
  writeFileSync(users, `"${server.user}" ""\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.host} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${users}`,
      `pool_mode = ${mode}`,
      'max_client_conn = 2000',
      `default_pool_size = ${poolSize}`,
      'logfile =',
      '',
    ].join('\n'),
  );
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) {
    const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres'], { encoding: 'utf8' })));
    for (const f of [dir, ini, users]) chownSync(f, uid, gid);
  }
  const child = spawn(PGBOUNCER, asPostgres ? ['-u', 'postgres', ini] : [ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c.toString()));
  child.stderr.on('data', (c) => (output += c.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const end = Date.now() + 30_000;
  for (;;) {
    const probe = new pg.Client({ connectionString: `postgres://${server.user}@127.0.0.1:${port}/postgres` });
    try {
      await probe.connect();
      await probe.query('SELECT 1');
      await probe.end();
      return { pid: child.pid, log: () => output, stop };
    } catch (err) {
      await probe.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > end) {
        await stop();
        throw new Error(`pgbouncer did not answer within 30 s (${String(err)}); its log: ${output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
