// The home's own ports taken by another process before the monitor starts: the monitor then serves elsewhere, and the
// hook token installed hooks carry to the old port may already be that process's, so a new one replaces it.
import net from 'node:net';
import type { Settings } from '../config/settings.js';
import { ensureHookToken, rotateHookToken } from '../home/secrets.js';
import type { Logger } from '../log/logger.js';

/** Whether another process listens on 127.0.0.1:`port` (0, any free port, is never held). */
export function portHeld(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(true) : reject(err)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/**
 * The served hooks' token for this run: a new one when another process holds the hook port, or the store server's
 * port where it will serve (both take the token from installed files), else the lasting one.
 */
export async function hookTokenForRun(settings: Settings, log: Logger): Promise<{ token: string; rotated: boolean }> {
  const { hookPort, storeServerPort } = settings.monitor;
  const ports = settings.source.plan.kind === 'embedded' ? [hookPort, storeServerPort] : [hookPort];
  const held: number[] = [];
  for (const port of ports) {
    try {
      if (await portHeld(port)) held.push(port);
    } catch (err) {
      // Not a port another process holds (EACCES, say): the part that listens there says what is wrong.
      log.warn({ err, port }, 'could not tell whether another process holds a port of this home');
    }
  }
  if (held.length === 0) return { token: ensureHookToken(settings.home), rotated: false };
  log.warn({ held }, 'another process holds a port of this home: the hook token is replaced');
  return { token: rotateHookToken(settings.home), rotated: true };
}
