// A state directory that cannot be written (a read-only mount, a full disk, another user's folder) is the user's to
// fix, not a crash: one line that says which file, why, and what to do.
import os from 'node:os';

const FS_REASONS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** Shown with `~` for the user's home, as a person would type it. */
const tilde = (p: string): string => {
  const home = os.homedir();
  return home && (p === home || p.startsWith(`${home}/`)) ? `~${p.slice(home.length)}` : p;
};

/** The code of `err`, or of the error it wraps (an open that names its file keeps the SQLite error as its cause). */
function errorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Why writing failed in words, for an fs or SQLite error that means "cannot write here"; undefined for anything else. */
export function unwritableReason(err: unknown): string | undefined {
  const code = errorCode(err);
  if (code === undefined) return undefined;
  if (code in FS_REASONS) return FS_REASONS[code];
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code.startsWith('SQLITE_IOERR')) return 'disk I/O error: the disk may be full';
  if (code.startsWith('SQLITE_READONLY')) return 'the database is read-only';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the database file cannot be opened';
  return undefined;
}

/** The fix for `reason`: room on a full disk, write permission otherwise. */
function fixFor(reason: string): string {
  return /full|space|quota/.test(reason)
    ? 'free some space or set TASKHOOKS_HOME to a directory with room'
    : 'make the directory writable or set TASKHOOKS_HOME';
}

/** What failed and the fix, when `err` means the state directory `home` cannot be written; else undefined. */
export function stateDirProblem(err: unknown, home: string): { what: string; fix: string } | undefined {
  const reason = unwritableReason(err);
  if (reason === undefined) return undefined;
  return { what: `cannot write the state directory ${tilde(home)} (${reason})`, fix: fixFor(reason) };
}

/** The one line for a command that failed because the state directory `home` cannot be written; else undefined. */
export function stateDirLine(err: unknown, home: string): string | undefined {
  const problem = stateDirProblem(err, home);
  return problem && `taskhooks: ${problem.what}; ${problem.fix}`;
}

/** The one line when the log file cannot be opened and stderr takes the log instead. */
export function logFallbackLine(file: string, err: unknown): string {
  const reason = unwritableReason(err) ?? String((err as { code?: unknown }).code ?? err);
  return `taskhooks: cannot write ${tilde(file)} (${reason}): logging to stderr; ${fixFor(reason)}`;
}
