// The embedded default's files: its store, and where the monitor serves it (written by the monitor, read by every
// task-source opener).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface EmbeddedEndpoint {
  url: string;
  token: string;
}

/** The embedded default's task store: what the monitor serves, `taskhooks serve|mcp|tasks` default to. */
export function embeddedDbFile(home: string): string {
  return path.join(home, 'tasks.db');
}

export function embeddedEndpointFile(home: string): string {
  return path.join(home, 'embedded.json');
}

/** Publishes the endpoint (0600: it carries the server's token). */
export function writeEmbeddedEndpoint(home: string, endpoint: EmbeddedEndpoint): void {
  writeFileAtomic(embeddedEndpointFile(home), JSON.stringify(endpoint), 0o600);
}

/** The published endpoint; undefined when none is (no monitor serves it). Throws, naming the file, when it is damaged. */
export function readEmbeddedEndpoint(home: string): EmbeddedEndpoint | undefined {
  const file = embeddedEndpointFile(home);
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
