// What doctor says of an upgrade it finds: a state file a newer build moved to its schema lately, so a person who just
// upgraded reads that it happened, when, and where the copy from before is.
import path from 'node:path';
import type { Db } from '../sqlite/index.js';
import { lastUpgrade } from '../sqlite/index.js';
import { formatAge } from '../util/age.js';

/** An upgrade older than this is old news: doctor no longer mentions it. */
const RECENT_MS = 7 * 24 * 3600_000;

/** One line for `file`'s last upgrade when it was recent, else undefined; `before` says where its old copy is. */
export function upgradeLine(db: Db, file: string, before: string, now = Date.now()): string | undefined {
  const upgrade = lastUpgrade(db);
  if (!upgrade || now - upgrade.at > RECENT_MS) return undefined;
  return `upgraded: ${path.basename(file)} moved from schema ${upgrade.from} to ${upgrade.to} ${formatAge(Math.max(0, now - upgrade.at))} ago, by the first run of this taskhooks; ${before}`;
}
