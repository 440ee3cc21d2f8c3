// The status line: Claude Code runs it after every assistant message and shows what it prints below the prompt. It
// reads the cache the hooks and the monitor keep and nothing else (no network, no git process, no monitor started),
// so it costs what a PreToolUse hook costs; whatever goes wrong, it prints at most one short line and exits 0.
import { sqliteDriver } from '../sqlite/driver.js';
import { NoSqliteError } from '../sqlite/no-driver.js';
import { existsSync } from 'node:fs';
import { loadSettings } from '../config/settings.js';
import { readSnapshotStatus, type SnapshotStatus } from '../cache/snapshot-status.js';
import { snapshotKey } from '../cache/snapshots.js';
import { openCacheOrCopy, unwritableHome } from '../cache/copy.js';
import { markCodeWorthCaching } from '../hooks/hosts/code-cache-mark.js';
import type { HookStdin } from '../hooks/hosts/stdin.js';
import { resolveHome } from '../home/dir.js';
import { homeFiles } from '../home/files.js';
import { hookLogger } from '../log/logger.js';
import { writeOut } from '../util/write-out.js';
import { locateScope } from '../tasks/scope.js';
import { readStatusInput, sessionDir } from './input.js';
import { renderStatusLine } from './line.js';
import { cleanText, fitWidth } from './text.js';

/** Without COLUMNS (Claude Code before 2.1.153) the width of a classic terminal. */
const DEFAULT_COLUMNS = 80;
/** A new run cancels one still running: a busy writer is not worth waiting long for. */
const CACHE_BUSY_TIMEOUT_MS = 250;

function columnsOf(env: NodeJS.ProcessEnv): number {
  const n = Number(env.COLUMNS);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_COLUMNS;
}

export interface StatusLineOptions {
  env: NodeJS.ProcessEnv;
  /** Where the session is when the input does not say: the directory Claude Code started the command in. */
  cwd: string;
  now?: number;
}

/**
 * The row for what Claude Code sent on stdin ('' to print nothing: input that is not Claude Code's). Never throws: a
 * failure is logged and the row says where to look.
 */
export async function statusLine(stdin: HookStdin, options: StatusLineOptions): Promise<string> {
  const { env } = options;
  const columns = columnsOf(env);
  let home = resolveHome(env);
  let log = hookLogger('statusline', home, env.TASKHOOKS_LOG_LEVEL ?? 'info');
  try {
    if (stdin.error) {
      log.warn({ bytes: stdin.bytes }, `status line: ${stdin.error}; nothing shown`);
      return '';
    }
    const parsed = await readStatusInput(stdin.value);
    if (!parsed.ok) {
      log.warn({ bytes: stdin.bytes, reason: parsed.reason }, 'status line: nothing shown');
      return '';
    }
    const dir = sessionDir(parsed.input) ?? options.cwd;
    const { settings, loaded, configCacheError } = await loadSettings({ cwd: dir, env });
    home = settings.home;
    log = hookLogger('statusline', home, settings.logLevel, settings.logLimits);
    for (const p of loaded.problems)
      log.warn({ key: p.key }, `${p.message} (the status line carries on with the default)`);
    if (configCacheError) log.warn(`${configCacheError}; the config is validated afresh each time meanwhile`);
    const { scope } = locateScope(settings.project, dir);
    let status: SnapshotStatus | undefined;
    // No cache yet (no session has started here): nothing to read, and nothing to create for it, unless none can be
    // created, which the row then says.
    if (existsSync(homeFiles(home).cache) || unwritableHome(home)) {
      // Left open for the process's exit, as the hooks leave it (src/hooks/hosts/run.ts): closing the last connection
      // would fold the write-ahead log into the file, with its fsyncs, on every row.
      const cache = openCacheOrCopy({ home, log, busyTimeoutMs: CACHE_BUSY_TIMEOUT_MS });
      if (cache.copy && !cache.copy.read) return fitWidth(`tasks: ${cleanText(cache.copy.problem)}`, columns);
      status = readSnapshotStatus(cache, snapshotKey(settings.source.key, scope));
    } else {
      // No cache may also mean no SQLite library to make one with: said rather than "not fetched yet" for ever.
      const driver = sqliteDriver();
      if ('problem' in driver) throw driver.problem;
    }
    const line = renderStatusLine(status, options.now ?? Date.now(), columns);
    markCodeWorthCaching();
    return line;
  } catch (err) {
    if (err instanceof NoSqliteError) return fitWidth(`tasks: ${err.message}`, columns);
    try {
      log.error({ err }, 'status line failed; it shows "tasks: unavailable" instead');
    } catch {
      // the log itself is broken (an unwritable home): the row below still says where to look
    }
    return fitWidth(`tasks: unavailable (see ${cleanText(homeFiles(home).logs)}/hooks.log)`, columns);
  }
}

/** The command Claude Code runs (dist/hooks/status-line.js): one row on stdout, exit 0, whatever happens. */
export function runStatusLine(stdin: HookStdin): void {
  const done = (line: string): never => {
    if (line) writeOut(`${line}\n`);
    process.exit(0);
  };
  // Only a bug lands here (statusLine catches what it calls): logged, then still no stack trace and still exit 0.
  const fail = (err: unknown): never => {
    try {
      hookLogger('statusline', resolveHome(process.env), 'error').error(
        { err },
        'status line: unexpected failure; nothing shown',
      );
    } catch {
      // nowhere left to report it
    }
    return done('');
  };
  process.on('uncaughtException', fail);
  statusLine(stdin, { env: process.env, cwd: process.env.CLAUDE_PROJECT_DIR || process.cwd() }).then(done, fail);
}
