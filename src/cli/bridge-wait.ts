// The plugin's bridge found no monitor on mcp.sock. After a reboot or a crash the first bridge to claim the start
// starts one (a plugin session runs no SessionStart hook at its start), and a bridge that served the session itself
// would load the whole server once per session, a herd of them at once on a machine already busy starting their agents.
// So while a monitor is starting the bridge waits for it, bounded; it serves the session itself only when none is (nor
// about to be) or it takes too long.
import { ensureHome } from '../home/dir.js';
import { readLiveOwner } from '../home/lock.js';
import { MONITOR_LOOK_EVERY_MS, MONITOR_START_WAIT_MS, monitorNow, monitorStarting } from '../home/monitor-info.js';
import { claimStart, startClaimedElsewhere } from '../home/monitor-starter.js';
import { sleep } from '../util/deadline.js';

/**
 * Starts the home's monitor when none runs and this bridge claims its start (a person's first session makes the state
 * directory here); the launcher loads only then.
 */
export async function startMonitor(home: string, env: NodeJS.ProcessEnv): Promise<void> {
  ensureHome(home);
  if (readLiveOwner(home) !== undefined || !claimStart(home)) return;
  const [{ ensureMonitorRunning }, { hookLogger }] = await Promise.all([
    import('../home/launch.js'),
    import('../log/logger.js'),
  ]);
  ensureMonitorRunning(home, hookLogger('mcp-bridge', home, env.TASKHOOKS_LOG_LEVEL ?? 'info'), { env });
}

/** How long a monitor this bridge or a hook starts may take to take its lock: it loads first, under a herd's load too. */
export const START_GRACE_MS = 3000;

/**
 * Whether a bridge `waitedMs` in should go on waiting: a monitor is starting, another process claimed its start, or
 * none runs yet and this bridge or a hook may still start one. A monitor that said where it serves and did not listen
 * on the socket (a path too long for one, a failed bind) is not waited for.
 */
export function keepsWaiting(home: string, waitedMs: number, autostart: boolean): boolean {
  if (waitedMs >= MONITOR_START_WAIT_MS) return false;
  const now = monitorNow(home);
  // A loaded machine may take the grace to load the monitor the claimant started; the claim holds until it locks.
  if (monitorStarting(now) || (now.owner === undefined && startClaimedElsewhere(home))) return true;
  return autostart && waitedMs < START_GRACE_MS && now.owner === undefined;
}

/**
 * The socket `connect` reaches once the starting monitor listens, or undefined when the bridge should serve. Whether
 * to go on is asked before each look, not after: a monitor listens on the socket before it says where it serves, so
 * one that said so by then is found by the look, where asked after it the bridge would serve the session beside it.
 */
export async function awaitMonitor<S>(
  home: string,
  connect: () => Promise<S | Error>,
  opts: { began: number; autostart: boolean },
): Promise<S | undefined> {
  for (;;) {
    await sleep(MONITOR_LOOK_EVERY_MS);
    const waiting = keepsWaiting(home, Date.now() - opts.began, opts.autostart);
    const got = await connect();
    if (!(got instanceof Error)) return got;
    if (!waiting) return undefined;
  }
}
