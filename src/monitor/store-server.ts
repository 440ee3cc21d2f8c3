// The store server: the MCP task server the monitor runs over the embedded store when no source is configured, so
// one process owns tasks.db and hooks, CLI and monitor all reach it over loopback (embedded.json says where, with the
// token). The monitor keeps the store's backups too.
import type { Settings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import { homeFiles } from '../home/files.js';
import { ensureHookToken, newServerToken } from '../home/secrets.js';
import type { Cache } from '../cache/cache.js';
import { invalidateOnChange } from '../sources/embedded/store-access.js';
import { registerSecret } from '../log/redact.js';
import { scheduleBackups } from './backups.js';
import { MONITOR_SQLITE } from './sqlite-waits.js';
import { foldInBackground } from '../sqlite/checkpoints.js';

export async function startStoreServer(ctx: {
  settings: Settings;
  log: Logger;
  cache: Cache;
}): Promise<{ url: string; token: string; close(keepFiles?: boolean): Promise<void> }> {
  // Loaded only when the embedded store is in use: a monitor for a remote source never carries the server.
  const { openTaskDb, sqliteStore, startHttpServer } = await import('../server/index.js');
  const { home, monitor, server: serverSettings } = ctx.settings;
  // A new token each start, known only to embedded.json (0600, with this monitor's pid): `taskhooks serve` keeps its
  // own lasting token in server-token for the clients a user configures by hand.
  const token = newServerToken();
  registerSecret(token);
  const file = homeFiles(home).tasks;
  const db = openTaskDb(file, { home, log: ctx.log, ...MONITOR_SQLITE });
  const folds = foldInBackground({ files: () => [file], log: ctx.log });
  invalidateOnChange(db, { home, log: ctx.log, cache: ctx.cache });
  const backups = scheduleBackups({ db, home, settings: monitor, log: ctx.log.child({ part: 'backups' }) });
  const start = (port: number) =>
    startHttpServer({
      host: '127.0.0.1',
      port,
      store: sqliteStore(db),
      log: ctx.log,
      // The hook token too: the lasting secret an install's .mcp.json reads (through its headersHelper) for the tools.
      auth: {
        tokens: [
          { principal: 'local', token, tools: ['*'] },
          { principal: 'local', token: ensureHookToken(home), tools: ['*'] },
          ...serverSettings.tokens,
        ],
      },
      rateLimitPerMinute: serverSettings.rateLimitPerMinute,
    });
  try {
    const server = await start(monitor.storeServerPort).catch((err: NodeJS.ErrnoException) => {
      // Another process holds the port: a free one instead, which install then names (never the other's).
      if (err.code !== 'EADDRINUSE' || monitor.storeServerPort === 0) throw err;
      ctx.log.error(
        { heldPort: monitor.storeServerPort },
        `store server: another process holds 127.0.0.1:${monitor.storeServerPort}; serving on a free port instead`,
      );
      return start(0);
    });
    return {
      url: server.url,
      token,
      close: async (keepFiles = false) => {
        await server.close();
        await backups.close();
        await folds.close();
        if (!keepFiles) db.close();
      },
    };
  } catch (err) {
    await backups.close();
    await folds.close();
    db.close();
    throw err;
  }
}
