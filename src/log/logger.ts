import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LoggerOptions, DestinationStream } from 'pino';
import { thisBuildId } from '../util/package.js';
import { refuseSpecialFile } from '../util/safe-read.js';
import { scrub, scrubString } from './redact.js';
import { DEFAULT_LOG_LIMITS, rotateIfNeeded, type LogLimits } from './rotate.js';

type LogFn = {
  (obj: object, msg?: string): void;
  (msg: string): void;
};

/** The logging surface taskhooks code uses; a pino logger satisfies it, and so does the hooks' deferred one. */
export interface Logger {
  level: string;
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerSettings {
  home: string;
  /** File name under `$TASKHOOKS_HOME/logs/`: hooks.log, monitor.log, cli.log, server.log. */
  file: string;
  level?: string;
  /**
   * Hooks exit right after writing: a synchronous destination is the only way no line is lost. A long-lived writer
   * takes createAsyncFileLogger, which also survives its folder going away.
   */
  sync: true;
  name?: string;
  /** Rotation: checked when the file is opened, and by `rotate()`. None: the file is never rotated by this writer. */
  limits?: LogLimits;
}

export interface FileLogger {
  logger: Logger;
  file: string;
  /** Rotates the file when it grew past its limits, and writes to a new one; false when it did not need to. */
  rotate(): boolean;
  flush(): void;
  /** Flushes and lets the file go: a line logged after is dropped. */
  close(): void;
}

export function logDir(home: string): string {
  return path.join(home, 'logs');
}

// pino costs ~20 ms to load, a third of a hook's whole budget: it is required at first use, never at import.
const loadPino = (): typeof import('pino') => createRequire(import.meta.url)('pino') as typeof import('pino');

/** What scrubChildBindings needs of a pino logger: a child factory. */
type ChildFactory = { child(bindings: Record<string, unknown>, options?: object): ChildFactory };

/**
 * Child bindings (logger.child({...})) never pass through logMethod, and pino's bindings formatter does not apply to
 * children: so every child, and every child of a child, is made from scrubbed bindings.
 */
function scrubChildBindings<L>(logger: L): L {
  const l = logger as unknown as ChildFactory;
  const make = l.child.bind(l);
  l.child = (bindings, options) => scrubChildBindings(make(scrub(bindings) as Record<string, unknown>, options));
  return logger;
}

/** A scrubbing pino logger writing JSON lines to `destination`. */
function scrubbingLogger(
  pino: typeof import('pino'),
  settings: { level?: string | undefined; name?: string | undefined },
  destination: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { pid: process.pid, ...(settings.name ? { name: settings.name } : {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a: unknown) => (typeof a === 'string' ? scrubString(a) : scrub(a))) as Parameters<
          typeof method
        >;
        method.apply(this, scrubbed);
      },
    },
  };
  return scrubChildBindings(pino(options, destination));
}

/**
 * The same JSON lines on stderr, for a CLI whose state directory cannot take its log (read-only, full): what would
 * have gone to the file is still seen.
 */
export function createStderrLogger(settings: { level?: string | undefined; name?: string | undefined }): Logger {
  const pino = loadPino();
  return scrubbingLogger(pino, settings, pino.destination({ dest: 2, sync: true }));
}

/** A pino logger writing JSON lines to `$TASKHOOKS_HOME/logs/<file>`, never to stdout, with secrets scrubbed. */
export const createFileLogger: (settings: LoggerSettings) => FileLogger = (settings) => fileLogger(settings);

/** createFileLogger's work, and createAsyncFileLogger's with the guard it puts between pino and the destination. */
function fileLogger(
  settings: Omit<LoggerSettings, 'sync'> & { sync: boolean },
  guard?: (destination: GuardedDestination) => DestinationStream,
): FileLogger {
  const pino = loadPino();
  const dir = logDir(settings.home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, settings.file);
  // A FIFO in its place would hold the append's open for good.
  refuseSpecialFile(file);
  if (settings.limits) rotateIfNeeded(file, settings.limits);
  const destination = pino.destination({ dest: file, sync: settings.sync, mkdir: true, mode: 0o600 });
  const logger = scrubbingLogger(pino, settings, guard ? guard(destination) : (destination as DestinationStream));
  // The file this writer appends to: when another process rotated it away, this one reopens too instead of writing on
  // into the renamed generation.
  let opened = inodeOf(file);
  const reopen = (): void => {
    destination.reopen();
    opened = inodeOf(file);
  };
  return {
    logger,
    file,
    rotate: () => {
      if (!settings.limits) return false;
      if (rotateIfNeeded(file, settings.limits, reopen)) return true;
      const now = inodeOf(file);
      if (opened === undefined) opened = now;
      else if (now !== opened) reopen();
      return false;
    },
    flush: () => {
      try {
        destination.flushSync();
      } catch {
        // flushSync throws when nothing is buffered on a sync destination; there is nothing to lose then.
      }
    },
    close: () => destination.end(),
  };
}

/** What createAsyncFileLogger wraps: pino's destination, which reports a failed open or write as an 'error' event. */
interface GuardedDestination {
  on(event: 'error', listener: (err: Error) => void): unknown;
  write(line: string): unknown;
  flushSync(): void;
}

/**
 * createFileLogger for a long-lived writer (the monitor, `serve`), whose destination opens and writes after this
 * returns. A folder deleted meanwhile (a home removed under its monitor) was an unhandled 'error' event, and every
 * line after it threw: either ended the process. Now it is said once on stderr, the lines after it are dropped, and
 * the process goes on (the monitor to notice its home gone).
 */
export function createAsyncFileLogger(settings: Omit<LoggerSettings, 'sync'>): FileLogger {
  return fileLogger({ ...settings, sync: false }, (destination) => {
    let lost = false;
    destination.on('error', (err) => {
      if (!lost)
        process.stderr.write(
          `taskhooks: cannot write ${path.join(logDir(settings.home), settings.file)} (${err.message}); its lines are lost\n`,
        );
      lost = true;
    });
    // pino flushes the destination as the process exits. One whose file is not open (its folder gone, the process
    // ending first, a reopen under way) threw there, an uncaught error as the process ended. A failed open is said by
    // the 'error' handler; a pending one holds lines the next write or the open writes, or that end with the process.
    const flushSync = destination.flushSync.bind(destination);
    destination.flushSync = () => {
      try {
        flushSync();
      } catch {
        // not open: nothing can be written now, and there is no log to say it in
      }
    };
    return { write: (line: string) => (lost ? undefined : destination.write(line)) };
  });
}

function inodeOf(file: string): number | undefined {
  try {
    return statSync(file).ino;
  } catch {
    return undefined; // not created yet (an asynchronous destination opens it soon), or rotated away
  }
}

/**
 * For a long-lived writer with no jobs to hang the check on (`serve`, the stdio server): checks on a slow timer that
 * never keeps the process alive. Returns the stop.
 */
export function rotateEvery(fl: FileLogger, ms = 60_000): () => void {
  const timer = setInterval(() => {
    try {
      if (fl.rotate()) fl.logger.info('log rotated');
    } catch (err) {
      fl.logger.warn({ err }, 'log rotation failed; the file keeps growing until the next try');
    }
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/**
 * A logger whose lines go to the one `open()` makes, called at the first line at an enabled level, so a run with
 * nothing to report never pays for pino. `open` answers null when there is nowhere to write: the lines are dropped.
 */
export function deferLogger(level: string, open: () => Logger | null): Logger {
  const threshold = LEVELS[level] ?? 30;
  /** null: nowhere to write (the file cannot be made, or refused a line). */
  let real: Logger | null | undefined;
  const opened = (): Logger | null => {
    if (real === undefined) real = open();
    return real;
  };
  const make = (at: keyof typeof LEVELS): LogFn =>
    ((objOrMsg: object | string, msg?: string) => {
      if ((LEVELS[at] ?? 0) < threshold) return;
      const to = opened();
      if (to === null) return;
      const fn = to[at as 'info'];
      try {
        if (typeof objOrMsg === 'string') fn.call(to, objOrMsg);
        else (fn as (o: object, m?: string) => void).call(to, objOrMsg, msg);
      } catch {
        // A full disk refuses the line (ENOSPC). It is dropped, and so are the lines after it, but the run goes on.
        real = null;
      }
    }) as LogFn;
  return {
    level,
    fatal: make('fatal'),
    error: make('error'),
    warn: make('warn'),
    info: make('info'),
    debug: make('debug'),
    trace: make('trace'),
    child: (bindings) => deferLogger(level, () => opened()?.child(bindings) ?? null),
  };
}

/** The synchronous file logger of `settings`, made at its first line (deferLogger). */
export function deferredLogger(settings: LoggerSettings, bindings: Record<string, unknown> = {}): Logger {
  return deferLogger(settings.level ?? 'info', () => {
    try {
      return createFileLogger(settings).logger.child(bindings);
    } catch {
      // A hook has nowhere else to write (stdout is its answer): its context names the state directory's problem.
      return null;
    }
  });
}

/**
 * The hooks log as the process `name` writes it (a command hook, the MCP-tool host, the status line): synchronously
 * (the process exits right after), pino loaded only at the first line, and rotated like every log (the default limits
 * until the settings are read).
 */
export function hookLogger(name: string, home: string, level: string, limits: LogLimits = DEFAULT_LOG_LIMITS): Logger {
  // Each line names the build that wrote it: after an upgrade, hooks of two builds may write one log.
  const build = thisBuildId();
  return deferredLogger({ home, file: 'hooks.log', sync: true, level, name, limits }, build ? { build } : {});
}
