// The route through the network stack for one CLI command (src/sources/route.ts): the configured source opened with
// the cache the command opened, one request id for its writes, a source's failure turned into the one line the person
// can act on, and after a write the scope read again through the same connection. Loaded by import() only when a
// command takes this route, so a read or write of the built-in store in process never loads the network stack.
import type { Cache } from '../cache/cache.js';
import type { TaskChange } from '../cache/task-writes.js';
import { commandFailure } from '../errors/command.js';
import { loadTokenFormats, scrubData } from '../log/redact.js';
import { openSource, type OpenSourceArgs } from '../sources/open.js';
import type { RouteOptions, SourceRoute } from '../sources/route.js';
import { inProject, type TaskSource } from '../sources/source.js';
import { randomUUID } from '../util/crypto.js';
import { scopeAfterWrite } from './index.js';

/** The configured source (a --db file: that store in process) opened for one command, with `cache` beside it. */
export function remoteRoute(o: RouteOptions & { cache: Cache }): SourceRoute {
  // One id for this command's writes: a retry (after a timeout, or on the next endpoint) answers what landed.
  const args = { ...o, projectRoot: o.scope.projectRoot, requestId: randomUUID() };
  try {
    // Ids are counted per project on a server that keeps several: an id is the scope's project's task.
    return new RemoteRoute(inProject(openSource(args), o.scope.project), args);
  } catch (err) {
    throw commandFailure(err);
  }
}

class RemoteRoute implements SourceRoute {
  /** A change was made, to the store the hooks read (a --db file is not it: its changes mean nothing to the cache). */
  private wrote = false;

  constructor(
    private readonly source: TaskSource,
    private readonly args: OpenSourceArgs & RouteOptions,
  ) {}

  async act<T>(fn: (source: TaskSource) => Promise<T>): Promise<T> {
    const { write, dbFile } = this.args;
    try {
      const result = await fn(this.source);
      this.wrote = write && !dbFile;
      // What the server answered reaches a terminal: the same scrubbing as the cache's.
      await loadTokenFormats(result);
      return scrubData(result);
    } catch (err) {
      throw commandFailure(err);
    }
  }

  async whatChanged(): Promise<TaskChange | undefined> {
    if (!this.wrote) return undefined;
    const at = Date.now();
    return { projects: [this.args.scope.project], at, fresh: await scopeAfterWrite(this.source, this.args) };
  }

  async end(): Promise<void> {
    await this.source.close();
  }
}
