// The store server's listening socket handed down to the monitor about to start: bound by whoever first found no
// monitor (the socket client, hooks/monitor-wait.pl, else the SessionStart node hook), so Claude Code's connections
// wait in the kernel's queue while the monitor loads instead of being refused. Named by one variable, read once.
import { closeSync } from 'node:fs';
import type { Logger } from '../log/logger.js';

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
 * Closes this process's copy of a handed listener: once the monitor has its own, or where none is started to take it.
 * What fails is logged where the process keeps a log; the descriptor is freed as the process exits.
 */
export function closeHandedListener(fd: number, log: Logger | undefined): void {
  try {
    closeSync(fd);
  } catch (err) {
    log?.warn({ err, fd }, "could not close this process's copy of the store port: it is freed when the process exits");
  }
}

/**
 * Closes the listener handed to this process, where there is one: a process that starts no monitor would hold the port
 * for nobody, and a monitor started elsewhere would find it taken.
 */
export function releaseHandedListener(env: NodeJS.ProcessEnv, log: Logger | undefined): void {
  const handed = takeHandedListener(env);
  if (handed) closeHandedListener(handed.fd, log);
}
