import { chmodSync, linkSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { readTextCapped, SMALL_MAX_BYTES } from './safe-read.js';

/** The token in `file`; undefined when there is no file. Tightens a file others may read back to 0600. */
function readTokenFile(file: string): string | undefined {
  let text: string;
  try {
    text = readTextCapped(file, SMALL_MAX_BYTES);
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
 * A secret kept in `file` (0600), made by `generate` on first use. The new token is written to a private file first
 * and linked into place, so the file is never seen half-written and processes creating it at once (the monitor,
 * `install`, a server) agree on the one linked first.
 */
export function ensureSecretFile(file: string, generate: () => string): { token: string; created: boolean } {
  const existing = readTokenFile(file);
  if (existing) return { token: existing, created: false };
  const token = generate();
  const staged = `${file}.${process.pid}.${Date.now().toString(36)}`;
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
  // Not linked: another process's token got there first, and the file now says what the token is.
  return linked ? { token, created: true } : ensureSecretFile(file, generate);
}
