// `taskhooks dashboard`: asks the monitor (started when none runs) for a one-time link to its web page, prints it and
// opens it in the desktop's browser when there is one. The link is the only way in: it becomes a session cookie.
import { spawn } from 'node:child_process';
import { ensureMonitorRunning } from '../../home/launch.js';
import { readMonitorInfo } from '../../home/monitor-info.js';
import { ensureHookToken } from '../../home/secrets.js';
import { UserError } from '../../errors/user.js';
import { sleep } from '../../util/deadline.js';
import { findOnPath } from '../../util/executable.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { JSON_FLAG } from '../flags.js';
import { printJson, progress } from '../output.js';
import type { MonitorInfo } from '../../home/files.js';

/** How long a monitor just started may take to publish its port. */
const START_WAIT_MS = 15_000;

async function runningMonitor(home: string, log: Parameters<typeof ensureMonitorRunning>[1]): Promise<MonitorInfo> {
  let info = readMonitorInfo(home);
  if (info) return info;
  const started = ensureMonitorRunning(home, log);
  if (!started.running && !started.started) {
    throw new UserError(
      'the monitor is not running and could not be started: run `taskhooks monitor start`, then `taskhooks dashboard`',
      2,
    );
  }
  const until = Date.now() + START_WAIT_MS;
  while (!info && Date.now() < until) {
    await sleep(100);
    info = readMonitorInfo(home);
  }
  if (!info)
    throw new UserError(
      'the monitor did not start in 15 s: see `taskhooks monitor status` and ~/.taskhooks/logs/monitor.log',
      1,
    );
  return info;
}

export const dashboardCommands: Command[] = [
  defineCommand({
    name: 'dashboard',
    summary: "Open the monitor's web page: the board of tasks, the sessions and what they were told, sources, alerts",
    description:
      'Prints a one-time link to http://127.0.0.1:<port>/dashboard/ (valid 5 minutes, one use) and opens it when a desktop browser is found.\n' +
      'The page is served by the monitor on loopback only; the monitor is started when none runs.',
    flags: { 'no-open': { type: 'boolean', description: 'print the link without opening a browser' }, json: JSON_FLAG },
    examples: [{ command: 'taskhooks dashboard' }, { command: 'taskhooks dashboard --no-open' }],
    async run(ctx, { values }) {
      const { home } = ctx.settings;
      const done = progress(ctx.out, 'asking the monitor for a link');
      const info = await runningMonitor(home, ctx.log()).finally(done);
      if (info.hookPort === null) {
        throw new UserError(
          `the monitor serves no web page: ${info.hookProblem ?? 'no port bound'}; set monitor.hookPort to a free port and restart it`,
          1,
        );
      }
      const base = `http://127.0.0.1:${info.hookPort}`;
      const res = await fetch(`${base}/dashboard/link`, {
        method: 'POST',
        headers: { 'x-taskhooks-token': ensureHookToken(home) },
      }).catch((err: unknown) => {
        throw new UserError(
          `the monitor at ${base} did not answer (${(err as Error).message}): see \`taskhooks monitor status\``,
          1,
        );
      });
      if (res.status === 404)
        throw new UserError(
          'the running monitor predates the dashboard: run `taskhooks monitor stop`, then `taskhooks dashboard`',
          1,
        );
      if (!res.ok) throw new UserError(`the monitor refused a link (${res.status}): ${(await res.text()).trim()}`, 1);
      const { path } = (await res.json()) as { path: string };
      const url = `${base}${path}`;
      if (values.json) {
        printJson(ctx.out, { url });
        return 0;
      }
      ctx.out.stdout.write(`Dashboard (one-time link, valid 5 minutes): ${url}\n`);
      const opener =
        values['no-open'] || !(ctx.env.DISPLAY || ctx.env.WAYLAND_DISPLAY)
          ? undefined
          : findOnPath('xdg-open', ctx.env);
      if (opener)
        spawn(opener, [url], { stdio: 'ignore', detached: true })
          .on('error', (err) => ctx.log().warn({ err }, 'could not open a browser; the link above still works'))
          .unref();
      return 0;
    },
  }),
];
