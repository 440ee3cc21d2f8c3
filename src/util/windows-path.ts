// Paths as Windows has them, one path however it was written: the long-path prefix `\\?\` (and `\\?\UNC\` for a
// share) dropped, `/` read as `\`, and two compared without regard to case, as NTFS compares names.
import path from 'node:path';

/** `\\?\C:\a` as `C:\a`, `\\?\UNC\server\share\a` as `\\server\share\a`, `/` as `\`, no trailing `\` but a root's. */
export function plainWindowsPath(p: string): string {
  const unc = (_: string, share: string | undefined) => (share ? '\\\\' : '');
  return path.win32
    .normalize(p.replace(/^[\\/]{2}[?.][\\/](?:(UNC[\\/])|(?=[A-Za-z]:))/i, unc))
    .replace(/(?<=[^\\:])\\+$/, '');
}

/** Whether two paths of `platform`'s file system name one file: on Windows, their plain forms in any case. */
export const samePath = (a: string, b: string, platform: NodeJS.Platform = process.platform): boolean =>
  platform === 'win32' ? plainWindowsPath(a).toLowerCase() === plainWindowsPath(b).toLowerCase() : a === b;
