// The network half of the source contract: what src/sources/<name>/adapter.ts exports. Only dist/network.js and the
// CLI load adapters (they bring the MCP SDK, full zod, HTTP clients); hooks read the definitions alone.
import type * as ZodMini from 'zod/mini';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import type { ResiliencePolicy } from '../resilience/policy.js';
import type { DeltaCursor, TaskChanges } from '../tasks/delta.js';
import type { Task } from '../tasks/task.js';
import type { Deadline } from '../util/deadline.js';
import type { ConfigShape, SourceDefinition } from './contract.js';
import type { AdapterFixes } from './fixes.js';
import type { SourcePlan, SourceSettings } from './plan.js';
import type { SourceName } from './registry.js';
import type { TaskSource } from './source.js';

export interface OpenSourceArgs {
  source: SourceSettings;
  home: string;
  cache: Cache;
  log: Logger;
  /** The project the source is opened for: `.mcp.json` and Task Master's projectRoot are found from it. */
  projectRoot?: string | undefined;
  /** Tests shrink breaker thresholds and backoff; production uses the defaults. */
  policy?: Partial<ResiliencePolicy> | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** An embedded store's file to use in-process (`taskhooks tasks --db FILE`), whatever source is configured. */
  dbFile?: string | undefined;
  /** One id for the writes of one action (a CLI command, a board action): a retry of them is not written twice. */
  requestId?: string | undefined;
}

/** What an adapter's `open` is handed: the arguments, with the plan to follow and the project resolved. */
export interface OpenContext extends OpenSourceArgs {
  plan: SourcePlan;
  projectRoot: string;
  env: NodeJS.ProcessEnv;
}

/** Where `install --source <name>` looks for settings: the environment and the user's own config, never a project file. */
export interface DetectContext {
  env: NodeJS.ProcessEnv;
  /** The directory install runs in, and its git root when it is a repository. */
  cwd: string;
  gitRoot?: string | undefined;
  /** The user config's `source` section (already trusted: it is the user's own file). */
  userSource: Readonly<Record<string, unknown>>;
  deadline: Deadline;
}

/**
 * What detection found: the `source` entries to write (never a secret: those stay where they were found, named in
 * `from`), or one line naming what is missing and how to give it.
 */
export type Detection =
  | { found: true; entries: Record<string, unknown>; from: string }
  | { found: false; missing: string };

/** One step `doctor` shows for this source; `run` answers the step's one-line detail or throws a TaskSourceError. */
export interface DoctorCheck {
  name: string;
  run(deadline: Deadline): Promise<string>;
}

export interface SourceAdapterModule<N extends SourceName = SourceName> {
  readonly definition: SourceDefinition<N, ConfigShape>;
  /** Opens the source; nothing touches the network before the first call. */
  open(ctx: OpenContext): TaskSource;
  /** Its remedies for the failures it knows better than their kind's usual one (src/errors/task-source.ts). */
  readonly fixes?: AdapterFixes;
  /** Zero-config discovery for `install --source <name>`. */
  detect?(ctx: DetectContext): Promise<Detection>;
  /** The steps of its own `doctor` shows after the common ones (reachability, pending tasks), with the open source. */
  doctorSteps?(source: TaskSource, ctx: OpenContext): readonly DoctorCheck[];
  /**
   * What a change notification carried, as it moves one snapshot on without a call; undefined when it cannot tell
   * (another shape, another listing, a cursor outside what it covers): that snapshot is fetched instead.
   */
  pushed?(args: PushedArgs): PushedPatch | undefined;
}

/** A snapshot a change notification may patch, and what the notification carried (unchecked). */
export interface PushedArgs {
  /** The server the notification came from. */
  server: string;
  /** The snapshot's local branch, cursor and next task. */
  branch: string;
  cursor: DeltaCursor;
  nextId: string | undefined;
  carried: unknown;
}

/** The changes to apply, the snapshot's cursor after them and, when it may have changed, its next task. */
export interface PushedPatch extends TaskChanges {
  next?: Task | null;
}

/** Declares a source's adapter; the identity function checks it against the contract. */
export const defineAdapter = <N extends SourceName>(adapter: SourceAdapterModule<N>): SourceAdapterModule<N> => adapter;

/**
 * The source's own entries (`source.<name>`), typed by its definition: the config schema validated them with that
 * definition's `config` when it loaded, so the cast restates what was checked.
 */
export function optionsOf<C extends ConfigShape>(
  _definition: SourceDefinition<string, C>,
  settings: SourceSettings,
): ZodMini.output<ZodMini.ZodMiniObject<C>> {
  return settings.options as ZodMini.output<ZodMini.ZodMiniObject<C>>;
}

/**
 * How long a call may take when its caller names no deadline. The embedded store is a file on this machine: what a
 * write waits for is SQLite's busy wait behind other writers (and a monitor busy serving them), not a network that
 * may be down, so source.timeoutMs does not apply to it; this bound only ends a process wedged for good.
 */
export const LOCAL_STORE_DEADLINE_MS = 10 * 60_000;

export function callDeadlineMs(args: Pick<OpenSourceArgs, 'source' | 'dbFile'>): number {
  const local = args.dbFile !== undefined || args.source.plan.kind === 'embedded';
  return local ? Math.max(args.source.timeoutMs, LOCAL_STORE_DEADLINE_MS) : args.source.timeoutMs;
}
