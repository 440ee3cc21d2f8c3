// The secrets the state directory keeps (0600): the served hooks' shared token, the task server's own token and the
// config cache's key.
import { randomBytes } from '../util/crypto.js';
import { registerSecret } from '../log/redact.js';
import { ensureSecretFile } from '../util/secret-file.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import path from 'node:path';
import { homeFiles } from './files.js';
import { restrictToOwner } from './owner-only.js';

/** A token file just made: on Windows its folder, the state directory, is made its owner's alone (NTFS ignores 0600). */
function ownerOnly<T extends { created: boolean }>(file: string, secret: T): T {
  if (secret.created) restrictToOwner(path.dirname(file));
  return secret;
}

/** The served hooks' shared secret ($TASKHOOKS_HOME/hook-token), created on first use. */
export function ensureHookToken(home: string): string {
  const file = homeFiles(home).hookToken;
  const { token } = ownerOnly(
    file,
    ensureSecretFile(file, () => randomBytes(32).toString('hex')),
  );
  registerSecret(token);
  return token;
}

/** The header `taskhooks dashboard` sends the dashboard token in. */
export const LINK_TOKEN_HEADER = 'x-taskhooks-dashboard-token';

/** The dashboard's link secret ($TASKHOOKS_HOME/dashboard-token), created on first use. */
export function ensureDashboardToken(home: string): string {
  const { token } = ensureSecretFile(homeFiles(home).dashboardToken, () => randomBytes(32).toString('hex'));
  registerSecret(token);
  return token;
}

/**
 * A new served-hooks secret in place of the old one, which hooks installed before may have handed to another process:
 * from now on only hooks written by a later `taskhooks install` are answered.
 */
export function rotateHookToken(home: string): string {
  const token = randomBytes(32).toString('hex');
  registerSecret(token);
  writeFileAtomic(homeFiles(home).hookToken, `${token}\n`, 0o600);
  return token;
}

/**
 * The store server's bearer ($TASKHOOKS_HOME/store-token), created on first use: the task tools' credential a session
 * sends, good for the store server's port only (the hook token is good for the hook port only).
 */
export function ensureStoreToken(home: string): string {
  const file = homeFiles(home).storeToken;
  const { token } = ownerOnly(file, ensureSecretFile(file, newServerToken));
  registerSecret(token);
  return token;
}

/** A new store-server bearer in place of the old one, when the store server's port moved. */
export function rotateStoreToken(home: string): string {
  const token = newServerToken();
  registerSecret(token);
  writeFileAtomic(homeFiles(home).storeToken, `${token}\n`, 0o600);
  return token;
}

/** A new bearer token for the task server: the lasting one below, or the monitor's store server's for one run. */
export function newServerToken(): string {
  return `th_${randomBytes(32).toString('base64url')}`;
}

/** The server's own bearer token ($TASKHOOKS_HOME/server-token), created on first use. */
export function ensureServerToken(home: string): { token: string; file: string; created: boolean } {
  const file = homeFiles(home).serverToken;
  const secret = ownerOnly(file, ensureSecretFile(file, newServerToken));
  registerSecret(secret.token);
  return { ...secret, file };
}

/**
 * The key that hashes environment values into the config cache's keys ($TASKHOOKS_HOME/config-cache.key), created
 * on first use: without it, a hash of a short or guessable secret could be tried against the cache file.
 */
export function ensureConfigCacheKey(home: string): string {
  return ensureSecretFile(homeFiles(home).configCacheKey, () => randomBytes(32).toString('hex')).token;
}
