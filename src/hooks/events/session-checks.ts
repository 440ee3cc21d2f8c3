// What SessionStart checks of the project's Claude Code settings files and the monitor before it tells the tasks: hooks
// posting to another process (the session is stopped), and the warnings told while they hold. The files are read once
// for all of it.
import { anyGuard } from '../../config/settings.js';
import { readRecord } from '../../home/endpoint-record.js';
import { readMonitorInfo } from '../../home/monitor-info.js';
import { projectSettingsFiles, servedHookTargets, settingsReader } from '../ports/stray-hooks.js';
import type { Trace } from '../trace.js';
import type { HookDeps, HookResult } from '../types.js';

/** Claude Code's settings files of this project, with a reader that reads each once. */
export interface ClaudeProjectSettings {
  files: string[];
  read: (file: string) => unknown;
}

/** Where a session starts, as these checks need it; `claude` is absent for another agent. */
export interface CheckedPlace {
  cwd: string;
  root: string | undefined;
  trace: Trace;
  claude?: ClaudeProjectSettings | undefined;
  /** The session's id where it names files safely, and this is no preview. */
  session?: string | undefined;
}

/** The project's Claude Code settings files (its folder and its repository's root), for a Claude Code session only. */
export function claudeProjectSettings(
  deps: HookDeps,
  dirs: Array<string | undefined>,
): ClaudeProjectSettings | undefined {
  if ((deps.agent?.id ?? 'claude') !== 'claude') return undefined;
  return { files: projectSettingsFiles(dirs), read: settingsReader() };
}

/**
 * Claude Code's hooks of this project posting elsewhere than this home's monitor: when something listens there, the
 * session is stopped before its first prompt is posted (../ports/stray-stop.ts, loaded only then); when nothing does, or
 * they carry an old token, the line that tells the session. Hooks install did not write are only told of.
 */
export async function stopForStrayHooks(deps: HookDeps, w: CheckedPlace): Promise<HookResult | string | undefined> {
  const claude = w.claude;
  // Only a project with served hooks loads the check (../ports/stray-stop.ts).
  if (!claude?.files.some((f) => servedHookTargets(f, claude.read(f)).length > 0)) return undefined;
  const stop = await import('../ports/stray-stop.js');
  const projectDir = w.root ?? w.cwd;
  const both = stop.bothRoutesLine({ ...claude, projectDir });
  const elsewhere = await stop.hooksElsewhere({ home: deps.settings.home, ...claude });
  if (!elsewhere) return both;
  if (elsewhere.targets.length > 0) {
    const stopped = await stop.stopForStrayHooks(deps, { projectDir, trace: w.trace }, elsewhere);
    if (stopped) return stopped;
  }
  const lines: string[] = [];
  const missed = stop.missedHooks(deps.settings.home, elsewhere);
  if (missed) {
    // Nothing else listens where they post: the session goes on, told why its hooks go unanswered and the fix.
    w.trace.push({ kind: 'missed-hooks', ports: missed.missed.map((t) => t.port), expected: missed.expected });
    lines.push(stop.missedHooksLine(missed, projectDir));
  }
  if (elsewhere.foreign.length > 0) lines.push(stop.foreignHooksLine(elsewhere.foreign, projectDir));
  if (both) lines.push(both);
  return lines.length > 0 ? lines.join(' ') : undefined;
}

/** Whether the running monitor serves the store on the port last written into installed entries: nothing to check. */
function storeServedAsWritten(home: string): boolean {
  const url = readMonitorInfo(home)?.storeServerUrl;
  const port = readRecord(home).storePort;
  return url !== undefined && port !== undefined && new URL(url).port === String(port);
}

/**
 * Claude Code's task tools pointing at a port another user holds (the monitor down, or serving elsewhere): the session
 * is stopped (../ports/store-squat.ts, loaded only then) once `moveTools` has started the monitor that serves them elsewhere.
 */
export async function stopForSquattedStore(
  deps: HookDeps,
  w: CheckedPlace,
  moveTools: () => Promise<unknown>,
): Promise<HookResult | undefined> {
  if (!w.claude || deps.settings.source.plan.kind !== 'embedded') return undefined;
  if (storeServedAsWritten(deps.settings.home)) return undefined;
  try {
    return await (await import('../ports/store-squat.js')).stopForSquattedStore(deps, w, moveTools);
  } catch (err) {
    deps.log.warn({ err }, "the task tools' port was not checked");
    return undefined;
  }
}

/**
 * Warnings told at every start while they hold (../session-warnings.ts): loaded only when there may be one, the
 * monitor late on the socket path or a guard on, and started before the tasks are read so its probe runs beside them.
 */
export async function startWarnings(deps: HookDeps, w: CheckedPlace): Promise<string[]> {
  if (!deps.monitorLate && !anyGuard(deps.settings.hooks.guards)) return [];
  try {
    return await (await import('../session-warnings.js')).sessionWarnings(deps, w);
  } catch (err) {
    deps.log.warn({ err }, 'warnings not checked');
    return [];
  }
}
