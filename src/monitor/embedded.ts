// The built-in task server, hosted by the monitor when no remote source is configured: one process owns tasks.db
// and hooks, CLI and monitor all reach it over loopback (embedded.json says where, with the token).
import type { LoadedConfig } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { registerSecret } from '../log/redact.js';
import { embeddedDbFile } from '../server/endpoint.js';

export async function startEmbeddedServer(ctx: { home: string; loaded: LoadedConfig; log: Logger }): Promise<{ url: string; token: string; close(): Promise<void> }> {
  // Loaded only when the embedded default is in use: a monitor for a remote source never carries the server.
  const { ensureServerToken, openTaskDb, startHttpServer } = await import('../server/index.js');
  const { config } = ctx.loaded;
  const { token } = ensureServerToken(ctx.home);
  registerSecret(token);
  const db = openTaskDb(embeddedDbFile(ctx.home));
  try {
    const server = await startHttpServer({
      host: '127.0.0.1',
      port: config.monitor.embeddedPort,
      db,
      log: ctx.log,
      auth: { tokens: [{ principal: 'local', token, tools: ['*'] }, ...config.server.tokens] },
      rateLimitPerMinute: config.server.rateLimitPerMinute,
    });
    return {
      url: server.url,
      token,
      close: async () => {
        await server.close();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
