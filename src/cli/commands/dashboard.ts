// `taskhooks dashboard`: asks the monitor (started when none runs) for a one-time link to its web page, prints it and
// opens it in the desktop's browser when there is one. The link is the only way in: it becomes a session cookie.
import { spawn } from 'node:child_process';
import { runningMonitor } from '../../home/launch.js';
import { ensureHookToken } from '../../home/secrets.js';
import { UserError } from '../../errors/user.js';
import { findOnPath } from '../../util/executable.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { JSON_FLAG } from '../flags.js';
import { printJson, progress } from '../output.js';

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
