// The team store `serve` works on when given a PostgreSQL URL: checked, opened (migrated under the engine's advisory
// lock), and every failure one line without the password.
import { UserError } from '../errors/user.js';
import type { Logger } from '../log/logger.js';
import { parseDatabaseUrl } from '../server/database-url.js';
import type { TaskStore } from '../server/index.js';

export const DATABASE_FLAG = {
  type: 'string',
  placeholder: 'URL',
  description:
    'the team store in PostgreSQL 13+ (postgres://USER@HOST/DB, the password in PGPASSWORD or ~/.pgpass) instead of a SQLite file',
} as const;

/** Opens the PostgreSQL store at `raw` (named `from` in messages); exit 2 for a bad URL, 1 for one that cannot be opened. */
export async function openTeamStore(
  raw: string,
  from: string,
  log: Logger,
): Promise<{ store: TaskStore; shown: string }> {
  const url = parseDatabaseUrl(raw, from);
  if ('problem' in url) throw new UserError(url.problem, 2);
  const { openPostgresStore } = await import('../server/db/postgres/store.js');
  try {
    const store = await openPostgresStore({
      connectionString: url.connectionString,
      onFeedError: (err) =>
        log.error({ err }, 'PostgreSQL connection error: changes may not be pushed until it reconnects'),
    });
    return { store, shown: url.shown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UserError(
      `Cannot open the PostgreSQL store at ${url.shown}: ${why} (is the server running, the URL right, the password in PGPASSWORD or ~/.pgpass?)`,
      1,
      { cause: err },
    );
  }
}
