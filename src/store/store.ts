// The task store as the server's tools, resource, transfer and CLI see it: one asynchronous interface, two engines
// behind it. SQLite (one local file, synchronous underneath) and PostgreSQL (a team's shared database, many processes)
// hold the same data and answer the same calls; each method's meaning is documented once, on TaskDb.
import type { StoreChange } from './connection.js';
import { asRequest, turnOf } from './tasks-db/request-gate.js';
import type { RequestRun } from './requests.js';
import type { TaskDb } from './types.js';

export type { StoreChange } from './connection.js';

/** The operations both engines answer: TaskDb's, minus what only a local SQLite file has (its handle, backups). */
export const STORE_OPERATIONS = [
  'createProject',
  'getOrCreateProject',
  'getProject',
  'listProjects',
  'updateProject',
  'createBranch',
  'getOrCreateBranch',
  'getBranch',
  'findBranch',
  'listBranches',
  'updateBranch',
  'deleteBranch',
  'createTask',
  'createTasks',
  'getTask',
  'taskProjects',
  'updateTask',
  'setStatus',
  'deleteTask',
  'addDependency',
  'removeDependency',
  'listTasks',
  'changeSequence',
  'listingScope',
  'changesSince',
  'nextTask',
  'countTasks',
  'nextId',
  'reserveIds',
  'claimTask',
  'releaseTask',
  'addNote',
  'listNotes',
  'addWorkRecord',
  'listWorkRecords',
  'forgetWorkRecords',
  'recentWorkRecords',
  'exportData',
  'importData',
] as const satisfies readonly (keyof TaskDb)[];

type Operation = (typeof STORE_OPERATIONS)[number];

type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

export type StoreEngine = 'sqlite' | 'postgres';

/** Why a store's change feed does not hear other processes' changes, and what fixes it. */
export interface Unpushed {
  why: string;
  fix: string;
}

export interface TaskStore extends Async<Pick<TaskDb, Operation>> {
  readonly engine: StoreEngine;
  /**
   * Runs `run` as one request in one transaction: the ledger row of `key` taken first (an attempt of the same key
   * elsewhere waits for this one to end), every store call `run` makes joining it, and the answer `run` gives kept
   * with its writes; an undefined answer, a throw or a crash keeps nothing. Runs nothing when an attempt of `key`
   * kept its answer (`done`) or `key` was taken with another `fingerprint` (`other`).
   */
  runRequest(key: string, fingerprint: string, run: () => Promise<string | undefined>): Promise<RequestRun>;
  /**
   * Calls `listener` after every committed task write (its own and, on PostgreSQL, every other process's): the
   * project by name and the ids of the tasks written. It must not throw. Returns the undo.
   */
  subscribeChanges(listener: (change: StoreChange) => void): () => void;
  /** Set when the change feed hears nothing (checked at open): nothing can be pushed, and subscribers are told so. */
  readonly unpushed?: Unpushed | undefined;
  /** Set at open when dependencies the upgrade to per-project ids could not settle were found: the line to show, once. */
  readonly unsettled?: string | undefined;
  close(): Promise<void>;
}

/** The SQLite engine: the local store's synchronous operations, each answered as a settled promise. */
export function sqliteStore(db: TaskDb): TaskStore {
  const ops = Object.fromEntries(
    STORE_OPERATIONS.map((name) => [
      name,
      async (...args: unknown[]) => {
        await turnOf(db.file);
        return (db[name] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as Async<Pick<TaskDb, Operation>>;
  return {
    ...ops,
    engine: 'sqlite',
    runRequest: (key, fingerprint, run) =>
      asRequest(db.file, async () => {
        const took = db.openRequest(key, fingerprint);
        if (took.state !== 'open') return took;
        let answer: string | undefined;
        try {
          answer = await run();
        } catch (err) {
          db.closeRequest(key, undefined);
          throw err;
        }
        db.closeRequest(key, answer);
        return { state: 'ran' };
      }),
    subscribeChanges: (listener) =>
      db.onChange(({ changes }) => {
        for (const change of changes) listener(change);
      }),
    close: async () => db.close(),
  };
}

/**
 * A store opened at its first use: `taskhooks mcp` answers Claude Code's handshake and hook calls without the task
 * store's modules and open (checks, migrations), which only a task tool needs.
 */
export function lazyStore(open: () => Promise<TaskStore>): TaskStore {
  let opened: Promise<TaskStore> | undefined;
  const store = (): Promise<TaskStore> => {
    opened ??= open();
    return opened;
  };
  const ops = Object.fromEntries(
    STORE_OPERATIONS.map((name) => [
      name,
      async (...args: unknown[]) => ((await store())[name] as (...a: unknown[]) => Promise<unknown>)(...args),
    ]),
  ) as unknown as Async<Pick<TaskDb, Operation>>;
  let unsubscribes: Array<() => void> = [];
  return {
    ...ops,
    engine: 'sqlite',
    runRequest: async (key, fingerprint, run) => (await store()).runRequest(key, fingerprint, run),
    subscribeChanges: (listener) => {
      // The feed starts once the store is open; the undo works before that too.
      let undo: (() => void) | undefined;
      let cancelled = false;
      void store().then((s) => {
        if (!cancelled) undo = s.subscribeChanges(listener);
      });
      const off = (): void => {
        cancelled = true;
        undo?.();
      };
      unsubscribes.push(off);
      return off;
    },
    close: async () => {
      for (const off of unsubscribes) off();
      unsubscribes = [];
      if (opened) await (await opened).close();
    },
  };
}
