// The route through the network stack for one CLI command (src/sources/route.ts): the configured source opened with
// the cache the command opened, one request id for its writes, a source's failure turned into the one line the person
// can act on, and after a write the scope read again through the same connection. Loaded by import() only when a
// command takes this route, so a read or write of the built-in store in process never loads the network stack.
import type { Cache } from '../cache/cache.js';
import { commandFailure } from '../errors/command.js';
import { loadTokenFormats, scrubData } from '../log/redact.js';
import { openSource } from '../sources/open.js';
import type { RouteOptions, SourceRoute } from '../sources/route.js';
import { inProject, type TaskSource } from '../sources/source.js';
import { randomUUID } from '../util/crypto.js';
import { scopeAfterWrite } from './index.js';

/** The configured source (a --db file: that store in process) opened for one command, with `cache` beside it. */
export function remoteRoute(o: RouteOptions & { cache: Cache }): SourceRoute {
  // One id for this command's writes: a retry (after a timeout, or on the next endpoint) answers what landed.
  const args = { ...o, projectRoot: o.scope.projectRoot, requestId: randomUUID() };
  let source: TaskSource;
  try {
    source = openSource(args);
  } catch (err) {
    throw commandFailure(err);
  }
  // A --db file is not the task store the hooks' source reads: its changes mean nothing to the cache.
  let wrote = false;
  return {
    run: async (fn) => {
      try {
        // Ids are counted per project on a server that keeps several: an id is the scope's project's task.
        const result = await fn(inProject(source, o.scope.project));
        wrote = o.write && !o.dbFile;
        // What the server answered reaches a terminal: the same scrubbing as the cache's.
        await loadTokenFormats(result);
        return scrubData(result);
      } catch (err) {
        throw commandFailure(err);
      }
    },
    changed: async () => {
      if (!wrote) return undefined;
      const at = Date.now();
      return { projects: [o.scope.project], at, fresh: await scopeAfterWrite(source, args) };
    },
    end: async () => {
      await source.close();
    },
  };
}
