// What `taskhooks monitor status` shows: the daemon, each project's last refresh, each server's health, the cache.
import { listBreakers, type BreakerState } from '../cache/breakers.js';
import { cacheStats, type CacheStats } from '../cache/kv.js';
import { listMetrics } from '../cache/metrics.js';
import { listProjects } from '../cache/registered-projects.js';
import type { Cache } from '../cache/cache.js';
import { homeFiles } from '../home/files.js';
import { readLiveOwner } from '../home/lock.js';
import { monitorCode, otherMonitorCode, otherMonitorLine, readMonitorInfo } from '../home/monitor-info.js';
import {
  probeMonitor,
  SILENT_MONITOR_FIX,
  silentMonitorLine,
  STRANGER_FIX,
  strangerLine,
} from '../home/monitor-probe.js';
import { nextRunAfter } from './refresh/schedule.js';

export interface ProjectStatus {
  root: string;
  name: string;
  lastSeen: number;
  lastRefreshAt?: number;
  outcome?: string;
  lastError?: string;
  nextRunAt?: number;
}

export type ServerHealth = 'ok' | 'failing' | 'down' | 'unknown';

export interface ServerStatus {
  server: string;
  health: ServerHealth;
  breaker: BreakerState;
  calls: number;
  failures: number;
  meanMs?: number;
  p95Ms?: number;
  lastError?: string;
  /** When a call last told anything about it: how old the health is when no monitor is checking. */
  lastCheckedAt?: number;
}

export interface MonitorStatus {
  running: boolean;
  /**
   * Set when the monitor holds its lock but did not answer a request (stopped or hung): what is wrong and the fix.
   * `running` stays true, since the process and its lock are there.
   */
  notAnswering?: string;
  pid?: number;
  startedAt?: number;
  uptimeMs?: number;
  hookPort?: number | null;
  /** Why the served hooks are unavailable, when they are. */
  hookProblem?: string;
  storeServerUrl?: string;
  /** The code it runs, in words, and the line saying it is not this command's when it is not. */
  code?: string;
  otherCode?: string;
  logFile: string;
  projects: ProjectStatus[];
  servers: ServerStatus[];
  cache: CacheStats;
}

/**
 * How long a server's last answer stands for its health while the monitor runs: five of the default two-minute
 * cycles. A server nothing has reached since (one that went away, a port that died with its process) is not passed
 * off as healthy.
 */
const HEALTH_FRESH_MS = 10 * 60_000;

export function collectStatus(home: string, cache: Cache, now = Date.now()): MonitorStatus {
  const owner = readLiveOwner(home);
  const info = readMonitorInfo(home);
  const next = info ? nextRunAfter(info.taskSchedule, now) : undefined;
  const breakers = new Map(listBreakers(cache).map((b) => [b.server, b]));
  const metrics = new Map(listMetrics(cache).map((m) => [m.server, m]));
  const servers = [...new Set([...breakers.keys(), ...metrics.keys()])].sort().map((server): ServerStatus => {
    const b = breakers.get(server);
    const m = metrics.get(server);
    const breaker = b?.state ?? 'closed';
    const failingNow = (m?.lastErrorAt ?? 0) > (m?.lastSuccessAt ?? 0);
    // Without a monitor the table is "last known", with its age: there the last answer is what it says.
    const answeredLately = (m?.lastSuccessAt ?? 0) > (owner ? now - HEALTH_FRESH_MS : 0);
    const health: ServerHealth =
      breaker === 'open' ? 'down' : failingNow ? 'failing' : answeredLately ? 'ok' : 'unknown';
    const s: ServerStatus = { server, health, breaker, calls: m?.calls ?? 0, failures: m?.failures ?? 0 };
    if (m) {
      s.meanMs = Math.round(m.meanMs * 10) / 10;
      s.p95Ms = Math.round(m.p95Ms * 10) / 10;
    }
    const lastError = b?.lastError ?? m?.lastError;
    if (lastError) s.lastError = lastError;
    const checked = Math.max(m?.lastSuccessAt ?? 0, m?.lastErrorAt ?? 0, b?.lastErrorAt ?? 0);
    if (checked > 0) s.lastCheckedAt = checked;
    return s;
  });
  const projects = listProjects(cache).map((p): ProjectStatus => {
    const s: ProjectStatus = { root: p.root, name: p.name, lastSeen: p.lastSeen };
    if (p.lastRefreshAt !== undefined) s.lastRefreshAt = p.lastRefreshAt;
    if (p.lastOutcome !== undefined) s.outcome = p.lastOutcome;
    if (p.lastError !== undefined) s.lastError = p.lastError;
    if (next !== undefined) s.nextRunAt = next;
    return s;
  });
  const status: MonitorStatus = {
    running: owner !== undefined,
    logFile: homeFiles(home).monitorLog,
    projects,
    servers,
    cache: cacheStats(cache, now),
  };
  if (owner) {
    status.pid = owner.pid;
    status.startedAt = info?.startedAt ?? owner.startedAt;
    status.uptimeMs = now - status.startedAt;
  }
  if (info) {
    status.hookPort = info.hookPort;
    if (info.hookProblem) status.hookProblem = info.hookProblem;
    if (info.storeServerUrl) status.storeServerUrl = info.storeServerUrl;
    status.code = monitorCode(info);
    const other = otherMonitorCode(info);
    if (other) status.otherCode = otherMonitorLine(other);
  }
  return status;
}

/** How long `monitor status` waits for the running monitor to answer before it says it does not. */
const STATUS_PROBE_MS = 1000;

/** The status with `notAnswering` set when its monitor holds the lock but does not answer. */
export async function withAnswer(home: string, status: MonitorStatus): Promise<MonitorStatus> {
  if (!status.running) return status;
  const probe = await probeMonitor(home, STATUS_PROBE_MS);
  if (probe.kind === 'silent') status.notAnswering = `${silentMonitorLine(probe)}; ${SILENT_MONITOR_FIX}`;
  if (probe.kind === 'stranger') status.notAnswering = `${strangerLine(probe)}; ${STRANGER_FIX}`;
  return status;
}
