// A team store's PostgreSQL URL: checked before anything connects, its password registered with the log scrubber,
// and shown only without it.
import path from 'node:path';
import { registerSecret } from '../log/redact.js';
import { inHomeFolder, type Reader, readerNow, shownPath } from '../util/shown.js';

export interface DatabaseUrl {
  /** The URL as given, for the driver only. */
  connectionString: string;
  /** The URL without its password, for messages. */
  shown: string;
}

/**
 * Where the PostgreSQL driver reads passwords, as the reader names it: `~/.pgpass`, on Windows
 * `%APPDATA%\postgresql\pgpass.conf` (node-postgres's pgpass reads that, as libpq does); `$PGPASSFILE` where set.
 */
export function pgpassShown(reader: Reader = readerNow()): string {
  const given = reader.env.PGPASSFILE?.trim();
  if (given) return shownPath(given, reader);
  if (reader.platform !== 'win32') return inHomeFolder(['.pgpass'], reader);
  const roaming = reader.env.APPDATA?.trim() || path.win32.join(reader.homedir, 'AppData', 'Roaming');
  return shownPath(path.win32.join(roaming, 'postgresql', 'pgpass.conf'), reader);
}

/** Parses a `postgres://` URL; a problem is one line that never repeats the password. */
export function parseDatabaseUrl(raw: string, from: string): DatabaseUrl | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return {
      problem: `${from} is not a URL: give postgres://USER@HOST:5432/DATABASE (the password in PGPASSWORD or ${pgpassShown()})`,
    };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return {
      problem: `${from} must be a postgres:// URL, not ${url.protocol}//…: give postgres://USER@HOST:5432/DATABASE`,
    };
  }
  if (!url.hostname || url.pathname.replace(/^\//, '') === '') {
    return { problem: `${from} needs a host and a database name: postgres://USER@HOST:5432/DATABASE` };
  }
  if (url.password) {
    registerSecret(raw);
    registerSecret(url.password);
    registerSecret(decodeURIComponent(url.password));
  }
  const shown = new URL(raw);
  shown.password = '';
  return { connectionString: raw, shown: shown.href };
}
