import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SERVER_TOKEN_FILE = 'server-token';

/** The token in `file`; undefined when there is no file. Tightens a file others may read back to 0600. */
function readTokenFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const token = text.trim();
  if (!token) throw new Error(`${file} holds no token: delete it and start again (a new token is generated)`);
  if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  return token;
}

/**
 * The server's own bearer token in `$TASKHOOKS_HOME/server-token` (0600), created on first use. The new token is
 * written to a private file first and linked into place, so the token file is never seen half-written and two
 * servers starting at once agree on the one that was linked first.
 */
export function ensureServerToken(home: string): { token: string; file: string; created: boolean } {
  const file = path.join(home, SERVER_TOKEN_FILE);
  const existing = readTokenFile(file);
  if (existing) return { token: existing, file, created: false };
  const token = `th_${randomBytes(32).toString('base64url')}`;
  const staged = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(staged, `${token}\n`, { mode: 0o600, flag: 'wx' });
  let linked: boolean;
  try {
    linkSync(staged, file);
    linked = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    linked = false;
  } finally {
    unlinkSync(staged);
  }
  // Not linked: another starter's token got there first, and the file now says what the token is.
  return linked ? { token, file, created: true } : ensureServerToken(home);
}
