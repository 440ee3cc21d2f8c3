// Where the monitor serves the embedded task server: written by the monitor, read by every task-source opener.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { homeFiles } from './files.js';

export interface EmbeddedEndpoint {
  url: string;
  token: string;
}

/** Publishes the endpoint (0600: it carries the server's token). */
export function writeEmbeddedEndpoint(home: string, endpoint: EmbeddedEndpoint): void {
  writeFileAtomic(homeFiles(home).embedded, JSON.stringify(endpoint), 0o600);
}

/** The published endpoint; undefined when none is (no monitor serves it). Throws, naming the file, when it is damaged. */
export function readEmbeddedEndpoint(home: string): EmbeddedEndpoint | undefined {
  const file = homeFiles(home).embedded;
  let parsed: { url?: unknown; token?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { url?: unknown; token?: unknown };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} is unreadable: ${(err as Error).message}`);
  }
  if (typeof parsed.url === 'string' && typeof parsed.token === 'string') return { url: parsed.url, token: parsed.token };
  throw new Error(`${file} has no url and token`);
}
