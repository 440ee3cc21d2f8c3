// The last answer of each conditional GET with its ETag, so a repeated read sends `If-None-Match` and a 304 brings
// back the answer kept here: nothing downloaded, no rate limit spent. Keyed by the credential's identity too (a hash,
// never the secret), since two people asking the same URL get different answers. A body is kept scrubbed, as task
// text is: a tracker that echoes a token in an issue must not leave it in the cache.
import { scrubString } from '../log/redact.js';
import type { Cache } from './cache.js';

export interface EtaggedAnswer {
  etag: string;
  body: string;
  /** The answer's `Link` header: the next page of a list is part of the answer. */
  link: string | null;
}

export interface KeptAnswer extends EtaggedAnswer {
  usedAt: number;
}

/** How long an answer nobody asked for again is kept. */
export const ETAG_KEEP_MS = 7 * 24 * 3600 * 1000;

export function readEtag(cache: Cache, url: string, identity: string): KeptAnswer | undefined {
  return cache.db
    .prepare('SELECT etag, body, link, used_at AS usedAt FROM http_etags WHERE url = ? AND identity = ?')
    .get(url, identity) as KeptAnswer | undefined;
}

export function writeEtag(cache: Cache, url: string, identity: string, answer: EtaggedAnswer, now = Date.now()): void {
  cache.write(() =>
    cache.db
      .prepare(
        `INSERT INTO http_etags (url, identity, etag, body, link, used_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(url, identity) DO UPDATE SET etag = excluded.etag, body = excluded.body, link = excluded.link,
           used_at = excluded.used_at`,
      )
      .run(url, identity, answer.etag, scrubString(answer.body), answer.link, now),
  );
}

/** Marks a kept answer as read again (a 304), so pruning keeps it. */
export function touchEtag(cache: Cache, url: string, identity: string, now = Date.now()): void {
  cache.write(() =>
    cache.db.prepare('UPDATE http_etags SET used_at = ? WHERE url = ? AND identity = ?').run(now, url, identity),
  );
}
