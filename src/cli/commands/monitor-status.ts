// `taskhooks monitor status`: the daemon, each project's last refresh, the servers' health, the cache.
import { openCache } from '../../cache/cache.js';
import { collectStatus, withAnswer, type MonitorStatus, type ServerStatus } from '../../monitor/status.js';
import { formatAge } from '../../util/age.js';
import { defineCommand } from '../args.js';
import { JSON_FLAG } from '../flags.js';
import { formatBytes, paint, table, printJson, type Out } from '../output.js';

/** The served hooks' problem in one line, with what to do about it. */
export const hookProblemLine = (problem: string | undefined): string =>
  `Served hooks: unavailable: ${problem ?? 'no port bound'}; command hooks are unaffected. Set monitor.hookPort to a free port, then restart the monitor`;

function ago(now: number, at: number | undefined): string {
  return at === undefined ? '-' : `${formatAge(now - at)} ago`;
}

function healthCell(out: Out, v: ServerStatus, now: number): string {
  if (v.health === 'ok') return paint(out, 'green', v.health);
  if (v.health !== 'unknown') return paint(out, 'red', v.health);
  return v.lastCheckedAt === undefined ? v.health : `${v.health} (last call ${formatAge(now - v.lastCheckedAt)} ago)`;
}

/**
 * Health is what the monitor's calls found. While it runs, that is now; once it stopped, nothing checks the servers,
 * so the table says "last known" and how old each finding is instead of passing old news for current.
 */
function serversTable(out: Out, s: MonitorStatus, now: number): string {
  const current = s.running && !s.notAnswering;
  const header = [
    'server',
    current ? 'health' : 'last known',
    ...(current ? [] : ['as of']),
    'breaker',
    'mean',
    'p95',
    'calls',
    'failures',
    'last error',
  ];
  const rows = s.servers.map((v) => [
    v.server,
    healthCell(out, v, now),
    ...(current ? [] : [ago(now, v.lastCheckedAt)]),
    v.breaker,
    v.meanMs === undefined ? '-' : `${v.meanMs} ms`,
    v.p95Ms === undefined ? '-' : `${v.p95Ms} ms`,
    String(v.calls),
    String(v.failures),
    v.lastError ?? '',
  ]);
  const title = current
    ? 'Servers'
    : `Servers ${paint(out, 'yellow', `(last known: the monitor is not ${s.running ? 'answering' : 'running'}, so nothing checks them now)`)}`;
  return `\n${title}\n${table(out, header, rows)}`;
}

/** The head line: running, not answering, or not running. */
function headLine(out: Out, s: MonitorStatus): string {
  if (s.notAnswering) return `Monitor: ${paint(out, 'red', 'not answering')} (pid ${s.pid}): ${s.notAnswering}`;
  return s.running
    ? `Monitor: ${paint(out, 'green', 'running')} (pid ${s.pid}, up ${formatAge(s.uptimeMs ?? 0)})` +
        (s.hookPort ? `, served hooks on 127.0.0.1:${s.hookPort}` : '') +
        (s.hookPort && s.hookProblem ? `\n${paint(out, 'yellow', `note: ${s.hookProblem}`)}` : '') +
        (s.storeServerUrl ? `, the built-in store served at ${s.storeServerUrl}` : '') +
        (s.code ? `\nCode: ${s.code}` : '') +
        (s.otherCode ? `\n${paint(out, 'yellow', `note: ${s.otherCode}`)}` : '')
    : `Monitor: ${paint(out, 'yellow', 'not running')} (\`taskhooks monitor start\` starts it)`;
}

function renderStatus(out: Out, s: MonitorStatus, now: number): string {
  const head = headLine(out, s);
  const parts = [
    `${head}\n${s.running && s.hookPort === null ? `${paint(out, 'yellow', hookProblemLine(s.hookProblem))}\n` : ''}Log: ${s.logFile}\n`,
  ];
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
            // No monitor, no next run: the schedule it last published is no promise.
            p.nextRunAt === undefined || !s.running || s.notAnswering ? '-' : `in ${formatAge(p.nextRunAt - now)}`,
            p.root,
          ]),
        )}`,
  );
  if (s.servers.length > 0) parts.push(serversTable(out, s, now));
  parts.push(
    `\nCache\n${table(
      out,
      ['entries', 'valid', 'expired', 'size'],
      [[String(s.cache.entries), String(s.cache.valid), String(s.cache.expired), formatBytes(s.cache.bytes)]],
    )}`,
  );
  return parts.join('');
}

export const monitorStatusCommand = defineCommand({
  name: 'monitor status',
  summary: "Show whether the monitor runs, each project's last refresh, server health and cache stats",
  description:
    'Health is current only while the monitor runs and answers; when it does not, the servers are shown as last known, with\n' +
    'their age. A monitor that holds its lock but does not answer a request within a second (stopped or hung) is named so.',
  flags: { json: JSON_FLAG },
  examples: [{ command: 'taskhooks monitor status' }, { command: 'taskhooks monitor status --json' }],
  async run(ctx, { values }) {
    const { home } = ctx.settings;
    const cache = openCache({ home, log: ctx.log() });
    const now = Date.now();
    try {
      const status = await withAnswer(home, collectStatus(home, cache, now));
      if (values.json) printJson(ctx.out, status);
      else ctx.out.stdout.write(renderStatus(ctx.out, status, now));
    } finally {
      cache.close();
    }
    return 0;
  },
});
