// A task command's one path to its source: its options normalised once (the home read, the cache opened), one route
// chosen for them (src/sources/route.ts), and what a write changed recorded once (src/cache/task-writes.ts).
import { openCache, type Cache } from '../../cache/cache.js';
import { recordTaskWrite } from '../../cache/task-writes.js';
import type { Settings } from '../../config/settings.js';
import { distrustedMonitor } from '../../home/monitor-trust.js';
import type { Logger } from '../../log/logger.js';
import { monitorServesStore } from '../../sources/embedded/in-process.js';
import type { RouteOptions, SourceRoute } from '../../sources/route.js';
import type { TaskSource } from '../../sources/source.js';
import { foldLargeWal } from '../../sqlite/index.js';
import type { Scope } from '../../tasks/scope.js';
import type { CliContext } from '../command.js';
import { printNote, progress } from '../output.js';

type RouteName = 'local' | 'remote';
type Routed = RouteOptions & { route: RouteName };

/** Each route, loaded by import() only when it is chosen: a write made in process never loads the network stack. */
const ROUTES: Readonly<Record<RouteName, (o: Routed, ctx: CliContext) => Promise<SourceRoute>>> = {
  local: async (o) => (await import('../../sources/embedded/local-write.js')).localRoute(o),
  remote: async (o, ctx) => {
    // The network stack (SDK, zod, openid-client) loads only for task commands, never for `taskhooks --help`.
    const connecting = progress(ctx.out, 'connecting to the task source');
    const { remoteRoute } = await import('../../network/command-source.js').finally(connecting);
    const { cache } = o;
    if (!cache) throw new Error('a task source is opened with the cache beside it: routeOptions opens it');
    return remoteRoute({ ...o, cache });
  },
};

/**
 * A command's options, read once: a change to the built-in store is made in process (no network stack, task server
 * or loopback call), anything else goes through the source; the cache is opened here, but for a --db file written in
 * process, which nothing records.
 */
export function routeOptions(
  ctx: CliContext,
  target: { settings: Settings; scope: Scope; dbFile?: string | undefined; sourceName: string },
  write: boolean,
): Routed {
  const { settings, scope, dbFile } = target;
  const { home } = settings;
  const log = ctx.log();
  const local = write && target.sourceName === 'embedded';
  const cache = local && dbFile ? undefined : openCache({ home, log });
  const monitorServes = local && monitorServesStore({ home, dbFile });
  const route = local ? 'local' : 'remote';
  return { route, source: settings.source, home, log, scope, dbFile, cache, write, monitorServes, env: ctx.env };
}

/** Runs `fn` on the route chosen for `o`, records what it changed once, and ends the route and the cache. */
export async function onRoute<T>(ctx: CliContext, o: Routed, fn: (source: TaskSource) => Promise<T>): Promise<T> {
  let route: SourceRoute;
  try {
    route = await ROUTES[o.route](o, ctx);
  } catch (err) {
    o.cache?.close();
    throw err;
  }
  // The store and cache written in process are left open for the process's end (src/cli/process-end.ts).
  const how = o.route === 'local' ? 'leave' : 'close';
  if (how === 'leave') ctx.endWithoutClosing();
  try {
    return await route.act(fn);
  } finally {
    try {
      const change = await route.whatChanged();
      if (o.cache && change) recordTaskWrite(o.cache, { ...change, home: o.home, log: o.log, why: 'a task changed' });
      await route.end(how);
    } finally {
      if (o.cache) end(o.cache, how, o.log);
    }
  }
}

/** Closes the cache, or leaves it open with its write-ahead log kept to its bound (src/sqlite/wal.ts). */
function end(cache: Cache, how: 'close' | 'leave', log: Logger): void {
  if (how === 'close') return cache.close();
  try {
    if (foldLargeWal(cache.db, cache.file)) log.debug({ folded: 'cache' }, 'write-ahead log folded into its file');
  } catch (err) {
    // The record is durable in the log; the next opener reads it, only more slowly.
    log.warn({ err }, 'could not fold a write-ahead log into its file');
  }
}

/** How long a monitor the OS cannot vouch for has to prove itself before a task command does without it. */
const PROOF_MS = 1000;

/**
 * Whether the monitor serving the built-in store may be sent its token (src/home/monitor-probe.ts): when it may not,
 * the command says so and reads and writes tasks.db in its own process, as with no monitor running.
 */
export async function checkMonitor(ctx: CliContext, home: string): Promise<void> {
  const why = await distrustedMonitor(home, PROOF_MS);
  if (!why) return;
  ctx.log().warn({ why }, 'the monitor was not sent the store token');
  printNote(ctx.out, `${why}. This command uses tasks.db in its own process meanwhile.`);
}
