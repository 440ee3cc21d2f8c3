// Where a path really leads, resolved through symlinks as the file system would when the file is written.
import { readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Where `file` really is: the deepest part of it that exists, resolved through symlinks, with the rest (not created
 * yet) appended. A dangling symlink is followed to where it points.
 */
export function realLocation(file: string, hops = 0): string {
  try {
    return realpathSync.native(file);
  } catch {
    // Not there (yet), or a link to nowhere.
  }
  if (hops < 16) {
    try {
      const target = readlinkSync(file);
      return realLocation(path.resolve(realLocation(path.dirname(file), hops + 1), target), hops + 1);
    } catch {
      // Not a symlink: nothing to follow.
    }
  }
  const parent = path.dirname(file);
  return parent === file ? file : path.join(realLocation(parent, hops), path.basename(file));
}

/**
 * A path into a process's own view of the file system (`/proc/self/cwd/…`, `/proc/<pid>/root/…`, `/dev/fd/3/…`):
 * what it names depends on whose process reads it. Group 1 is the process, where the path names one.
 */
const PROCESS_VIEW =
  /^\/(?:proc\/(self|thread-self|\d+)(?:\/task\/\d+)?\/(?:cwd|root|fd|map_files)|dev\/(?:fd|stdin|stdout|stderr))(?=\/|$)/;

/**
 * Where an absolute path leads for the agent that writes it, not for the process that asks: `/proc/self/…` and
 * `/dev/fd/…` are read as the agent's (`agentPid`). Undefined when it cannot be known: the agent's process is not
 * known, or its view cannot be read here (another user's, a process gone, a system with no /proc).
 */
export function agentsLocation(abs: string, agentPid: () => number | undefined): string | undefined {
  const view = PROCESS_VIEW.exec(abs);
  if (!view) return realLocation(abs);
  const own = view[1] === undefined || view[1] === 'self' || view[1] === 'thread-self';
  const pid = own ? agentPid() : undefined;
  if (own && pid === undefined) return undefined;
  const rest = abs.slice(view[0].length);
  const base = own ? view[0].replace(/^\/(proc\/[^/]+(?:\/task\/\d+)?|dev)\//, `/proc/${pid}/`) : view[0];
  // /dev/stdin is fd 0; /dev/fd/N is the process's fd N.
  const mapped = base.replace(
    /\/(stdin|stdout|stderr)$/,
    (_m, s: string) => `/fd/${['stdin', 'stdout', 'stderr'].indexOf(s)}`,
  );
  const real = realLocation(mapped + rest);
  return PROCESS_VIEW.test(real) ? undefined : real;
}
