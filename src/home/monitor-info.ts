// monitor.json: the facts a running monitor publishes (its pid, ports, schedules), for the CLI and install.
import { UserError } from '../errors/user.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { buildIdentity, describeBuild, packageRoot, type BuildIdentity } from '../util/package.js';
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { homeFiles, type MonitorInfo } from './files.js';
import { readLiveOwner, type LiveOwner } from './lock.js';

export function writeMonitorInfo(home: string, info: MonitorInfo): void {
  writeFileAtomic(homeFiles(home).info, `${JSON.stringify(info, null, 2)}\n`, 0o600);
}

/** The lock's live owner, and monitor.json when that owner wrote it: one read of each. */
export interface MonitorNow {
  owner: LiveOwner | undefined;
  info: MonitorInfo | undefined;
}

/**
 * The running monitor's own facts, held in its own process: while it holds the lock, the lock and monitor.json say
 * just this, and the hooks it serves ask for them at every session's start.
 */
let own: { home: string; now: MonitorNow; valid: () => boolean } | undefined;

/**
 * Called by the monitor once monitor.json is written: monitorNow(home) in this process answers from memory while
 * `valid` holds (the home still the monitor's). Returns the undo, for the monitor's stop.
 */
export function holdOwnMonitorInfo(home: string, info: MonitorInfo, valid: () => boolean): () => void {
  const owner = readLiveOwner(home);
  if (owner?.pid !== process.pid || info.pid !== process.pid) return () => undefined;
  const held = { home, now: { owner, info }, valid };
  own = held;
  return () => {
    if (own === held) own = undefined;
  };
}

export function monitorNow(home: string): MonitorNow {
  if (own?.home === home && own.valid()) return own.now;
  const owner = readLiveOwner(home);
  if (!owner) return { owner, info: undefined };
  try {
    const info = JSON.parse(readTextCapped(homeFiles(home).info, SMALL_MAX_BYTES)) as MonitorInfo;
    return { owner, info: info.pid === owner.pid ? info : undefined };
  } catch {
    return { owner, info: undefined }; // the owner is still starting up
  }
}

/** monitor.json, trusted only while the process that wrote it still holds the lock. */
export function readMonitorInfo(home: string): MonitorInfo | undefined {
  return monitorNow(home).info;
}

/**
 * How long a monitor that holds its lock may take to serve before those waiting for it do its work themselves.
 * hooks/monitor-wait.pl waits as long, looking as often: a change here is a change there.
 */
export const MONITOR_START_WAIT_MS = 10_000;
/** How often those waiting for a starting monitor look again. */
export const MONITOR_LOOK_EVERY_MS = 50;

/**
 * Whether this home's monitor is starting: a live process holds the lock and has not yet said where it serves. A
 * process that waits for it then joins the one monitor instead of doing its work itself (a herd after a reboot).
 */
export const monitorStarting = ({ owner, info }: MonitorNow): boolean => owner !== undefined && info === undefined;

/** Whether this home's monitor is starting or started within MONITOR_START_WAIT_MS: busy with its first work. */
export const monitorYoung = ({ owner, info }: MonitorNow): boolean =>
  info ? Date.now() - info.startedAt < MONITOR_START_WAIT_MS : owner !== undefined;

/** The code a running monitor runs, in words: "taskhooks 0.2.0 (build 1a2b3c4d5e6f) from /opt/taskhooks". */
export function monitorCode(info: MonitorInfo): string {
  return `taskhooks ${describeBuild(info)} from ${info.codeRoot ?? '(folder unknown)'}`;
}

/** What this process's code is, as otherMonitorCode compares it. */
export type ThisCode = BuildIdentity & { codeRoot: string };

export function thisCode(): ThisCode {
  return { ...buildIdentity(), codeRoot: packageRoot() };
}

/**
 * How the running monitor's code differs from this process's, in words; undefined when it is the same. A monitor that
 * does not say its version, or (to a built process) its build, counts as another build: it predates them.
 */
export function otherMonitorCode(info: MonitorInfo, self: ThisCode = thisCode()): string | undefined {
  if (info.version !== self.version)
    return `taskhooks ${info.version ?? '(version unknown)'}, where this command is ${self.version}`;
  // Run unbuilt (tests), this process has no build id to compare.
  if (self.buildId !== undefined && info.buildId !== self.buildId)
    return `build ${info.buildId ?? '(from before build ids)'} of taskhooks ${info.version}, where this command is build ${self.buildId}`;
  if (info.codeRoot !== self.codeRoot)
    return `the copy in ${info.codeRoot ?? '(folder unknown)'}, where this command is ${self.codeRoot}`;
  return undefined;
}

/** Whether a monitor of this process's build serves `home` (monitor.json and a live lock owner): nothing to start. */
export function servesThisBuild(home: string): boolean {
  const info = readMonitorInfo(home);
  return info !== undefined && otherMonitorCode(info) === undefined;
}

/** The line that says a monitor of another copy serves this home, and how to run this copy's instead. */
export function otherMonitorLine(other: string): string {
  return `the monitor running for this state directory runs other code (${other}): it keeps serving every session; \`taskhooks monitor start\` replaces it with this copy's`;
}

/** A migration refused because a monitor of another build serves the state directory: `what` and `fix` for a hook. */
export class OtherBuildHoldsError extends UserError {
  constructor(
    readonly what: string,
    override readonly fix: string,
  ) {
    super(`${what}: nothing was migrated. ${fix.charAt(0).toUpperCase()}${fix.slice(1)}`, 'failed', { fix });
    this.name = 'OtherBuildHoldsError';
  }
}

/**
 * Throws when a monitor of another build serves `home`: migrating one of its files (`what`, e.g. "tasks.db is at schema
 * 7 and this build moves it to 9") would change it under code that does not know the new schema.
 */
export function refuseMigrationUnderOtherBuild(home: string, what: string): void {
  const info = readMonitorInfo(home);
  const other = info && otherMonitorCode(info);
  if (!info || !other) return;
  throw new OtherBuildHoldsError(
    `${what}, but a monitor of another build holds it (pid ${info.pid}, ${monitorCode(info)}; ${other})`,
    "run `taskhooks monitor start`, which replaces that monitor with this build's, then this command again",
  );
}
