import type { CliContext, Command } from '../command.js';
import { defineCommand, quoted, UsageError } from '../args.js';
import { paint, progress } from '../output.js';
import { stripControls } from '../../context/sanitize.js';
import {
  alreadyRunning,
  runInForeground,
  runningMonitorPid,
  startDetached,
  stopMonitor,
  type RunningMonitor,
} from '../../monitor/control.js';
import { previewSessionContext, scratchHome, seedExamplesHere } from '../../monitor/quickstart.js';
import { loadSettings } from '../../config/settings.js';
import { hookProblemLine, monitorStatusCommand } from './monitor-status.js';

function describeRunning(
  m: { pid: number; hookPort: number | null; hookProblem?: string | undefined; storeServerUrl?: string | undefined },
  logFile: string,
): string {
  const lines = [`Monitor running (pid ${m.pid}).`, `Log: ${logFile}`];
  if (m.hookPort !== null)
    lines.push(
      `Served hooks: http://127.0.0.1:${m.hookPort}/hooks/session-start, /hooks/pre-tool-use, /hooks/post-tool-use`,
      ...(m.hookProblem ? [`Note: ${m.hookProblem}`] : []),
    );
  else lines.push(hookProblemLine(m.hookProblem));
  if (m.storeServerUrl) lines.push(`The built-in store, served at: ${m.storeServerUrl}`);
  return `${lines.join('\n')}\n`;
}

/** Said when the monitor of `taskhooks start` stops, and by `monitor stop`: stopping it is not for good. */
const STARTS_AGAIN = 'the next session starts it again';

/**
 * The monitor in the foreground until SIGTERM/SIGINT; `onReady` runs once it is up. Another monitor of this home
 * already running is `onRunning`'s to answer, else an error. `stopped` is said once it has stopped.
 */
async function runForeground(
  ctx: CliContext,
  onReady?: (m: RunningMonitor) => Promise<void>,
  onRunning?: (pid: number) => Promise<number>,
  stopped?: string,
): Promise<number> {
  const { settings } = ctx;
  const result = await runInForeground({ settings, env: ctx.env }, onReady);
  if (!result.started) {
    if (onRunning) return onRunning(result.owner.pid);
    throw alreadyRunning(settings.home, result.owner.pid);
  }
  if (stopped) ctx.out.stdout.write(`${stopped}\n`);
  // Stopped cleanly; a handle some library keeps open (a keep-alive socket) must not keep the process alive.
  setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}

/**
 * `taskhooks start` in `ctx`'s home: examples seeded (built-in store), the monitor in the foreground, this directory
 * registered and its context shown. `scratch` says the home is a scratch one, removed when it stops.
 */
async function startHere(
  ctx: CliContext,
  onRunning?: (pid: number) => Promise<number>,
  scratch = false,
): Promise<number> {
  const { settings, out } = ctx;
  // Seeded before the monitor starts, so the first refresh already sees the examples.
  const seeded =
    settings.source.plan.kind === 'embedded' ? seedExamplesHere({ settings, cwd: ctx.cwd, log: ctx.log() }) : 0;
  return runForeground(
    ctx,
    async (m) => {
      out.stdout.write(describeRunning(m.info, m.logFile));
      if (seeded > 0)
        out.stdout.write(
          `Created ${seeded} example tasks titled "[example] …" (ids EXAMPLE-…) in the built-in store (${settings.home}/tasks.db).\n`,
        );
      const { scope, context } = await previewSessionContext(m, settings, ctx.cwd);
      const root = stripControls(scope.projectRoot);
      out.stdout.write(
        `Registered ${root} (project ${stripControls(scope.project)}${scope.branch ? `, branch ${stripControls(scope.branch)}` : ''}).\n`,
      );
      // What a first look leaves behind, and how to take it back, before anything else is read.
      const footprint = scratch
        ? `This writes only to ${settings.home}, removed when it stops.`
        : `This writes to ${settings.home} (the built-in store, the cache, the log) and keeps ${root} registered, on every board, until \`taskhooks uninstall\` here.`;
      out.stdout.write(`${paint(out, 'dim', footprint)}\n\n`);
      out.stdout.write(
        context
          ? `${paint(out, 'bold', 'A Claude Code session here would receive:')}\n\n${context}\n\n`
          : 'A Claude Code session here would receive no context yet (no tasks and no git state); see the log.\n\n',
      );
      out.stdout.write(`${paint(out, 'dim', 'Running; Ctrl-C stops it.')}\n`);
    },
    onRunning,
    scratch ? 'Stopped the monitor and removed its scratch home.' : `Stopped the monitor; ${STARTS_AGAIN}.`,
  );
}

/**
 * `taskhooks start` beside a monitor that already serves this home (a contributor who also uses taskhooks): that
 * monitor, its store and its board are left as they are, and this start runs in a scratch home of its own.
 */
async function inScratchHome(ctx: CliContext, pid: number): Promise<number> {
  const scratch = scratchHome();
  ctx.out.stdout.write(
    `A monitor already runs for ${ctx.settings.home} (pid ${pid}); it and its store are left alone: this start uses a scratch home, ${scratch.home}.\n`,
  );
  try {
    const env = { ...ctx.env, TASKHOOKS_HOME: scratch.home };
    const loaded = await loadSettings({ cwd: ctx.cwd, env });
    return await startHere({ ...ctx, env, loaded, settings: loaded.settings }, undefined, true);
  } finally {
    scratch.remove();
  }
}

const STOP_TIMEOUT_S = 15;

export const monitorCommands: Command[] = [
  defineCommand({
    name: 'monitor start',
    summary: 'Start the background monitor (detached) that keeps the cache fresh and serves hooks over HTTP',
    description:
      'One monitor per state directory ($TASKHOOKS_HOME): it refreshes every registered project on a schedule, watches their git state, and serves\n' +
      'hooks and, with the built-in store, the store server on 127.0.0.1. A SessionStart starts it when it is not running.\n' +
      "A running monitor of another build (another version, build or copy of taskhooks) is stopped and replaced by this one's;\n" +
      'one of this build that holds its lock but does not answer (stopped or hung) is replaced too: continued, stopped\n' +
      '(killed if it still does not answer), and a new one started.',
    flags: {},
    examples: [{ command: 'taskhooks monitor start' }],
    async run(ctx) {
      const { info, logFile, replaced } = await startDetached({
        home: ctx.settings.home,
        log: ctx.log(),
        env: ctx.env,
        timeoutMs: 10_000,
        waiting: () => progress(ctx.out, 'starting the monitor'),
      });
      if (replaced) ctx.out.stdout.write(`${replaced}\n`);
      ctx.out.stdout.write(describeRunning(info, logFile));
      return 0;
    },
  }),
  defineCommand({
    name: 'monitor stop',
    summary: 'Stop the monitor gracefully (the next session starts it again; forced to stop after a timeout)',
    description:
      'For now, not for good: the next session starts it again (unless TASKHOOKS_NO_AUTOSTART=1), and meanwhile\n' +
      'SessionStart fetches live. A refresh in flight finishes first.',
    flags: {
      timeout: {
        type: 'string',
        placeholder: 'SECONDS',
        description: `how long to wait for a graceful stop before forcing it (default ${STOP_TIMEOUT_S})`,
      },
    },
    examples: [
      { command: 'taskhooks monitor stop' },
      { command: 'taskhooks monitor stop --timeout 60', description: 'give a slow refresh a minute to finish' },
    ],
    async run(ctx, { values }) {
      const timeoutS = values.timeout === undefined ? STOP_TIMEOUT_S : Number(values.timeout);
      if (!Number.isFinite(timeoutS) || timeoutS <= 0)
        throw new UsageError(`--timeout must be a positive number of seconds, not ${quoted(values.timeout ?? '')}`);
      const stopped = await stopMonitor({
        home: ctx.settings.home,
        timeoutS,
        waiting: (pid) => progress(ctx.out, `stopping the monitor (pid ${pid}); a refresh in flight finishes first`),
      });
      const again =
        ctx.env.TASKHOOKS_NO_AUTOSTART === '1'
          ? 'TASKHOOKS_NO_AUTOSTART=1 here: sessions with it do not start it again, `taskhooks monitor start` does'
          : `${STARTS_AGAIN} (\`taskhooks monitor start\` starts it now)`;
      if (!stopped) ctx.out.stdout.write('No monitor is running.\n');
      else if (!stopped.killed) ctx.out.stdout.write(`Monitor stopped (pid ${stopped.pid}); ${again}.\n`);
      else {
        ctx.log().warn({ pid: stopped.pid, timeoutS }, 'monitor did not stop in time: killed');
        ctx.out.stdout.write(`Monitor (pid ${stopped.pid}) did not stop within ${timeoutS} s: killed; ${again}.\n`);
      }
      return 0;
    },
  }),
  monitorStatusCommand,
  defineCommand({
    name: 'monitor run',
    summary: 'Run the monitor in the foreground (for systemd, launchd; Ctrl-C stops it)',
    description:
      'The same monitor as `monitor start`, attached to the terminal or the service manager; logs still go to its log file.',
    flags: {},
    examples: [{ command: 'taskhooks monitor run', description: 'as ExecStart= of a systemd user service' }],
    async run(ctx) {
      return runForeground(ctx, async (m) => {
        ctx.out.stdout.write(describeRunning(m.info, m.logFile));
      });
    },
  }),
  defineCommand({
    name: 'start',
    summary:
      'Run the monitor in the foreground here (npm start): example tasks the first time, this directory registered, its session context shown',
    description:
      'A first look without installing anything: with the built-in store, a few "[example] …" tasks are created once. Ctrl-C stops it.\n' +
      'Beside a monitor that already serves this home it runs in a scratch home of its own (removed when it stops), so\n' +
      'that store, its registrations and its board stay as they were.',
    flags: {},
    examples: [
      { command: 'taskhooks start' },
      { command: 'npm start', description: 'the same, from a checkout of taskhooks' },
    ],
    async run(ctx) {
      const pid = runningMonitorPid(ctx.settings.home);
      if (pid !== undefined) return inScratchHome(ctx, pid);
      // One that started between the look and the lock: this start moves aside all the same.
      return startHere(ctx, (owner) => inScratchHome(ctx, owner));
    },
  }),
];
