// The team store `serve` works on when given a PostgreSQL URL: checked, opened (migrated under the engine's advisory
// lock), and every failure one line without the password.
import { UserError } from '../errors/user.js';
import type { Logger } from '../log/logger.js';
import { parseDatabaseUrl, pgpassShown } from '../server/database-url.js';
import type { TaskStore } from '../server/index.js';
import type { GivenDatabase } from './serve-secrets.js';

export const DATABASE_FLAG = {
  type: 'string',
  placeholder: 'URL',
  description: `the team store in PostgreSQL 13+ (postgres://USER@HOST/DB, the password in PGPASSWORD or ${pgpassShown()}) instead of a SQLite file`,
} as const;

export const LISTEN_DATABASE_FLAG = {
  type: 'string',
  placeholder: 'URL',
  description:
    "a direct connection for the change feed's LISTEN when --database goes through a pooler in transaction mode (PgBouncer, a hosted pooled endpoint), which carries no notifications",
} as const;

/**
 * Opens the PostgreSQL store at `database`, its change feed listening through `listen` when given; exit 2 for a bad
 * URL, 1 for one that cannot be opened.
 */
export async function openTeamStore(
  database: GivenDatabase,
  listen: GivenDatabase | undefined,
  log: Logger,
): Promise<{ store: TaskStore; shown: string }> {
  const url = parseDatabaseUrl(database.raw, database.from);
  if ('problem' in url) throw new UserError(url.problem, 2);
  const listenUrl = listen && parseDatabaseUrl(listen.raw, listen.from);
  if (listenUrl && 'problem' in listenUrl) throw new UserError(listenUrl.problem, 2);
  const { openPostgresStore } = await import('../store/postgres/store.js');
  try {
    const store = await openPostgresStore({
      connectionString: url.connectionString,
      listenConnectionString: listenUrl?.connectionString,
      shown: { database: url.shown, listen: listenUrl?.shown },
      // Every lost connection (pooled, checked out, the change feed's) is logged there and serve goes on.
      log,
    });
    return { store, shown: url.shown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UserError(
      `Cannot open the PostgreSQL store at ${url.shown}: ${why} (is the server running, the URL right, the password in PGPASSWORD or ${pgpassShown()}?)`,
      1,
      { cause: err },
    );
  }
}
