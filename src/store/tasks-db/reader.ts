// tasks.db as it is, for a command that only reads it: opened read-only, with none of the checks, migrations, backups
// or change tracking of an open for writing (index.ts), and the same queries. A store that needs any of those (missing,
// at another schema version, damaged) is the full open's to handle: this answers undefined or throws.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { existingVersion, lostWalFrames, readCopy, type Db } from '../../sqlite/index.js';
import type { Connection } from '../connection.js';
import { projectsAndBranches } from '../projects.js';
import { TASK_DB_MIGRATIONS } from '../schema.js';
import { taskQueries } from '../task-queries.js';
import { tasksAndDependencies } from '../tasks.js';
import type { TaskDb } from '../types.js';
import { workRecords } from '../work-records.js';

export type StoreReads = Pick<
  TaskDb,
  | 'listProjects'
  | 'listBranches'
  | 'getBranch'
  | 'listTasks'
  | 'nextTask'
  | 'getTask'
  | 'listNotes'
  | 'listWorkRecords'
  | 'recentWorkRecords'
>;

/** A connection whose every write is refused: the store's read queries run on it unchanged. */
function readOnly(file: string, db: Db): Connection {
  const refuse = (): never => {
    throw new Error(`${file} is open read-only here`);
  };
  return {
    file,
    db,
    recovered: undefined,
    statement: (sql) => db.prepare(sql),
    write: refuse,
    begin: refuse,
    generation: refuse,
    changed: refuse,
    onChange: () => () => undefined,
    guard: (op) => op,
    close: () => db.close(),
  };
}

/** Stores this process holds open (the monitor's), by file: read through them rather than opened again. */
const heldOpen = new Map<string, TaskDb>();

/**
 * Has `readStore` read `store`'s file through `store` until the returned release: a connection of its own cost the
 * monitor a file open and a parse of the schema at each session start and each refresh of the built-in store.
 */
export function readThrough(store: TaskDb): () => void {
  const file = path.resolve(store.file);
  heldOpen.set(file, store);
  return () => {
    if (heldOpen.get(file) === store) heldOpen.delete(file);
  };
}

/**
 * `fn` on an open store in one read transaction, after its guard reopened a replaced file; undefined while a write
 * of this process is open on it, whose rows are not the store's until it commits.
 */
function readHeld<T>(store: TaskDb, fn: (reads: StoreReads) => T): { value: T } | undefined {
  if (store.db.inTransaction) return undefined;
  // Any operation of the store runs its guard first, which the reads inside a transaction skip.
  store.generation();
  return { value: store.db.transaction(() => fn(store))() };
}

/**
 * Runs `fn` on the reads of the store at `file`, in one read transaction (one moment of the store); undefined, with
 * nothing read, when there is no file, its schema is not this version's, or its write-ahead log was lost (opening it
 * would hide the loss, which the full open detects and restores from a backup).
 */
export function readStore<T>(file: string, fn: (reads: StoreReads) => T): T | undefined {
  const held = heldOpen.get(path.resolve(file));
  const read = held && readHeld(held, fn);
  if (read) return read.value;
  if (!existsSync(file) || lostWalFrames(file) > 0) return undefined;
  return readCopy(file, (db) => {
    if (existingVersion(db) !== TASK_DB_MIGRATIONS.length) return undefined;
    const c = readOnly(file, db);
    const { listProjects, listBranches, getBranch } = projectsAndBranches(c);
    const { listTasks, nextTask } = taskQueries(c);
    const { getTask, listNotes } = tasksAndDependencies(c);
    const { listWorkRecords, recentWorkRecords } = workRecords(c);
    const reads = {
      listProjects,
      listBranches,
      getBranch,
      listTasks,
      nextTask,
      getTask,
      listNotes,
      listWorkRecords,
      recentWorkRecords,
    };
    return db.transaction(() => fn(reads))();
  });
}
