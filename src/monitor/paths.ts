import path from 'node:path';
import { logDir } from '../log/logger.js';
import { embeddedEndpointFile } from '../server/endpoint.js';

/** The monitor's files in `$TASKHOOKS_HOME` (see ARCHITECTURE.md, "State directory"). */
export function monitorPaths(home: string) {
  return {
    lock: path.join(home, 'monitor.pid'),
    info: path.join(home, 'monitor.json'),
    hookToken: path.join(home, 'hook-token'),
    embedded: embeddedEndpointFile(home),
    log: path.join(logDir(home), 'monitor.log'),
  };
}

/** What a running monitor publishes about itself in monitor.json. */
export interface MonitorInfo {
  pid: number;
  startedAt: number;
  /** null when the port could not be bound (see monitor.log). */
  hookPort: number | null;
  embeddedUrl?: string;
  taskSchedule: string;
  gitSchedule: string;
}
