// The command host: every hook entry process runs its event through this. Whatever happens — bad stdin, a broken
// config, a corrupt cache, a hanging git or server, an exception — the process exits 0 with nothing or one JSON object
// on stdout, before Claude Code's own timeout, and the problem goes to the hooks log. Nothing else reaches stdout, and
// stderr gets only the one line the entry file writes when it cannot read or write its compiled-code cache
// (src/hooks/hosts/code-cache.ts), which runs apart from the bundle and has no logger.
import { agentPid } from '../live-session.js';
import { resolveHome } from '../../home/dir.js';
import { loadSettings } from '../../config/settings.js';
import type { Cache } from '../../cache/cache.js';
import { openCacheOrCopy } from '../../cache/copy.js';
import { hookLogger, type Logger } from '../../log/logger.js';
import { writeOut } from '../../util/write-out.js';
import { markCodeWorthCaching } from './code-cache-mark.js';
import { monitorLateIn } from '../../home/monitor-late.js';
import { runHookPipeline, type HookHost } from './pipeline.js';
import type { HookStdin } from './stdin.js';
import type { Settings } from '../../config/settings.js';
import { CACHE_BUSY_TIMEOUT_MS, RESCUE_MS, watchdog, type Watchdog } from './watchdog.js';
import type { CommandHook, HookOutput } from '../types.js';

export type { CommandHook };

/**
 * What the entry's process hands its run, read from `process` once here: the run reads these, so a test can run the
 * same code in its own process with its own.
 */
export interface EntryParams {
  env: NodeJS.ProcessEnv;
  /** The directory to assume when neither the input nor CLAUDE_PROJECT_DIR names one. */
  cwd(): string;
  /** The hook's parent: the agent, or the shell it ran the hook in. */
  ppid: number;
  /** When the hook's process started. */
  startedAt: number;
}

/** The process's one run: what it logs to, whether it has answered, and the rescue it falls back on once armed. */
export interface CommandRun {
  readonly hook: CommandHook;
  readonly stdin: HookStdin;
  /** None in a test's process: there the test's own timeout holds the run. */
  readonly watchdog?: Watchdog;
  log: Logger;
  /** Set once the settings are read: what to answer if the run fails after that. */
  rescue?: (() => Promise<HookOutput | null>) | undefined;
  /** The settings, once read: whether a PreToolUse that fails must refuse. */
  settings?: Settings;
  finished: boolean;
  failed: boolean;
  /** The cache the run opened, if it did. */
  cache?: Cache;
}

/** Runs one hook invocation of this process on what arrived on stdin, and exits. */
export function runCommandHook(hook: CommandHook, stdin: HookStdin): void {
  const env = process.env;
  const entry: EntryParams = {
    env,
    cwd: () => process.cwd(),
    ppid: process.ppid,
    // process.uptime, not performance.now: the `performance` global loads perf_hooks (~1.5 ms).
    startedAt: Date.now() - process.uptime() * 1000,
  };
  const run: CommandRun = {
    hook,
    stdin,
    watchdog: watchdog((ms) => fail(run, new Error(`gave up after ${ms} ms`), 'watchdog')),
    log: hookLogger(hook.name, resolveHome(env), env.TASKHOOKS_LOG_LEVEL ?? 'info'),
    finished: false,
    failed: false,
  };
  process.on('uncaughtException', (err) => fail(run, err, 'uncaught exception'));
  process.on('unhandledRejection', (err) => fail(run, err, 'unhandled rejection'));
  run.watchdog?.arm(hook.watchdogMs());
  answer(run, entry).then(
    (output) => {
      if (run.cache) markCodeWorthCaching();
      finish(run, output);
    },
    (err: unknown) => fail(run, err, 'failed'),
  );
}

/** The run's answer, in the shape of the agent that asked. */
export function agentAnswer({ agent, agentEvent }: HookStdin, output: HookOutput | null): object | null {
  return output && agent ? agent.fromCommon(output, agentEvent ?? '') : output;
}

export async function answer(run: CommandRun, entry: EntryParams): Promise<HookOutput | null> {
  const { hook, stdin } = run;
  const { env } = entry;
  if (stdin.error) {
    const refusal =
      hook.event === 'PreToolUse' ? await (await refusals()).unreadRefusal(stdin.error, env, warnFor(run)) : null;
    const said = refusal ? 'the call refused, as a guard is on' : 'nothing injected';
    safeLog(run, (l) => l.warn({ bytes: stdin.bytes }, `${hook.name}: ${stdin.error}; ${said}`));
    return refusal;
  }
  // Until the settings are read, a PreToolUse that fails refuses unless they say no guard is on.
  if (hook.event === 'PreToolUse') run.rescue = async () => (await refusals()).failedRefusal(env, warnFor(run));
  return (await runHookPipeline(hook, stdin.value, commandHost(run, entry))).output;
}

/** PreToolUse's refusals of a call it could not check: loaded only then. */
const refusals = () => import('./refusal.js');

const warnFor =
  (run: CommandRun) =>
  (err: unknown, message: string): void =>
    safeLog(run, (l) => l.warn({ err }, `${run.hook.name}: ${message}`));

/** The pipeline's host for this process: settings swap the logger, arm the rescue and re-arm the watchdog. */
function commandHost(run: CommandRun, entry: EntryParams): HookHost {
  const { hook, stdin } = run;
  const { env } = entry;
  return {
    log: () => run.log,
    logFields: { bytes: stdin.bytes },
    defaultCwd: () => env.CLAUDE_PROJECT_DIR || entry.cwd(),
    settings: async (cwd) => {
      const { settings, loaded, configCacheError } = await loadSettings({ cwd, env });
      run.log = hookLogger(hook.name, settings.home, settings.logLevel, settings.logLimits);
      for (const p of loaded.problems)
        safeLog(run, (l) => l.warn({ key: p.key }, `${p.message} (hooks carry on with the default)`));
      if (configCacheError)
        safeLog(run, (l) => l.warn(`${configCacheError}; the config is validated afresh each time meanwhile`));
      return settings;
    },
    beforeRun: (rescue, settings) => {
      run.rescue = rescue;
      run.settings = settings;
      // A rescue answers within the hook's whole time, so the run gives up that much sooner.
      run.watchdog?.arm(hook.watchdogMs(settings) - (rescue ? RESCUE_MS : 0));
    },
    openCache: (settings) => {
      run.cache = openCacheOrCopy({ home: settings.home, log: run.log, busyTimeoutMs: CACHE_BUSY_TIMEOUT_MS });
      return run.cache;
    },
    deps: {
      startedAt: entry.startedAt,
      // ensureMonitorRunning itself honours TASKHOOKS_NO_AUTOSTART=1 (tests, CI).
      ensureMonitor: true,
      monitorLate: monitorLateIn(env),
      callerPid: () => agentPid(env, entry.ppid, stdin.agent?.processName),
      ...(stdin.agent ? { agent: { id: stdin.agent.id, reach: stdin.agent.reach(stdin.agentEvent ?? '') } } : {}),
    },
  };
}

/** Logging must never be the thing that breaks a hook (an unwritable home, a full disk). */
export function safeLog(run: CommandRun, fn: (l: Logger) => void): void {
  try {
    fn(run.log);
  } catch {
    // nowhere left to report it
  }
}

function finish(run: CommandRun, output: HookOutput | null): void {
  if (run.finished) return;
  run.finished = true;
  const answer = agentAnswer(run.stdin, output);
  if (answer) writeOut(JSON.stringify(answer));
  // The cache is not closed: closing the last connection folds the write-ahead log into the file and deletes it
  // (four fsyncs and two unlinks, which the next hook's write makes again). Ending without it is what SQLite is
  // built to survive: the OS drops the locks and the next connection reads the log as it was left.
  // Explicit exit: a socket to a black-holed server or a stuck git child must not keep the process alive.
  process.exit(0);
}

function fail(run: CommandRun, err: unknown, what: string): void {
  if (run.finished || run.failed) return;
  run.failed = true;
  const { hook, rescue } = run;
  if (!rescue) {
    safeLog(run, (l) => l.error({ err }, `${hook.name}: ${what}; nothing injected`));
    return finish(run, null);
  }
  safeLog(run, (l) => l.error({ err }, `${hook.name}: ${what}; answering from the settings alone`));
  run.watchdog?.clear();
  answerFromSettings(run, rescue);
}

/** The rescue's answer; undecided when it fails too or takes longer than RESCUE_MS. */
function answerFromSettings(run: CommandRun, rescue: () => Promise<HookOutput | null>): void {
  const { name } = run.hook;
  setTimeout(() => {
    safeLog(run, (l) => l.error(`${name}: the answer from the settings alone took over ${RESCUE_MS} ms`));
    undecided(run, 'timed out');
  }, RESCUE_MS);
  rescue().then(
    (output) => finish(run, output),
    (rescueErr: unknown) => {
      safeLog(run, (l) => l.error({ err: rescueErr }, `${name}: the answer from the settings alone failed too`));
      undecided(run, 'failed');
    },
  );
}

/** A run nothing answered: PreToolUse refuses while a guard may apply, every other event says nothing. */
function undecided(run: CommandRun, why: string): void {
  if (run.hook.event !== 'PreToolUse') return finish(run, null);
  refusals().then(
    (r) => finish(run, r.failedAnswer(run.hook, run.settings, why)),
    () => finish(run, null),
  );
}
