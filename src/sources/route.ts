// The one way a CLI task command reaches its source, chosen once: the built-in store written in the command's own
// process (./embedded/local-write.ts), or the configured source through the network stack
// (src/network/command-source.ts). The command reads the home and opens the cache once, up front, and hands both in;
// after a write it records what the route reports (src/cache/task-writes.ts), so no route records a write itself.
import type { Cache } from '../cache/cache.js';
import type { TaskChange } from '../cache/task-writes.js';
import type { Logger } from '../log/logger.js';
import type { Scope } from '../tasks/scope.js';
import type { SourceSettings } from './plan.js';
import type { TaskSource } from './source.js';

/** A command's options, normalised once before a route is chosen: nothing below reads them again from the home. */
export interface RouteOptions {
  source: SourceSettings;
  home: string;
  log: Logger;
  /** The project and branch acted on. */
  scope: Scope;
  /** A --db file used instead of the configured source: not what the hooks read, so no write of it is recorded. */
  dbFile?: string | undefined;
  /** The cache, opened once by the command; absent only where nothing is recorded (a --db file written in process). */
  cache?: Cache | undefined;
  /** The command changes tasks: the route reports what changed (see SourceRoute.whatChanged). */
  write: boolean;
  /** A monitor serves the built-in store: it reads the scope after a write itself, and raises alerts from the change. */
  monitorServes: boolean;
  /** The command's environment: a source's credentials and programs come from it. */
  env: NodeJS.ProcessEnv;
}

/** A source opened for one command: run `fn` on it, say what it changed, and end. */
export interface SourceRoute {
  /** `fn` on the source; its answer with registered secrets removed, a failure as the one line a person acts on. */
  act<T>(fn: (source: TaskSource) => Promise<T>): Promise<T>;
  /** What the command's writes changed, for the one record of them; undefined when nothing is to be recorded. */
  whatChanged(): Promise<TaskChange | undefined>;
  /** Closes what the route opened, or leaves it open for the process's end (`leave`). */
  end(how: 'close' | 'leave'): Promise<void>;
}
