// What SessionStart warns of at every start while it holds, each in one line: a monitor that holds its lock but does
// not answer (asked only when the socket path found it late), and a guard the project's installed hooks cannot apply.
// After a late monitor, also the notices it took for this session. A lazy file: loaded only when any may be so.
import { anyGuard } from '../config/settings.js';
import { readLiveOwner } from '../home/lock.js';
import { retellNotices } from '../home/notices-told.js';
import { probeMonitor, SILENT_MONITOR_FIX, silentMonitorLine } from '../home/monitor-probe.js';
import type { Trace } from './trace.js';
import type { HookDeps } from './types.js';
import { agentInstalledWithoutGuard, unguardedInstallNote } from './unguarded-hooks.js';
import { AGENTS } from '../agents/index.js';
import { settingsReader } from './ports/stray-hooks.js';

/** How long SessionStart's command asks a monitor that was late whether it answers at all (beside its other work). */
const SILENT_PROBE_MS = 500;

/** The socket path gave no answer and this command runs instead: a monitor that does not answer at all is named. */
async function silentMonitorNote(deps: HookDeps): Promise<string | undefined> {
  if (!deps.monitorLate || deps.dryRun || !readLiveOwner(deps.settings.home)) return undefined;
  try {
    const found = await probeMonitor(deps.settings.home, SILENT_PROBE_MS);
    if (found.kind !== 'silent') return undefined;
    deps.log.warn({ pid: found.pid, stopped: found.stopped }, 'the monitor holds its lock but does not answer');
    return `taskhooks: ${silentMonitorLine(found)}; ${SILENT_MONITOR_FIX}`;
  } catch (err) {
    deps.log.warn({ err }, 'could not ask the monitor whether it answers');
    return undefined;
  }
}

/** Another agent's hooks files of every scope, for the project at `dir`, installed with no guard while one is on. */
function agentUnguardedNote(deps: HookDeps, dir: string): string | undefined {
  const id = deps.agent?.id;
  if (!id || id === 'claude') return undefined;
  const agent = AGENTS[id];
  // A plugin runs no hook commands a guard could be missing from.
  if (agent.plugin) return undefined;
  const files = agent.scopes.map((scope) => agent.configFile(scope, dir, process.env));
  return unguardedInstallNote(deps.settings.hooks.guards, files, settingsReader(), {
    unguarded: (doc) => agentInstalledWithoutGuard(agent, doc),
    fix: `taskhooks install --agent ${id}`,
    unchecked: 'tool calls are not all checked before they run',
  });
}

/**
 * The warnings, in order, and a fact for the trace. `claude` is Claude Code's project settings files with a reader
 * that reads each once (SessionStart's stray-hooks check read them already); absent for another agent.
 */
export async function sessionWarnings(
  deps: HookDeps,
  o: {
    claude?: { files: string[]; read: (file: string) => unknown } | undefined;
    trace: Trace;
    cwd: string;
    root: string | undefined;
    session?: string | undefined;
  },
): Promise<string[]> {
  const silent = silentMonitorNote(deps);
  const { guards } = deps.settings.hooks;
  const unguarded = !anyGuard(guards)
    ? undefined
    : o.claude
      ? unguardedInstallNote(guards, o.claude.files, o.claude.read)
      : agentUnguardedNote(deps, o.root ?? o.cwd);
  const found = { 'silent-monitor': await silent, 'unguarded-install': unguarded } as const;
  const what = (Object.keys(found) as Array<keyof typeof found>).filter((k) => found[k] !== undefined);
  if (what.length > 0) o.trace.push({ kind: 'warned', what });
  // The monitor that answered too late took this start's notices: its answer never reached the session.
  const retold = deps.monitorLate && o.session ? retellNotices(deps.settings.home, o.session) : [];
  if (retold.length > 0) o.trace.push({ kind: 'told-once', what: 'notices', count: retold.length, preview: false });
  return [...what.map((k) => found[k] ?? ''), ...retold];
}
