// Where the http transport's hooks reach the installing person's monitor: the port it serves hooks on, its store
// server's port, the hook token and its socket, each as the running monitor has it when one runs.
import { anyGuard, type Settings } from '../config/settings.js';
import { UserError } from '../errors/user.js';
import { monitorSocketPath } from '../home/endpoint.js';
import { readMonitorInfo } from '../home/monitor-info.js';
import { ensureHookToken } from '../home/secrets.js';
import type { ServedEndpoint } from './settings.js';

/**
 * The port the monitor serves hooks on: the one the running monitor holds (another process may hold the configured
 * one), else the configured or the home's own one.
 */
function servedHookPort(home: string, settings: Settings): number {
  const port = readMonitorInfo(home)?.hookPort;
  if (typeof port === 'number' && port > 0) return port;
  if (settings.monitor.hookPort > 0) return settings.monitor.hookPort;
  throw new UserError(
    'monitor.hookPort is 0 (a random port each start), which settings cannot name: remove it from the config (each state directory then has a port of its own) and run install again',
    2,
  );
}

/** The port the monitor's store server holds, else the configured or the home's own one. */
export function servedStorePort(home: string, settings: Settings): number {
  const url = readMonitorInfo(home)?.storeServerUrl;
  const port = url === undefined ? undefined : Number(new URL(url).port);
  return port !== undefined && port > 0 ? port : settings.monitor.storeServerPort;
}

/** Where the http transport's hooks reach the installing person's monitor. */
export function servedEndpoint(home: string, settings: Settings): ServedEndpoint {
  return {
    port: servedHookPort(home, settings),
    token: ensureHookToken(home),
    socket: monitorSocketPath(home),
    guarded: anyGuard(settings.hooks.guards),
  };
}
