// The monitor's snapshot kept by deltas, on either engine: a real task server on 127.0.0.1 over the store, the
// agenthub reader and the cache. After rounds of random adds, updates, deletes, claims, releases and moves between
// branches, the snapshot patched from `list since` its cursor holds the same tasks (same order, same fields) and the
// same next task as the list read whole at that moment, and every patch after the first read was a delta.
import { expect } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import type { Logger } from '../../src/log/logger.js';
import { snapshotFrom } from '../../src/network/index.js';
import type { TaskStore } from '../../src/server/index.js';
import { deadlineIn } from '../../src/util/deadline.js';
import { silentLogger } from '../helpers/cache.js';
import { onBothEngines, servedSource } from '../helpers/engines.js';
import { prng, randomWrite } from '../server/store-delta.js';

const ROUNDS = 8;

/** A logger that keeps each line's message, to tell the deltas from the whole reads. */
function recordingLogger(lines: string[]): Logger {
  const base = silentLogger();
  const keep = ((obj: unknown, msg?: string) => {
    lines.push(typeof obj === 'string' ? obj : (msg ?? ''));
  }) as Logger['info'];
  return { ...base, debug: keep, info: keep, warn: keep, error: keep, child: () => recordingLogger(lines) };
}

/** `served` behind the server, `store` written to (another connection to the same database, or the same store). */
async function checkSnapshotDeltas(served: TaskStore, store: TaskStore, seed: number): Promise<void> {
  const lines: string[] = [];
  const log = recordingLogger(lines);
  const { home, cache, settings, source, close } = await servedSource(served, log);
  try {
    const { project } = await store.getOrCreateProject({ name: `shop-${seed}` });
    const main = await store.createBranch({ projectId: project.id, name: 'main' });
    const feature = await store.createBranch({ projectId: project.id, name: 'feature' });
    const rand = prng(seed);
    for (let i = 0; i < 5; i++) await randomWrite(store, rand, project.id, [main.id, feature.id]);
    const scope = { projectRoot: home, project: project.name, branch: 'main' };
    const args = { sourceKey: settings.key, cache, log, scope, deadline: deadlineIn(30_000) };
    await snapshotFrom(source, args);
    expect(readSnapshot(cache, { sourceKey: settings.key, ...scope })?.cursor).toBeDefined();
    for (let round = 0; round < ROUNDS; round++) {
      const writes = 1 + Math.floor(rand() * 10);
      for (let i = 0; i < writes; i++) await randomWrite(store, rand, project.id, [main.id, feature.id]);
      const before = lines.length;
      const patched = await snapshotFrom(source, { ...args, deadline: deadlineIn(30_000) });
      expect(lines.slice(before), `seed ${seed}, round ${round}`).toEqual(['delta applied']);
      const whole = await source.pending(scope, { deadline: deadlineIn(30_000) });
      const next = await source.next(scope, { deadline: deadlineIn(30_000) });
      expect(patched.tasks, `seed ${seed}, round ${round}`).toEqual(whole.tasks);
      expect(patched.next, `seed ${seed}, round ${round}`).toEqual(next);
      expect(patched.cursor?.sequence).toBe(whole.cursor?.sequence);
    }
  } finally {
    await close();
  }
}

onBothEngines('a snapshot kept by deltas equals the list read whole', checkSnapshotDeltas);
