// Where the monitor's store server serves the embedded store: written by the monitor, read by every task-source
// opener.
import { rmSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { homeFiles } from './files.js';
import { readLiveOwner } from './lock.js';

export interface StoreServerEndpoint {
  url: string;
  /** A token made for this monitor's life only: a file left behind by a killed monitor opens nothing later. */
  token: string;
  /** The monitor serving it. */
  pid: number;
}

/** Publishes the endpoint (0600: it carries the server's token). */
export function writeStoreServerEndpoint(home: string, endpoint: StoreServerEndpoint): void {
  writeFileAtomic(homeFiles(home).storeServer, JSON.stringify(endpoint), 0o600);
}

/** Withdraws it, when the monitor that published it stops. */
export function removeStoreServerEndpoint(home: string): void {
  rmSync(homeFiles(home).storeServer, { force: true });
}

/**
 * The published endpoint, while the monitor that wrote it still runs; undefined when none is. A monitor killed with
 * SIGKILL leaves its file: whoever takes its port next must not be sent the token. Throws, naming the file, when it is
 * damaged.
 */
export function readStoreServerEndpoint(home: string): StoreServerEndpoint | undefined {
  const file = homeFiles(home).storeServer;
  let parsed: { url?: unknown; token?: unknown; pid?: unknown };
  try {
    parsed = JSON.parse(readTextCapped(file, SMALL_MAX_BYTES)) as typeof parsed;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} is unreadable: ${(err as Error).message}`);
  }
  const { url, token, pid } = parsed;
  if (typeof url !== 'string' || typeof token !== 'string' || typeof pid !== 'number')
    throw new Error(`${file} has no url, token and pid`);
  return readLiveOwner(home)?.pid === pid ? { url, token, pid } : undefined;
}
