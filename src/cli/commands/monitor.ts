import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { openStore } from '../../cache/store.js';
import { runUntilSignalled, type RunningMonitor } from '../../monitor/daemon.js';
import { spawnMonitor } from '../../home/launch.js';
import { readLiveOwner } from '../../home/lock.js';
import { homeFiles } from '../../home/files.js';
import { readMonitorInfo } from '../../home/monitor-info.js';
import { previewSessionContext, seedExampleProject } from '../../monitor/quickstart.js';
import { locateScope } from '../../tasks/scope.js';
import { collectStatus, type MonitorStatus } from '../../monitor/status.js';
import { productionServices } from '../../monitor/services.js';
import { parseFlags } from '../args.js';
import { UserError } from '../../errors/user.js';
import { type CliContext, type Command } from '../command.js';
import { formatBytes, paint, printJson, progress, table, type Out } from '../output.js';
import { formatAge } from '../../util/age.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alreadyRunning(home: string, pid: number): UserError {
  return new UserError(`a monitor is already running for ${home} (pid ${pid}); it was left alone (\`taskhooks monitor stop\` stops it)`);
}

/** Waits until the spawned monitor has published monitor.json, or has exited (then says why). */
async function waitUntilUp(home: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readMonitorInfo(home)?.pid === child.pid) return;
    if (exited !== undefined) {
      const owner = readLiveOwner(home);
      if (owner && owner.pid !== child.pid) throw alreadyRunning(home, owner.pid);
      throw new UserError(`the monitor exited at start (code ${exited}); see ${homeFiles(home).monitorLog}`);
    }
    await sleep(50);
  }
  throw new UserError(`the monitor (pid ${child.pid}) did not come up within ${timeoutMs / 1000} s; see ${homeFiles(home).monitorLog}`);
}

/** The served hooks' problem in one line, with what to do about it. */
const hookProblemLine = (problem: string | undefined): string =>
  `Served hooks: unavailable: ${problem ?? 'no port bound'}; command hooks are unaffected. Set monitor.hookPort to a free port, then restart the monitor`;

function describeRunning(m: { pid: number; hookPort: number | null; hookProblem?: string; embeddedUrl?: string }, logFile: string): string {
  const lines = [`Monitor running (pid ${m.pid}).`, `Log: ${logFile}`];
  if (m.hookPort !== null) lines.push(`Served hooks: http://127.0.0.1:${m.hookPort}/hooks/session-start, /hooks/pre-tool-use, /hooks/post-tool-use`);
  else lines.push(hookProblemLine(m.hookProblem));
  if (m.embeddedUrl) lines.push(`Embedded task server: ${m.embeddedUrl}`);
  return `${lines.join('\n')}\n`;
}

function ago(now: number, at: number | undefined): string {
  return at === undefined ? '-' : `${formatAge(now - at)} ago`;
}

function renderStatus(out: Out, s: MonitorStatus, now: number): string {
  const head = s.running
    ? `Monitor: ${paint(out, 'green', 'running')} (pid ${s.pid}, up ${formatAge(s.uptimeMs ?? 0)})` +
      (s.hookPort ? `, served hooks on 127.0.0.1:${s.hookPort}` : '') +
      (s.embeddedUrl ? `, embedded server ${s.embeddedUrl}` : '')
    : `Monitor: ${paint(out, 'yellow', 'not running')} (\`taskhooks monitor start\` starts it)`;
  const parts = [`${head}\n${s.running && s.hookPort === null ? `${paint(out, 'yellow', hookProblemLine(s.hookProblem))}\n` : ''}Log: ${s.logFile}\n`];
  parts.push(
    s.projects.length === 0
      ? '\nProjects: none registered (`taskhooks install` or a Claude Code session registers one)\n'
      : `\nProjects\n${table(
          out,
          ['project', 'last refresh', 'outcome', 'next run', 'root'],
          s.projects.map((p) => [
            p.name,
            ago(now, p.lastRefreshAt),
            p.outcome === 'error' ? paint(out, 'red', `error: ${p.lastError ?? ''}`) : (p.outcome ?? 'pending'),
            p.nextRunAt === undefined ? '-' : `in ${formatAge(p.nextRunAt - now)}`,
            p.root,
          ]),
        )}`,
  );
  if (s.servers.length > 0) {
    parts.push(
      `\nServers\n${table(
        out,
        ['server', 'health', 'breaker', 'mean', 'p95', 'calls', 'failures', 'last error'],
        s.servers.map((v) => [
          v.server,
          v.health === 'ok' ? paint(out, 'green', v.health) : v.health === 'unknown' ? v.health : paint(out, 'red', v.health),
          v.breaker,
          v.meanMs === undefined ? '-' : `${v.meanMs} ms`,
          v.p95Ms === undefined ? '-' : `${v.p95Ms} ms`,
          String(v.calls),
          String(v.failures),
          v.lastError ?? '',
        ]),
      )}`,
    );
  }
  parts.push(
    `\nCache\n${table(out, ['entries', 'valid', 'expired', 'size'], [
      [String(s.cache.entries), String(s.cache.valid), String(s.cache.expired), formatBytes(s.cache.bytes)],
    ])}`,
  );
  return parts.join('');
}

/** The monitor in the foreground until SIGTERM/SIGINT; `onReady` runs once it is up. */
async function runForeground(ctx: CliContext, onReady?: (m: RunningMonitor) => Promise<void>): Promise<number> {
  const { settings } = ctx;
  const result = await runUntilSignalled({ settings, env: ctx.env, services: productionServices(ctx.env) }, onReady);
  if (!result.started) throw alreadyRunning(settings.home, result.owner.pid);
  // Stopped cleanly; a handle some library keeps open (a keep-alive socket) must not keep the process alive.
  setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}

const STOP_TIMEOUT_S = 15;

export const monitorCommands: Command[] = [
  {
    name: 'monitor start',
    summary: 'Start the background monitor (detached) that keeps the cache fresh and serves hooks over HTTP',
    usage: 'taskhooks monitor start',
    async run(ctx) {
      parseFlags(ctx.args, {}, 'taskhooks monitor start');
      const { home } = ctx.settings;
      const owner = readLiveOwner(home);
      if (owner) throw alreadyRunning(home, owner.pid);
      const child = spawnMonitor(home, ctx.log(), ctx.env);
      const starting = progress(ctx.out, 'starting the monitor');
      await waitUntilUp(home, child, 10_000).finally(starting);
      const info = readMonitorInfo(home);
      ctx.out.stdout.write(describeRunning(info ?? { pid: child.pid ?? 0, hookPort: null }, homeFiles(home).monitorLog));
      return 0;
    },
  },
  {
    name: 'monitor stop',
    summary: 'Stop the monitor gracefully (a refresh in flight finishes; SIGKILL only after a timeout)',
    usage: 'taskhooks monitor stop [--timeout SECONDS]',
    async run(ctx) {
      const usage = 'taskhooks monitor stop [--timeout SECONDS]';
      const { values } = parseFlags(ctx.args, { timeout: { type: 'string' } }, usage);
      const timeoutS = values.timeout === undefined ? STOP_TIMEOUT_S : Number(values.timeout);
      if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UserError(`--timeout must be a positive number of seconds (usage: ${usage})`, 2);
      const { home } = ctx.settings;
      const owner = readLiveOwner(home);
      if (!owner) {
        ctx.out.stdout.write('No monitor is running.\n');
        return 0;
      }
      process.kill(owner.pid, 'SIGTERM');
      const deadline = Date.now() + timeoutS * 1000;
      // Released lock = cleanup done (it is released last); the exited process may linger as a zombie meanwhile.
      const stopped = () => readLiveOwner(home)?.pid !== owner.pid;
      const stopping = progress(ctx.out, `stopping the monitor (pid ${owner.pid}); a refresh in flight finishes first`);
      while (Date.now() < deadline && !stopped()) await sleep(50);
      stopping();
      if (stopped()) {
        ctx.out.stdout.write(`Monitor stopped (pid ${owner.pid}).\n`);
        return 0;
      }
      process.kill(owner.pid, 'SIGKILL');
      // A killed monitor cleans nothing up; its files would only mislead readers until the next start.
      const paths = homeFiles(home);
      for (const f of [paths.lock, paths.info, paths.embedded]) rmSync(f, { force: true });
      ctx.log().warn({ pid: owner.pid, timeoutS }, 'monitor did not stop in time: killed');
      ctx.out.stdout.write(`Monitor (pid ${owner.pid}) did not stop within ${timeoutS} s: killed.\n`);
      return 0;
    },
  },
  {
    name: 'monitor status',
    summary: 'Show whether the monitor runs, each project\'s last refresh, server health and cache stats',
    usage: 'taskhooks monitor status [--json]',
    async run(ctx) {
      const { values } = parseFlags(ctx.args, { json: { type: 'boolean' } }, 'taskhooks monitor status [--json]');
      const { home } = ctx.settings;
      const store = openStore({ home, log: ctx.log() });
      const now = Date.now();
      try {
        const status = collectStatus(home, store, now);
        if (values.json) printJson(ctx.out, status);
        else ctx.out.stdout.write(renderStatus(ctx.out, status, now));
      } finally {
        store.close();
      }
      return 0;
    },
  },
  {
    name: 'start',
    summary: 'Run the monitor in the foreground here (npm start): example tasks the first time, this directory registered, its session context shown',
    usage: 'taskhooks start',
    async run(ctx) {
      parseFlags(ctx.args, {}, 'taskhooks start');
      const { settings, out } = ctx;
      const embedded = settings.source.plan.kind === 'embedded';
      // Seeded before the monitor starts, so the first refresh already sees the examples.
      const seeded = embedded ? seedExampleProject(settings.home, locateScope(settings.project, ctx.cwd).scope, ctx.log()) : 0;
      return runForeground(ctx, async (m) => {
        out.stdout.write(describeRunning(m.info, m.logFile));
        if (seeded > 0) out.stdout.write(`Created ${seeded} example tasks titled "[example] …" in the embedded task server (${settings.home}/tasks.db).\n`);
        const { scope, context } = await previewSessionContext(m, settings, ctx.cwd);
        out.stdout.write(`Registered ${scope.projectRoot} (project ${scope.project}${scope.branch ? `, branch ${scope.branch}` : ''}).\n\n`);
        out.stdout.write(
          context
            ? `${paint(out, 'bold', 'A Claude Code session here would receive:')}\n\n${context}\n\n`
            : 'A Claude Code session here would receive no context yet (no tasks and no git state); see the log.\n\n',
        );
        out.stdout.write(`${paint(out, 'dim', 'Running; Ctrl-C stops it.')}\n`);
      });
    },
  },
  {
    name: 'monitor run',
    summary: 'Run the monitor in the foreground (for systemd, launchd; Ctrl-C stops it)',
    usage: 'taskhooks monitor run',
    async run(ctx) {
      parseFlags(ctx.args, {}, 'taskhooks monitor run');
      return runForeground(ctx, async (m) => {
        ctx.out.stdout.write(describeRunning(m.info, m.logFile));
      });
    },
  },
];
