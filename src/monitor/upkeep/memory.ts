// What a job allocated, and a compacting collection after one that allocated megabytes. A fetch round's parsed payloads
// die as it ends, but V8 keeps the pages they filled committed (and resident) until its memory reducer runs, which a
// monitor woken every few seconds may put off for good. One full collection that also compacts moves what lives onto
// few pages and hands the others back at once. Measured with `npm run bench monitor` (docs/speed.md).
import { PerformanceObserver } from 'node:perf_hooks';

export interface JobMemory {
  /**
   * About how many bytes the V8 heap took for this job: what it holds now more than at its start, plus one young
   * generation (MONITOR_NODE_FLAGS caps it at 1 MiB) for each collection V8 made meanwhile.
   */
  allocatedBytes: number;
  /** Whether the job allocated enough to be collected after, and a collector was there to do it. */
  collected: boolean;
}

export interface MemoryKeeperOptions {
  /** Allocation in one job that makes a collection worth its cost (tens of ms). Default 16 MiB. */
  thresholdBytes?: number;
  /** A full collection: `globalThis.gc` when node runs with --expose-gc (MONITOR_NODE_FLAGS), else nothing is done. */
  gc?: (() => void) | undefined;
}

export interface MemoryKeeper {
  /** Starts counting what the next job allocates. */
  beforeJob(): void;
  /** Stops counting, collects when the job allocated past the threshold, and says what it found. */
  afterJob(): JobMemory;
  /** Stops watching V8's collections. */
  close(): void;
}

/** The process's memory in MiB, one decimal: what the monitor's log lines carry. */
export interface MemoryMiB {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** C++ objects tied to JavaScript ones (buffers among them), outside the heap. */
  external: number;
  arrayBuffers: number;
}

export const mib = (bytes: number): number => Math.round(bytes / 104857.6) / 10;

export function memoryMiB(): MemoryMiB {
  const m = process.memoryUsage();
  return {
    rss: mib(m.rss),
    heapUsed: mib(m.heapUsed),
    heapTotal: mib(m.heapTotal),
    external: mib(m.external),
    arrayBuffers: mib(m.arrayBuffers),
  };
}

const DEFAULT_THRESHOLD_BYTES = 16 * 1024 * 1024;
/** The young generation's size under MONITOR_NODE_FLAGS (--max-semi-space-size=1): about what fills between two scavenges. */
const YOUNG_GENERATION_BYTES = 1024 * 1024;

/** One full collection that compacts every space, whatever V8's heuristics say about fragmentation. */
function compactingCollection(gc: () => void): void {
  // node:v8 at first use: an idle monitor never compacts, and the module (with the heap utilities it loads) stays out.
  const v8 = process.getBuiltinModule('node:v8');
  // Only this collection compacts: with the flag on for good, V8's own collections in the middle of a round compacted
  // too and took the peak from 89 to 103 MB. The flag is read when a collection starts, so setting it between two
  // collections is safe.
  v8.setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

export function createMemoryKeeper(opts: MemoryKeeperOptions = {}): MemoryKeeper {
  const threshold = opts.thresholdBytes ?? DEFAULT_THRESHOLD_BYTES;
  const gc = opts.gc;
  // Counting collections, not measuring them: v8.GCProfiler would give exact sizes, but the statistics it gathers on
  // every collection of a round kept about 5 MB more resident after it.
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  let usedAtStart = 0;
  let collectionsAtStart = 0;
  return {
    beforeJob() {
      usedAtStart = process.memoryUsage().heapUsed;
      collectionsAtStart = collections;
    },
    afterJob() {
      const grown = Math.max(0, process.memoryUsage().heapUsed - usedAtStart);
      const allocatedBytes = grown + (collections - collectionsAtStart) * YOUNG_GENERATION_BYTES;
      if (!gc || allocatedBytes < threshold) return { allocatedBytes, collected: false };
      compactingCollection(gc);
      return { allocatedBytes, collected: true };
    },
    close: () => observer.disconnect(),
  };
}
