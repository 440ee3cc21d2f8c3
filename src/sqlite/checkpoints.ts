// Folding a long-lived server's write-ahead logs off its thread. A connection opened with autoCheckpoint off (the
// monitor's) never folds the log inside a commit, where it copied whatever others had left there (a 400 MB log took
// seconds) while every hook waited. Something must still fold it, or the log grows without end: a short-lived node
// process, started only when a log has grown and been written to, with connections of its own, running PASSIVE checkpoints
// that neither wait for nor block any reader or writer. A process, not a worker thread: better-sqlite3 can crash the
// whole process as a worker that used it exits, and a worker kept for good would hold its memory for good.
import { createRequire } from 'node:module';
import type { Logger } from '../log/logger.js';
import { childProcess } from '../util/child-process.js';
import { statSync } from 'node:fs';
import { sqliteDriver } from './driver.js';
import { nativeBinding } from './native.js';

/** About SQLite's own point for a commit's fold (`wal_autocheckpoint`'s 1,000 pages). */
export const FOLD_BYTES = 4 * 1024 * 1024;
/**
 * How often the logs are looked at (a stat per file). A minute: an idle monitor wakes for nothing more often, and the
 * other writers' own commits still fold a log that grows between looks.
 */
const LOOK_EVERY_MS = 60_000;
/** A fold that takes longer than this is ended; the next look starts another, from where SQLite left off. */
const FOLD_TIMEOUT_MS = 120_000;

/** What one fold did, as `PRAGMA wal_checkpoint` says, or why it failed. */
export type FoldResult =
  | { file: string; busy: number; log: number; checkpointed: number; ms: number; inFlight: boolean }
  | { file: string; error: string };

// The child's program, plain JavaScript. It loads the parent's SQLite library (better-sqlite3 from the path the parent
// found, or node:sqlite), then opens each file, folds as much of its log as no reader still needs, and closes it. The
// parent's connections stay open, so this close does not fold anything further.
// inFlight: the frame after the last commit carries the log's current salts, so a transaction is still writing or
// syncing it. Its last write can predate this fold, so the log's time alone would never say it is due again.
const FOLDER = `
const { driver, sqlite, binding, files } = JSON.parse(process.argv[1]);
const fs = require('node:fs');
const inFlight = (file, log, pageSize) => {
  const fd = fs.openSync(file + '-wal', 'r');
  try {
    const header = Buffer.alloc(32);
    const frame = Buffer.alloc(24);
    if (fs.readSync(fd, header, 0, 32, 0) < 32) return false;
    if (fs.readSync(fd, frame, 0, 24, 32 + log * (24 + pageSize)) < 24) return false;
    return frame.readUInt32BE(8) === header.readUInt32BE(16) && frame.readUInt32BE(12) === header.readUInt32BE(20);
  } finally {
    fs.closeSync(fd);
  }
};
const open = driver === 'node'
  ? (file) => {
      if (!require('node:fs').existsSync(file)) throw new Error('unable to open database file: ' + file);
      return new (process.getBuiltinModule('node:sqlite').DatabaseSync)(file, { timeout: 0 });
    }
  : (file) => new (require(sqlite))(file, { fileMustExist: true, timeout: 0, ...(binding ? { nativeBinding: binding } : {}) });
process.stdout.write(JSON.stringify(files.map((file) => {
  let db;
  try {
    const started = Date.now();
    db = open(file);
    db.exec('PRAGMA wal_autocheckpoint = 0');
    const row = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get();
    const pageSize = db.prepare('PRAGMA page_size').get().page_size;
    const ms = Date.now() - started;
    db.close();
    db = undefined;
    return { file, busy: row.busy, log: row.log, checkpointed: row.checkpointed, ms, inFlight: inFlight(file, row.log, pageSize) };
  } catch (err) {
    return { file, error: err instanceof Error ? err.message : String(err) };
  } finally {
    if (db) db.close();
  }
})));
`;

/** What the child needs to load the library this process uses. */
function childDriver(): { driver: string; sqlite?: string; binding?: string } {
  const driver = sqliteDriver();
  if ('problem' in driver) throw driver.problem;
  if (driver.name === 'node') return { driver: driver.name };
  return {
    driver: driver.name,
    sqlite: createRequire(import.meta.url).resolve('better-sqlite3'),
    binding: nativeBinding(),
  };
}

/** Folds `files` in a child process (no environment of ours, so no secret); resolves with what each fold did. */
export function foldInChild(files: readonly string[]): Promise<FoldResult[]> {
  let args: string;
  try {
    args = JSON.stringify({ files, ...childDriver() });
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    childProcess().execFile(
      process.execPath,
      // node:sqlite's one experimental warning (Node 22) is not this process's business.
      ['--disable-warning=ExperimentalWarning', '-e', FOLDER, args],
      { env: {}, timeout: FOLD_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
      (err, stdout) => {
        if (err) return reject(err);
        try {
          resolve(JSON.parse(stdout) as FoldResult[]);
        } catch (parseErr) {
          reject(parseErr);
        }
      },
    );
  });
}

/**
 * Whether nothing is left for a later look without a new write. Frames past the last commit that a rollback left
 * behind also look in flight: after a fold's timeout the log is taken as settled, not looked at for good.
 */
function foldedInFull(r: FoldResult): boolean {
  if ('error' in r) return false;
  if (r.busy !== 0 || r.checkpointed < r.log) return false;
  if (!r.inFlight) return true;
  const written = statSync(`${r.file}-wal`, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return Date.now() - written > FOLD_TIMEOUT_MS;
}

/**
 * The files whose log holds `minBytes` or more and was written to since its last fold, each marked in `foldedAt` as
 * folded now. A log's own modification time is kept, not Date.now(), which drops the fraction of a millisecond a
 * file's time keeps: a write just before a fold looked later than it.
 */
function dueLogs(files: readonly string[], foldedAt: Map<string, number>, minBytes: number): string[] {
  const due: string[] = [];
  for (const file of files) {
    const wal = statSync(`${file}-wal`, { throwIfNoEntry: false });
    const last = foldedAt.get(file);
    if (wal === undefined || wal.size < minBytes || (last !== undefined && wal.mtimeMs <= last)) continue;
    foldedAt.set(file, wal.mtimeMs);
    due.push(file);
  }
  return due;
}

export interface BackgroundFolds {
  /** Looks at the logs now and folds what holds enough: what the loop does every few seconds. */
  foldNow(): Promise<FoldResult[]>;
  /** Stops looking and waits for a fold in flight. */
  close(): Promise<void>;
}

/**
 * Every few seconds, folds off the thread the logs of `files` of `minBytes` or more written to since the last fold;
 * failures are logged. Only stat is used to look: a process that holds a database open must never open and close its
 * -shm (or the file) by other means, since closing any descriptor of a file drops every POSIX lock the process holds
 * on it, SQLite's included; another process then took it for unused, rebuilt the -shm under the monitor's mapping of
 * it, and the monitor died of SIGBUS.
 */
export function foldInBackground(opts: {
  files: () => readonly string[];
  log: Logger;
  minBytes?: number;
  everyMs?: number;
}): BackgroundFolds {
  const { log, minBytes = FOLD_BYTES } = opts;
  let running: Promise<FoldResult[]> | undefined;
  /** Each log's modification time when its last fold began (see dueLogs). */
  const foldedAt = new Map<string, number>();
  const foldNow = (): Promise<FoldResult[]> => {
    if (running) return running;
    const files = dueLogs(opts.files(), foldedAt, minBytes);
    if (files.length === 0) return Promise.resolve([]);
    running = foldInChild(files)
      .then(
        (results) => {
          // A fold a reader held back, one that failed, or one that met a commit still being synced is tried again at
          // the next look even if nothing is written to the log meanwhile: otherwise the frames left stay there until
          // the next write.
          for (const r of results) if (!foldedInFull(r)) foldedAt.delete(r.file);
          for (const r of results)
            if ('error' in r)
              log.warn({ file: r.file, error: r.error }, 'write-ahead log not folded; the next look tries again');
            else log.debug(r, 'write-ahead log folded by a child process');
          return results;
        },
        (err: unknown) => {
          log.warn(
            { err, files },
            'write-ahead logs not folded: the folding process failed; the next look tries again',
          );
          return [];
        },
      )
      .finally(() => (running = undefined));
    return running;
  };
  // TASKHOOKS_FOLD_LOOK_MS: a test that cannot wait a minute for the monitor's look.
  const every = opts.everyMs ?? (Number(process.env.TASKHOOKS_FOLD_LOOK_MS) || LOOK_EVERY_MS);
  const timer = setInterval(() => void foldNow(), every);
  timer.unref();
  return {
    foldNow,
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
