// Folding a long-lived server's write-ahead logs off its thread. A connection opened with autoCheckpoint off (the
// monitor's) never folds the log inside a commit, where it copied whatever others had left there (a 400 MB log took
// seconds) while every hook waited. Something must still fold it, or the log grows without end: a worker thread, started
// only when a log holds enough to fold, with connections of its own, running PASSIVE checkpoints that neither wait
// for nor block any reader or writer.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log/logger.js';
import { nativeBinding } from './native.js';
import { unfoldedWalFrames } from './wal.js';

/** SQLite's own point for a commit's fold (`wal_autocheckpoint`'s default): about 4 MB of pages. */
export const FOLD_FRAMES = 1000;
/** How often the logs are looked at: a read of 100 bytes per file. */
const LOOK_EVERY_MS = 5_000;

/** What one fold did, as `PRAGMA wal_checkpoint` says, or why it failed. */
export type FoldResult =
  | { file: string; busy: number; log: number; checkpointed: number; ms: number }
  | { file: string; error: string };

// Plain JavaScript run by the worker: better-sqlite3 loaded from the path the monitor found, each file opened, folded
// as far as no reader needs otherwise, and closed (the monitor's connections stay, so closing folds nothing more).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
parentPort.postMessage(workerData.files.map((file) => {
  let db;
  try {
    const started = Date.now();
    db = new Database(file, { fileMustExist: true, timeout: 0, ...(workerData.binding ? { nativeBinding: workerData.binding } : {}) });
    db.pragma('wal_autocheckpoint = 0');
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    return { file, busy: row.busy, log: row.log, checkpointed: row.checkpointed, ms: Date.now() - started };
  } catch (err) {
    return { file, error: err instanceof Error ? err.message : String(err) };
  } finally {
    if (db) db.close();
  }
}));
`;

/** Folds `files` on a worker thread; resolves with what each fold did. */
export function foldOffThread(files: readonly string[]): Promise<FoldResult[]> {
  const binding = nativeBinding();
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { files, sqlite, binding } });
    let results: FoldResult[] | undefined;
    worker.once('message', (r: FoldResult[]) => (results = r));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      results ? resolve(results) : reject(new Error(`the fold worker exited ${code} with no answer`)),
    );
  });
}

export interface BackgroundFolds {
  /** Looks at the logs now and folds what holds enough: what the loop does every few seconds. */
  foldNow(): Promise<FoldResult[]>;
  /** Stops looking and waits for a fold in flight. */
  close(): Promise<void>;
}

/** Every few seconds, folds the logs of `files` that hold `minFrames` or more off the thread; failures are logged. */
export function foldInBackground(opts: {
  files: () => readonly string[];
  log: Logger;
  minFrames?: number;
  everyMs?: number;
}): BackgroundFolds {
  const { log, minFrames = FOLD_FRAMES } = opts;
  let running: Promise<FoldResult[]> | undefined;
  const foldNow = (): Promise<FoldResult[]> => {
    if (running) return running;
    const due = opts.files().filter((f) => unfoldedWalFrames(f) >= minFrames);
    if (due.length === 0) return Promise.resolve([]);
    running = foldOffThread(due)
      .then(
        (results) => {
          for (const r of results)
            if ('error' in r)
              log.warn({ file: r.file, error: r.error }, 'write-ahead log not folded; the next look tries again');
            else log.debug(r, 'write-ahead log folded off the thread');
          return results;
        },
        (err: unknown) => {
          log.warn({ err, files: due }, 'write-ahead logs not folded: the worker failed; the next look tries again');
          return [];
        },
      )
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void foldNow(), opts.everyMs ?? LOOK_EVERY_MS);
  timer.unref();
  return {
    foldNow,
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
