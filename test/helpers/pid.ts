import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A node program in `dir` that starts a process of its own and then hangs, answering nothing: what a stuck server or
 * CLI looks like. `grandchild()` is the pid of the process it started (once it ran); `kill()` ends both, for a test
 * whose code under test did not.
 */
export function hangingProgram(dir: string): { file: string; grandchild(): number; kill(): void } {
  const pidFile = path.join(dir, 'grandchild.pid');
  const ownPidFile = path.join(dir, 'hanging.pid');
  const file = path.join(dir, 'hanging.cjs');
  writeFileSync(
    file,
    `const { spawn } = require('node:child_process');
     const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
     require('node:fs').writeFileSync(${JSON.stringify(ownPidFile)}, String(process.pid));
     require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
     setInterval(() => {}, 1000);`,
  );
  const kill = (): void => {
    for (const f of [ownPidFile, pidFile]) {
      if (!existsSync(f)) continue;
      try {
        process.kill(Number(readFileSync(f, 'utf8')), 'SIGKILL');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    }
  };
  return { file, grandchild: () => Number(readFileSync(pidFile, 'utf8')), kill };
}

/** Whether the process is gone within `ms` (an ended group takes a moment to be reaped). */
export async function goneWithin(pid: number, ms = 5000): Promise<boolean> {
  for (const until = Date.now() + ms; pidAlive(pid) && Date.now() < until; )
    await new Promise((r) => setTimeout(r, 100));
  return !pidAlive(pid);
}
