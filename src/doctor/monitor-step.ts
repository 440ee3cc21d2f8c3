// doctor's monitor step. The monitor is optional (hooks fetch live without it); a monitor that runs without its served
// hooks, or runs another build than this command's, is a failure.
import { readLiveOwner } from '../home/lock.js';
import { monitorCode, otherMonitorCode, readMonitorInfo } from '../home/monitor-info.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

export async function monitorStep({ args, steps }: DoctorRun): Promise<void> {
  await step(steps, 'monitor', 'the monitor', () => monitorState(args.loaded.settings.home));
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
