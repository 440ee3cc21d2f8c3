// The exec-form SessionStart's fast path (`--ask-monitor`: install's hooks on Windows, where no shell runs the socket
// client first). The entry file runs it before the hook's bundle loads: the monitor asked as hooks/socket-post.pl asks
// it, within the same wait, and its answer printed as it came when it is a JSON object. Else the bundle answers, from
// the input read here, told when a monitor took the input and gave no answer (it may hold the event's key:
// src/home/monitor-late.ts). Only this home's monitor is asked (src/home/served-post.ts).
import { resolveHome } from '../../home/dir.js';
import { releaseHandedListener } from '../../home/handed-listener.js';
import {
  MONITOR_LOOK_EVERY_MS,
  MONITOR_START_WAIT_MS,
  monitorNow,
  monitorStarting,
  monitorYoung,
} from '../../home/monitor-info.js';
import { BACKGROUND_HOOKS, BACKGROUND_WAIT_MS, MONITOR_LATE_ENV, monitorLateIn } from '../../home/monitor-late.js';
import { claimStart, startClaimedElsewhere } from '../../home/monitor-starter.js';
import { monitorEndpoints, postToMonitor, type NoAnswer } from '../../home/served-post.js';
import { sleep } from '../../util/deadline.js';
import { isJsonObject } from '../../util/object.js';
import { writeOut } from '../../util/write-out.js';
import { readStdinOnce } from './stdin-read.js';

/** The monitor answers in milliseconds unless busy: past this the node hook answers (the socket client's 0.3 s). */
const ASK_WAIT_MS = 300;

/** A monitor that has just started answers from a cold cache, and many sessions at once: given longer. */
const STARTED_WAIT_MS = 3000;

/** The monitor's answer to `route` for this hook input, or why there is none. */
export async function askMonitor(
  route: string,
  body: string,
  env: NodeJS.ProcessEnv,
  agentPid: number,
  waitMs?: number,
): Promise<{ text: string } | NoAnswer> {
  const home = resolveHome(env);
  const now = monitorNow(home);
  const endpoints = monitorEndpoints(home, now.info);
  // A monitor just started answers a herd of sessions' first hooks at once: it is given longer than a running one.
  const longer = waitMs === undefined && endpoints.length > 0 && monitorYoung(now);
  const usual = BACKGROUND_HOOKS.includes(route) ? BACKGROUND_WAIT_MS : ASK_WAIT_MS;
  for (const to of endpoints) {
    const wait = waitMs ?? (longer ? Math.max(usual, STARTED_WAIT_MS) : usual);
    const asked = await postToMonitor(to, route, body, { agentPid }, wait);
    // The monitor behind the socket is the one behind the port: asked again, it would say the event is taken.
    if (asked !== 'unreachable') return asked;
  }
  return 'unreachable';
}

/**
 * No monitor answered. After a reboot or a crash one hook claims the start and answers itself, which starts the
 * monitor; the others ask that monitor once it serves, so a herd of sessions has one process load the hooks' code
 * instead of each. Unreachable when this hook is to answer itself: its claim, nothing starting, or not in time.
 */
async function askStarting(
  route: string,
  body: string,
  env: NodeJS.ProcessEnv,
  agentPid: number,
): Promise<{ text: string } | NoAnswer> {
  const home = resolveHome(env);
  // Only SessionStart starts a monitor, and not where hooks may not: another claimant would start none.
  const claims = route === 'session-start' && env.TASKHOOKS_NO_AUTOSTART !== '1';
  const starting = () => monitorStarting(monitorNow(home)) || (claims && startClaimedElsewhere(home));
  if (!starting() && (!claims || claimStart(home))) return 'unreachable';
  // Another process starts the monitor: the store port the socket client held for this hook is that monitor's to bind.
  // This fast path keeps no log.
  releaseHandedListener(env, undefined);
  const until = Date.now() + MONITOR_START_WAIT_MS;
  // Asked again and again: it listens before it says where, and a crashed one's socket refuses until it binds anew.
  while (Date.now() < until) {
    await sleep(MONITOR_LOOK_EVERY_MS);
    const asked = await askMonitor(route, body, env, agentPid, STARTED_WAIT_MS);
    if (asked !== 'unreachable') return asked;
    if (starting()) continue;
    // It may have said where it serves since it was asked.
    const last = await askMonitor(route, body, env, agentPid, STARTED_WAIT_MS);
    if (last !== 'unreachable') return last;
    // A claim that lapsed with no monitor behind it (its claimant's start failed): one of those waiting claims the
    // start anew, and the others wait for its monitor instead of each answering itself.
    if (!claims || claimStart(home)) return 'unreachable';
  }
  return 'unreachable';
}

/** Whether `text` is a JSON object, the only input the monitor answers. */
function holdsObject(text: string): boolean {
  try {
    return isJsonObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Prints the monitor's answer to `route` and exits, or runs the hook's bundle (`runBundle`) when it gives none. */
export function askFirst(route: string, runBundle: () => void): void {
  // The socket client reached a monitor that did not answer in time: asked again, it would say the event is taken.
  if (monitorLateIn(process.env)) return runBundle();
  const raw = readStdinOnce();
  // An input that did not read gets the node hook's own account of it.
  if (raw.text === undefined || !holdsObject(raw.text)) return runBundle();
  const text = raw.text;
  askMonitor(route, text, process.env, process.ppid)
    .then((asked) => (asked === 'unreachable' ? askStarting(route, text, process.env, process.ppid) : asked))
    .then(
      (asked) => {
        // Whatever the monitor sent that is not an answer, it took the input all the same.
        if (typeof asked !== 'object' || !holdsObject(asked.text)) {
          if (asked !== 'unreachable') process.env[MONITOR_LATE_ENV] = '1';
          return runBundle();
        }
        writeOut(asked.text);
        process.exit(0);
      },
      () => runBundle(),
    );
}
