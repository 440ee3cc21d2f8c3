// The store server's listening socket handed down to the monitor about to start: bound by whoever first found no
// monitor (the socket client, hooks/monitor-wait.pl, else the SessionStart node hook), so Claude Code's connections
// wait in the kernel's queue while the monitor loads instead of being refused. Named by one variable, read once.
import { closeSync } from 'node:fs';

/** The handed socket's descriptor and port, as `<fd>:<port>`. */
export const STORE_FD_ENV = 'TASKHOOKS_STORE_FD';

export interface HandedListener {
  fd: number;
  port: number;
}

/**
 * The listener handed to this process, taken out of the environment so no child of it reads it again; undefined when
 * there is none or the value is not `<fd>:<port>`.
 */
export function takeHandedListener(env: NodeJS.ProcessEnv): HandedListener | undefined {
  const value = env[STORE_FD_ENV];
  delete env[STORE_FD_ENV];
  const m = /^(\d+):(\d+)$/.exec(value ?? '');
  return m ? { fd: Number(m[1]), port: Number(m[2]) } : undefined;
}

/**
 * Closes the listener handed to this process, where there is one: a process that starts no monitor would hold the port
 * for nobody, and a monitor started elsewhere would find it taken. What failed to close, returned to be told; it is
 * freed as this process exits.
 */
export function releaseHandedListener(env: NodeJS.ProcessEnv): Error | undefined {
  const handed = takeHandedListener(env);
  if (!handed) return undefined;
  try {
    closeSync(handed.fd);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
