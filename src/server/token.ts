import { randomBytes } from 'node:crypto';
import { chmodSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

const SERVER_TOKEN_FILE = 'server-token';

/**
 * The server's own bearer token in `$TASKHOOKS_HOME/server-token` (0600), created on first use.
 * Exclusive create, so two servers starting at once agree on one token.
 */
export function ensureServerToken(home: string): { token: string; file: string; created: boolean } {
  const file = path.join(home, SERVER_TOKEN_FILE);
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token) return { token, file, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = `th_${randomBytes(32).toString('base64url')}`;
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return ensureServerToken(home);
    throw err;
  }
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, 0o600);
  return { token, file, created: true };
}
