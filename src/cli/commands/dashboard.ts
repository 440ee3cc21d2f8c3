// `taskhooks dashboard`: asks the monitor (started when none runs) for a one-time link to its web page, prints it and
// opens it in the person's browser (src/cli/open-browser.ts), or says why it did not. The link is the only way in: it becomes a session cookie.
import { runningMonitor } from '../../home/launch.js';
import { distrustedMonitor } from '../../home/monitor-trust.js';
import { ensureDashboardToken, LINK_TOKEN_HEADER } from '../../home/secrets.js';
import { readCapped } from '../../sources/rest/http.js';
import { UserError } from '../../errors/user.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';
import { JSON_FLAG } from '../flags.js';
import { browserOpener, startOpener } from '../open-browser.js';
import { progress } from '../output.js';

/** How long a monitor the OS cannot vouch for has to prove itself before it is sent the dashboard token. */
const PROOF_MS = 2000;

/** The most of the monitor's answer read: a link is a hundred bytes. */
const LINK_MAX_BYTES = 64 * 1024;

export const dashboardCommands: Command[] = [
  defineCommand({
    name: 'dashboard',
    summary: "Open the monitor's web page: the board of tasks, the sessions and what they were told, sources, alerts",
    description:
      'Prints a one-time link to http://127.0.0.1:<port>/dashboard/ (valid 5 minutes, one use) and opens it with $BROWSER,\n' +
      "else the platform's opener (xdg-open where there is a display); when it cannot, it says why.\n" +
      'The page is served by the monitor on loopback only; the monitor is started when none runs.',
    flags: { 'no-open': { type: 'boolean', description: 'print the link without opening a browser' }, json: JSON_FLAG },
    examples: [{ command: 'taskhooks dashboard' }, { command: 'taskhooks dashboard --no-open' }],
    async run(ctx, { values }) {
      const { home } = ctx.settings;
      const done = progress(ctx.out, 'asking the monitor for a link');
      const info = await runningMonitor(home, ctx.log(), ctx.env).finally(done);
      if (info.hookPort === null) {
        throw new UserError(
          `the monitor serves no web page: ${info.hookProblem ?? 'no port bound'}; set monitor.hookPort to a free port and restart it`,
          1,
        );
      }
      // Whoever took a dead monitor's port answers there too: the token goes only to a monitor that proves itself.
      const why = await distrustedMonitor(home, PROOF_MS);
      if (why) throw new UserError(`no link asked for: ${why}`, 1);
      const base = `http://127.0.0.1:${info.hookPort}`;
      const res = await fetch(`${base}/dashboard/link`, {
        method: 'POST',
        headers: { [LINK_TOKEN_HEADER]: ensureDashboardToken(home) },
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
      const text = await readCapped(res, LINK_MAX_BYTES, `the monitor at ${base}`).catch((err: unknown) => {
        throw new UserError(`${(err as Error).message}: see \`taskhooks monitor status\``, 1);
      });
      if (!res.ok) throw new UserError(`the monitor refused a link (${res.status}): ${text.trim()}`, 1);
      const { path } = JSON.parse(text) as { path: string };
      const url = `${base}${path}`;
      // The link is what the command is run for: its one-time token is shown, everything else masked as ever.
      const shown = ctx.out.unmasked ?? ctx.out.stdout;
      if (values.json) {
        shown.write(`${JSON.stringify({ url }, null, 2)}\n`);
        return 0;
      }
      shown.write(`Dashboard (one-time link, valid 5 minutes): ${url}\n`);
      if (values['no-open']) return 0;
      const opener = browserOpener(url, ctx.env);
      const result = 'none' in opener ? { opened: false, said: opener.none } : await startOpener(opener, ctx.env);
      if (result.opened) ctx.out.stdout.write(`Opened: ${result.said}.\n`);
      else {
        ctx.log().warn({ why: result.said }, 'no browser opened for the dashboard');
        ctx.out.stdout.write(
          `No browser opened (${result.said}): open the link above in a browser on this machine, or set $BROWSER.\n`,
        );
      }
      return 0;
    },
  }),
];
