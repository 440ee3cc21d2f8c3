import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ensureSecretFile } from '../util/secret-file.js';

const SERVER_TOKEN_FILE = 'server-token';

/** The server's own bearer token in `$TASKHOOKS_HOME/server-token` (0600), created on first use. */
export function ensureServerToken(home: string): { token: string; file: string; created: boolean } {
  const file = path.join(home, SERVER_TOKEN_FILE);
  return { ...ensureSecretFile(file, () => `th_${randomBytes(32).toString('base64url')}`), file };
}
