// Finding the programs taskhooks runs. Windows looks for a bare program name in the working folder before the PATH
// (CreateProcess, and libuv's search for Node's spawn), and everywhere an empty or relative PATH entry (`:/usr/bin`,
// `.`) names the working folder too. taskhooks works in folders a stranger's clone may fill: every program started
// there is first made an absolute path from the PATH's absolute folders here.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { searchedFolders } from './child-process.js';

/** Whether `file` is a file this process may execute. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** What Windows tries after a name without one of these extensions when PATHEXT is unset. */
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** The file names `name` may have in a folder: itself, or on Windows each PATHEXT extension after it unless it has one. */
function fileNames(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform !== 'win32') return [name];
  const extensions = (env.PATHEXT || DEFAULT_PATHEXT)
    .split(';')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.startsWith('.'));
  if (extensions.includes(path.extname(name).toLowerCase())) return [name];
  return extensions.map((e) => name + e);
}

/** How a search sees a machine other than this one's files: its path syntax, and which files are there. */
export interface PathSearch {
  paths?: path.PlatformPath;
  isFile?(file: string): boolean;
}

/**
 * The first executable `name` on the PATH of `env`, as an absolute path; undefined when there is none. Only absolute
 * PATH entries are searched: an empty or relative one (`.`) means the working folder, which is never searched.
 */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  { paths = path, isFile = isExecutable }: PathSearch = {},
): string | undefined {
  const names = fileNames(name, env, platform);
  for (const dir of searchedFolders(env.PATH ?? env.Path ?? '', paths)) {
    for (const file of names) {
      const candidate = paths.join(dir, file);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** A program taskhooks needs is not on the PATH: an error value, with what to do about it. */
export class ProgramNotFoundError extends Error {
  /** What the system says of a program it cannot find, so callers that read errno codes treat both alike. */
  readonly code = 'ENOENT';
  constructor(readonly program: string) {
    super(
      `cannot run ${program}: it is not in any folder on the PATH (the working folder is never searched); install it or add its folder to PATH`,
    );
    this.name = 'ProgramNotFoundError';
  }
}

/** Programs already found, by the PATH they were found on: a monitor runs git on every refresh. */
const found = new Map<string, string>();

/**
 * The program to start for `name`: a bare name becomes its absolute path on the PATH (never the working folder's
 * program), found once per process. A name holding a folder is the caller's own path and kept as it is.
 */
export function programToRun(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | ProgramNotFoundError {
  if ((platform === 'win32' ? /[\\/]/ : /\//).test(name)) return name;
  const key = [platform, name, env.PATH ?? env.Path, env.PATHEXT].join('\0');
  const known = found.get(key);
  if (known !== undefined) return known;
  const file = findOnPath(name, env, platform);
  if (file === undefined) return new ProgramNotFoundError(name);
  found.set(key, file);
  return file;
}
