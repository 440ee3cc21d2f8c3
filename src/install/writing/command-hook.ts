// A hook run as a node process, as install writes it: the bundled script of one event, by absolute paths. On Windows
// in exec form (`command` + `args`, which Claude Code runs with no shell): there Claude Code would otherwise run the
// line through Git Bash or PowerShell, whichever is installed, and no one line is right for both.
import path from 'node:path';
import { shellQuote } from '../paths.js';

export { ASK_MONITOR_ARG } from '../../home/monitor-late.js';

/** A hook's script, relative to the package root. */
export const hookScript = (name: string): string => `dist/hooks/${name}.js`;

/** The path functions of the platform a settings file is written for: Windows paths are never joined with `/`. */
export const pathsOf = (platform: NodeJS.Platform): path.PlatformPath =>
  platform === 'win32' ? path.win32 : path.posix;

/** A file of the package below `root`, as that platform writes it. */
export const packageFile = (root: string, relative: string, platform: NodeJS.Platform): string =>
  pathsOf(platform).join(root, ...relative.split('/'));

export interface CommandHandler {
  type: 'command';
  command: string;
  /** Exec form: the arguments, and `command` the program itself. */
  args?: string[];
  timeout: number;
  async?: true;
  asyncRewake?: true;
  /** The shell an agent that lets a hook choose one runs it in (Qwen Code's, on Windows). */
  shell?: 'powershell';
}

/**
 * The start of a hook's shell line that runs a program by name (perl, or `node` where no path to it outlasts an
 * upgrade): the PATH the line and every child search, kept to its absolute entries. An empty or relative entry
 * (`:/usr/bin`, `.`) names the agent's working folder, a repository that could hold its own `perl`. Builtins alone, so
 * a hook costs no process more; where no entry is absolute, the system's folders, as an empty PATH means `.` too.
 */
export const ABSOLUTE_PATH_FIRST =
  'thr=$PATH:;thp=;while [ -n "$thr" ];do thd=${thr%%:*};thr=${thr#*:};case $thd in /*)thp=${thp:+$thp:}$thd;;esac;done;PATH=${thp:-/usr/bin:/bin}; ';

/**
 * A shell that becomes the socket client given `client` (its arguments, shell words), which hands the input to
 * `hook` where the monitor cannot answer; `hook` itself where there is no perl. Claude Code's hooks and every other
 * agent's share it. perl is found on the PATH's absolute entries alone, and so is a bare `node` perl starts.
 */
export function perlFirst(client: string, hook: string): string {
  return `${ABSOLUTE_PATH_FIRST}command -v perl >/dev/null && exec perl ${client} -- ${hook}; exec ${hook}`;
}

/** `line`, a shell line that runs `node`, with ABSOLUTE_PATH_FIRST before it where `node` is a bare name. */
export const nodeLine = (node: string, line: string): string =>
  node.includes('/') ? line : `${ABSOLUTE_PATH_FIRST}${line}`;

/** `node script args…` as a hook: exec form on Windows, a shell line elsewhere (where the shell costs a millisecond). */
export function commandHook(
  run: { node: string; script: string; args?: readonly string[]; platform: NodeJS.Platform },
  timeout: number,
  flags: { async?: true; asyncRewake?: true } = {},
): CommandHandler {
  const args = [run.script, ...(run.args ?? [])];
  const line =
    run.platform === 'win32'
      ? { command: run.node, args }
      : { command: nodeLine(run.node, [run.node, ...args].map((a, i) => (i < 2 ? shellQuote(a) : a)).join(' ')) };
  return { type: 'command', ...line, timeout, ...flags };
}
