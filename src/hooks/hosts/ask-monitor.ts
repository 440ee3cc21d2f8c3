// The exec-form SessionStart's fast path (`--ask-monitor`, Windows'): the monitor asked as hooks/socket-post.pl asks
// it, within the same wait, and its answer printed as it came; else the node hook answers itself, told when a monitor
// took the input and gave no answer (it may hold the event's key: src/home/monitor-late.ts).
import { resolveHome } from '../../home/dir.js';
import { MONITOR_LATE_ENV } from '../../home/monitor-late.js';
import { monitorEndpoints, postToMonitor, type NoAnswer } from '../../home/served-post.js';
import { writeOut } from '../../util/write-out.js';
import type { CommandHook } from '../types.js';
import type { HookStdin } from './stdin.js';

/** The monitor answers in milliseconds unless busy: past this the node hook answers (the socket client's 0.3 s). */
const ASK_WAIT_MS = 300;

/** The monitor's answer to `route` for this hook input, or why there is none. */
export async function askMonitor(
  route: string,
  input: unknown,
  env: NodeJS.ProcessEnv,
  agentPid: number,
): Promise<{ text: string } | NoAnswer> {
  const body = JSON.stringify(input);
  for (const to of monitorEndpoints(resolveHome(env))) {
    const asked = await postToMonitor(to, route, body, { agentPid }, ASK_WAIT_MS);
    // The monitor behind the socket is the one behind the port: asked again, it would say the event is taken.
    if (asked !== 'unreachable') return asked;
  }
  return 'unreachable';
}

/** Prints the monitor's answer and exits, or runs the hook here (`runHere`) when the monitor gives none. */
export async function answerFromMonitor(
  hook: CommandHook,
  stdin: HookStdin,
  runHere: (hook: CommandHook, stdin: HookStdin) => void,
): Promise<void> {
  // An input that did not read gets the node hook's own account of it.
  const asked = stdin.error ? 'unreachable' : await askMonitor(hook.name, stdin.value, process.env, process.ppid);
  if (typeof asked !== 'object') {
    if (asked === 'late') process.env[MONITOR_LATE_ENV] = '1';
    return runHere(hook, stdin);
  }
  writeOut(asked.text);
  process.exit(0);
}
