// Eight processes write and read one cache database while a ninth runs cleanupExpired in a loop.
import { rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { cacheStats, kvGet } from '../../src/cache/kv.js';
import { bundleFixture, runNode, tempDir } from '../foundation/helpers.js';

const WRITERS = 8;
const OPS = 200;
let worker: string;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  worker = await bundleFixture(path.join(import.meta.dirname, '../foundation/fixtures/store-worker.ts'));
  tmp = tempDir();
});
afterAll(() => {
  rmSync(worker, { force: true });
  tmp.remove();
});

interface WriterReport {
  id: number;
  written: number;
  reads: number;
  errors: Record<string, number>;
  problems: string[];
  problemCount: number;
}

const waitFor = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 3000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

it('8 writers × 200 ops and a cleaner: no SQLITE_BUSY, every read consistent', async () => {
  const dir = tmp.dir;
  const cleaner = runNode([worker, 'cleaner', dir, '0', '0', String(WRITERS)]);
  const writers = Array.from({ length: WRITERS }, (_, id) =>
    runNode([worker, 'writer', dir, String(id), String(OPS), String(WRITERS)]),
  );
  // Everyone opens the brand-new file at once (racing the migration), then starts together.
  await waitFor(
    () =>
      existsSync(path.join(dir, 'ready-cleaner-0')) &&
      Array.from({ length: WRITERS }, (_, id) => existsSync(path.join(dir, `ready-writer-${id}`))).every(Boolean),
  );
  writeFileSync(path.join(dir, 'go'), '');
  const results = await Promise.all(writers);
  writeFileSync(path.join(dir, 'stop'), '');
  const cleanerResult = await cleaner;

  for (const r of [...results, cleanerResult]) expect(r.status, r.stderr).toBe(0);
  const reports = results.map((r) => JSON.parse(r.stdout) as WriterReport);
  for (const rep of reports) {
    expect(rep.errors, `writer ${rep.id}`).toEqual({});
    expect(rep.problems, `writer ${rep.id}`).toEqual([]);
    expect(rep.written).toBe(OPS - 2);
    expect(rep.reads).toBe(OPS / 2);
  }
  const cl = JSON.parse(cleanerResult.stdout) as { rounds: number; removed: number; errors: Record<string, number> };
  expect(cl.errors).toEqual({});
  expect(cl.rounds).toBeGreaterThan(0);

  const cache = openCache({ home: dir });
  try {
    for (let id = 0; id < WRITERS; id++) expect(kvGet(cache, `counter:${id}`)).toBe(OPS - 2);
    // Every litter entry expired on arrival: the cleaner's count plus what is left is all of them.
    const { entries, expired } = cacheStats(cache);
    expect(entries - expired).toBe(WRITERS * 5);
    expect(cl.removed + expired).toBe((WRITERS * OPS) / 2);
  } finally {
    cache.close();
  }
});
