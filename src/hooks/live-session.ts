// The hooks' side of the live sessions (src/cache/live-sessions.ts): when a session counts as ended under these
// settings, and which process is the session's agent (Claude Code, Codex, Gemini CLI).
import { readFileSync } from 'node:fs';
import type { Liveness } from '../cache/live-sessions.js';
import { isProcessAlive } from '../util/file-lock.js';
import type { Settings } from '../config/settings.js';
import { agentLabel } from '../agents/hooks.js';

/** The label of another session's agent when it differs from this session's: a Codex session hears of "a Claude Code session". */
export function otherAgent(theirs: string | undefined, own: string): string | undefined {
  return theirs !== undefined && theirs !== own ? agentLabel(theirs) : undefined;
}

export const livenessOf = (settings: Settings, now: number): Liveness => ({
  now,
  idleMs: settings.hooks.sessionIdleMinutes * 60_000,
  alive: isProcessAlive,
});

/**
 * Programs that start another and wait for it (or replace themselves by it): a hook run through one of them, as
 * `timeout 5 node …`, `env X=1 node …`, `npx taskhooks …` or a shell, has it as its parent, not Claude Code. `node`
 * is here because npx and npm run their command under a node process of their own.
 */
const WRAPPERS = new Set([
  'sh',
  'dash',
  'bash',
  'zsh',
  'fish',
  'timeout',
  'env',
  'nice',
  'nohup',
  'stdbuf',
  'setsid',
  'time',
  'flock',
  'ionice',
  'chrt',
  'taskset',
  'sudo',
  'node',
  'npx',
  'npm',
]);
/** Past this many ancestors a chain is no wrapper chain: Claude Code is not among them. */
const MAX_DEPTH = 12;

interface Proc {
  comm: string;
  parent: number;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may itself hold spaces or parentheses: the state and ppid follow the last ')'.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const parent = Number(stat.slice(close + 2).split(' ')[1]);
    return { comm: stat.slice(open + 1, close), parent };
  } catch {
    return undefined;
  }
}

/** When `pid` started, in clock ticks since boot (/proc/<pid>/stat); undefined where /proc cannot tell. */
export function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The 22nd field; the 3rd (the state) is the first after the command name's closing parenthesis.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is this process's parent or another of its ancestors within the wrapper chain's depth. */
export function isAncestor(pid: number): boolean {
  let p = process.ppid;
  for (let depth = 0; depth < MAX_DEPTH && p > 1; depth++) {
    if (p === pid) return true;
    const proc = readProc(p);
    if (!proc) return false;
    p = proc.parent;
  }
  return false;
}

/** npm names its process after what it runs (`npm exec taskho…`): the word before the first space is the program. */
const isWrapper = (comm: string): boolean => WRAPPERS.has(comm.split(' ')[0] as string);

/**
 * The agent process a command hook runs under. An agent that runs under a wrapper's name (Gemini CLI is `node`)
 * names it as `processName`: the nearest ancestor of that name is the agent.
 * For Claude Code and an agent of its own name: Claude Code names itself to its children in `CLAUDE_PID`; that
 * pid is trusted only when it is an ancestor of this process (a stale or inherited value is not). Without it, the
 * nearest ancestor that is no wrapper. Linux reads /proc; elsewhere `CLAUDE_PID` alone, else undefined, and sessions
 * expire by time alone.
 */
export function agentPid(
  env: NodeJS.ProcessEnv = process.env,
  ppid = process.ppid,
  processName?: string,
): number | undefined {
  if (processName !== undefined) return ancestorNamed(processName, ppid);
  const named = Number(env.CLAUDE_PID);
  const claimed = Number.isInteger(named) && named > 1 ? named : undefined;
  let pid = ppid;
  let nearest: number | undefined;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    if (pid === claimed) return pid;
    const proc = readProc(pid);
    if (!proc) return depth === 0 && claimed !== undefined && isProcessAlive(claimed) ? claimed : nearest;
    if (nearest === undefined && !isWrapper(proc.comm)) {
      nearest = pid;
      // Without a name to look for, the nearest program that is no wrapper is the answer.
      if (claimed === undefined) return nearest;
    }
    pid = proc.parent;
  }
  return nearest;
}

/** The nearest ancestor whose command is `name`, within the wrapper chain's depth. */
function ancestorNamed(name: string, ppid: number): number | undefined {
  let pid = ppid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const proc = readProc(pid);
    if (!proc) return undefined;
    if (proc.comm === name) return pid;
    pid = proc.parent;
  }
  return undefined;
}
