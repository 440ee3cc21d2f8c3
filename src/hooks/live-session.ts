// The hooks' side of the live sessions (src/cache/live-sessions.ts): when a session counts as ended under these
// settings, and which process is the session's Claude Code.
import { readFileSync } from 'node:fs';
import { processAlive, type Liveness } from '../cache/live-sessions.js';
import type { Settings } from '../config/settings.js';

export const livenessOf = (settings: Settings, now: number): Liveness => ({
  now,
  idleMs: settings.hooks.sessionIdleMinutes * 60_000,
  alive: processAlive,
});

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh']);

/**
 * The Claude Code process a command hook runs under: its parent, or the parent's parent when Claude Code started it
 * through a shell that outlives nothing. Linux only (/proc); elsewhere undefined, and sessions expire by time alone.
 */
export function claudeCodePid(ppid = process.ppid): number | undefined {
  try {
    const comm = readFileSync(`/proc/${ppid}/comm`, 'utf8').trim();
    if (!SHELLS.has(comm)) return ppid;
    const stat = readFileSync(`/proc/${ppid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(parent) && parent > 1 ? parent : undefined;
  } catch {
    return undefined;
  }
}
