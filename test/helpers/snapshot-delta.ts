// What the snapshot-delta tests of each reader share: a real task server on 127.0.0.1 over a store, a cache, a
// logger that tells a delta from a whole read, the check that a patched snapshot equals the list read whole, and
// the two engines to run it on.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../src/cache/cache.js';
import type { Logger } from '../../src/log/logger.js';
import { snapshotFrom } from '../../src/network/index.js';
import { openTaskDb, sqliteStore, startHttpServer, type TaskStore } from '../../src/server/index.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import type { TaskSource } from '../../src/sources/source.js';
import type { Scope } from '../../src/tasks/scope.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { recordingLogger, silentLogger } from './cache.js';
import { postgresForFile } from './postgres.js';

export interface DeltaRig {
  url: string;
  token: string;
  home: string;
  cache: Cache;
  log: Logger;
  /** Every line logged through `log`, in order. */
  lines: string[];
  close(): Promise<void>;
}

/** The task server over `served` with a full-access token, and a fresh home, cache and recording logger. */
export async function startDeltaRig(served: TaskStore): Promise<DeltaRig> {
  const token = 'snapshot-delta-token-0123456789abcdefgh';
  const home = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-snapshot-delta-'));
  const server = await startHttpServer({
    store: served,
    log: silentLogger(),
    auth: { tokens: [{ principal: 'test', token, tools: ['*'] }] },
    rateLimitPerMinute: 100_000,
  });
  const cache = openCache({ home });
  const lines: string[] = [];
  return {
    url: server.url,
    token,
    home,
    cache,
    log: recordingLogger(lines),
    lines,
    close: async () => {
      await server.close();
      cache.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The first snapshot of `scope`, read whole: it must carry a cursor for the rounds after it to be deltas. */
export async function firstSnapshot(source: TaskSource, rig: DeltaRig, sourceKey: string, scope: Scope): Promise<void> {
  const snapshot = await snapshotFrom(source, {
    sourceKey,
    cache: rig.cache,
    log: rig.log,
    scope,
    deadline: deadlineIn(30_000),
  });
  expect(snapshot.cursor, 'the whole read gave a cursor').toBeDefined();
}

/**
 * One round: the snapshot brought up to date through `snapshotFrom` was a delta (and nothing else was logged), and
 * it holds the same tasks (order and fields), the same next task and the same sequence as the list read whole now.
 */
export async function expectDeltaEqualsWhole(
  source: TaskSource,
  rig: DeltaRig,
  sourceKey: string,
  scope: Scope,
  label: string,
): Promise<void> {
  const before = rig.lines.length;
  const args = { sourceKey, cache: rig.cache, log: rig.log, scope, deadline: deadlineIn(30_000) };
  const patched = await snapshotFrom(source, args);
  expect(rig.lines.slice(before), label).toEqual(['delta applied']);
  const whole = await source.pending(scope, { deadline: deadlineIn(30_000) });
  const next = await source.next(scope, { deadline: deadlineIn(30_000) });
  expect(patched.tasks, label).toEqual(whole.tasks);
  expect(patched.next, label).toEqual(next);
  expect(patched.cursor?.sequence, label).toBe(whole.cursor?.sequence);
}

/** `served` behind the server, `writer` written to: the same store, or another connection to the same database. */
export type DeltaCheck = (served: TaskStore, writer: TaskStore, seed: number) => Promise<void>;

const SEEDS = [1, 2, 3, 42];

/** Runs `check` for each seed on SQLite, and on PostgreSQL with two stores on one database. */
export function onBothEngines(check: DeltaCheck): void {
  it('on SQLite', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-snapshot-delta-db-'));
    const db = openTaskDb(path.join(dir, 'tasks.db'));
    try {
      const store = sqliteStore(db);
      for (const seed of SEEDS) await check(store, store, seed);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('on PostgreSQL', () => {
    const pg = postgresForFile();

    it('with two stores on one database: writes through one, read through the other', async () => {
      const url = await pg.createDatabase();
      const served = await openPostgresStore({ connectionString: url });
      const writer = await openPostgresStore({ connectionString: url, maxConnections: 2 });
      try {
        for (const seed of SEEDS) await check(served, writer, seed);
      } finally {
        await served.close();
        await writer.close();
      }
    });
  });
}
