// doctor's monitor step. The monitor is optional (hooks fetch live without it); a monitor that runs without its served
// hooks, holds its lock without answering, or runs another build than this command's, is a failure.
import { readLiveOwner } from '../home/lock.js';
import { monitorCode, otherMonitorCode, readMonitorInfo } from '../home/monitor-info.js';
import {
  probeMonitor,
  SILENT_MONITOR_FIX,
  silentMonitorLine,
  STRANGER_FIX,
  strangerLine,
  type MonitorProbe,
} from '../home/monitor-probe.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

/** How long doctor waits for the running monitor to answer before it says it does not. */
const PROBE_MS = 1000;

/** The monitor asked once per doctor run: the source steps (the built-in store it serves) and its own step read it. */
export function monitorAnswer(run: DoctorRun): Promise<MonitorProbe> {
  run.monitor ??= probeMonitor(run.args.loaded.settings.home, PROBE_MS);
  return run.monitor;
}

/** The monitor that holds its lock but does not answer, as a step's failure. */
export function silentMonitorFailure(probe: Extract<MonitorProbe, { kind: 'silent' }>, prefix = ''): StepFailure {
  return new StepFailure(`${prefix}${silentMonitorLine(probe)}`, SILENT_MONITOR_FIX);
}

export async function monitorStep(run: DoctorRun): Promise<void> {
  await step(run.steps, 'monitor', 'the monitor', async () => {
    const probe = await monitorAnswer(run);
    if (probe.kind === 'silent') throw silentMonitorFailure(probe);
    if (probe.kind === 'stranger') throw new StepFailure(strangerLine(probe), STRANGER_FIX);
    return monitorState(run.args.loaded.settings.home);
  });
}

function monitorState(home: string): string {
  const info = readMonitorInfo(home);
  if (!info) {
    const owner = readLiveOwner(home);
    return owner
      ? `starting (pid ${owner.pid})`
      : 'not running: hooks fetch at session start meanwhile (`taskhooks monitor start` starts it)';
  }
  const other = otherMonitorCode(info);
  if (other)
    throw new StepFailure(
      `running (pid ${info.pid}, ${monitorCode(info)}), another build than this command's (${other}): it serves every session with its own hooks, routes and schemas`,
      "`taskhooks monitor start` replaces it with this build's; `taskhooks install` in each project then writes this build's hooks",
    );
  if (info.hookPort === null) {
    throw new StepFailure(
      `running (pid ${info.pid}), but its served hooks are unavailable: ${info.hookProblem ?? 'no port bound'}`,
      'set monitor.hookPort in the user config to a free port (0 picks one), then `taskhooks monitor stop` and `taskhooks monitor start`',
    );
  }
  return `running (pid ${info.pid}, ${monitorCode(info)}), served hooks on 127.0.0.1:${info.hookPort}${info.hookProblem ? ` (${info.hookProblem})` : ''}`;
}
