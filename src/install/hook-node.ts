// The Node install names in hooks and servers: one that a Node upgrade keeps. A version manager keeps each version in
// a folder of its own and deletes the folder with the version (`brew upgrade node`, `nvm uninstall`), and
// process.execPath names that folder; a hook naming it then fails with 127 in every session. So a versioned path is
// replaced by the manager's stable one to the same Node, else by the user's PATH entry, else by `node` itself, which
// the agent finds on its PATH when the hook runs.
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { WindowsHooks } from '../agents/agent.js';
import { findOnPath } from '../util/executable.js';

/** The bare name a hook runs Node by when no stable path reaches it: the agent's PATH finds the current one. */
export const PATH_NODE = 'node';

/** What choosing the Node needs to know, passed in so each layout is testable on any machine. */
export interface NodeFacts {
  execPath: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The file's real path (links followed), or undefined when there is no such file. */
  real(file: string): string | undefined;
}

/** A version manager's folders: the pattern of a versioned Node (forward slashes), and its stable names. */
interface Layout {
  manager: string;
  pattern: RegExp;
  stable(m: RegExpExecArray, env: NodeJS.ProcessEnv): string[];
}

const LAYOUTS: readonly Layout[] = [
  {
    // `<prefix>/bin/node` is the linked formula's; `opt/<formula>` stays with a keg-only one (node@22) too.
    manager: 'Homebrew',
    pattern: /^(.*)\/Cellar\/(node(?:@[\d.]+)?)\/[^/]+\/bin\/node$/,
    stable: ([, prefix, formula]) => [`${prefix}/bin/node`, `${prefix}/opt/${formula}/bin/node`],
  },
  { manager: 'nvm', pattern: /^(.*)\/versions\/node\/v[^/]+\/bin\/node$/, stable: () => [] },
  {
    manager: 'fnm',
    pattern: /^(.*)\/node-versions\/v[^/]+\/installation\/(bin\/node|node\.exe)$/i,
    stable: ([, dir, file]) => [`${dir}/aliases/default/${file}`],
  },
  // fnm's per-shell links: gone with the shell that made them.
  { manager: 'fnm', pattern: /\/fnm_multishells\/[^/]+\/(bin\/node|node\.exe)$/i, stable: () => [] },
  {
    manager: 'Volta',
    pattern: /^(.*)\/tools\/image\/node\/[^/]+\/(bin\/node|node\.exe)$/i,
    stable: ([, dir, file]) => [`${dir}/bin/${path.posix.basename(file ?? '')}`],
  },
  {
    manager: 'asdf',
    pattern: /^(.*)\/installs\/nodejs\/[^/]+\/bin\/node$/,
    stable: ([, dir]) => [`${dir}/shims/node`],
  },
  { manager: 'mise', pattern: /^(.*)\/installs\/node\/[^/]+\/bin\/node$/, stable: ([, dir]) => [`${dir}/shims/node`] },
  {
    // nvm-windows switches versions by its one link, NVM_SYMLINK (C:\Program Files\nodejs by default).
    manager: 'nvm-windows',
    pattern: /^(.*)\/nvm\/v\d[^/]*\/node\.exe$/i,
    stable: (_, env) => (env.NVM_SYMLINK ? [`${env.NVM_SYMLINK.replaceAll('\\', '/')}/node.exe`] : []),
  },
  {
    manager: 'Scoop',
    pattern: /^(.*)\/apps\/(nodejs[^/]*)\/(?!current\/)[^/]+\/node\.exe$/i,
    stable: ([, dir, app]) => [`${dir}/apps/${app}/current/node.exe`],
  },
];

const slashed = (file: string, platform: NodeJS.Platform): string =>
  platform === 'win32' ? file.replaceAll('\\', '/') : file;
const native = (file: string, platform: NodeJS.Platform): string =>
  platform === 'win32' ? file.replaceAll('/', '\\') : file;

/** The version manager whose versioned folder holds `file` (by its name, links not followed), or undefined. */
export function versionManagerOf(file: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const name = slashed(file, platform);
  return LAYOUTS.find((l) => l.pattern.test(name))?.manager;
}

/** The first Node on the PATH of `facts.env`, as the user's shell finds it, in the syntax of the facts' platform. */
function nodeOnPath(f: NodeFacts): string | undefined {
  const win = f.platform === 'win32';
  return findOnPath(win ? 'node.exe' : 'node', f.env, f.platform, {
    paths: win ? path.win32 : path.posix,
    isFile: (file) => f.real(file) !== undefined,
  });
}

/**
 * The Node a hook should name: process.execPath where no version manager's folder holds it; else that manager's
 * stable name of the same Node (Homebrew's `bin/node`, fnm's default alias), else its shim (Volta, asdf, mise), else
 * the first Node on PATH when its folder is not versioned, else PATH_NODE.
 */
export function hookNode(f: NodeFacts): string {
  const { execPath, platform } = f;
  const name = slashed(execPath, platform);
  const match = LAYOUTS.map((l) => ({ l, m: l.pattern.exec(name) })).find((x) => x.m !== null);
  if (!match?.m) return execPath;
  const stable = match.l.stable(match.m, f.env).map((s) => native(s, platform));
  const real = f.real(execPath) ?? execPath;
  const found =
    stable.find((s) => f.real(s) === real) ??
    stable.find((s) => f.real(s) !== undefined) ??
    [nodeOnPath(f)].find((p) => p !== undefined && versionManagerOf(p, platform) === undefined);
  return found ?? PATH_NODE;
}

/**
 * What install says where an agent's Windows hooks run Node by name with no shell (Claude Code's exec form) or through
 * cmd.exe (Codex): both look in the project folder first, so a repository's own node.exe would run. PowerShell looks on
 * the PATH alone, and OpenCode's plugin names Node in full. Nothing elsewhere, or for a full path.
 */
export function bareNodeNote(node: string, platform: NodeJS.Platform, runs: WindowsHooks['runs']): string | undefined {
  if (node !== PATH_NODE || platform !== 'win32' || (runs !== 'exec' && runs !== 'cmd')) return undefined;
  return (
    'your hooks run `node` by name (no path to your Node outlasts its upgrade), and Windows looks for it in the ' +
    'project folder first: give your version manager a default Node (`fnm default <version>`) and run ' +
    '`taskhooks install` again, or run `setx NoDefaultCurrentDirectoryInExePath 1` and open a new terminal'
  );
}

function realOrNothing(file: string): string | undefined {
  try {
    const real = realpathSync(file);
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

let chosen: string | undefined;

/** The Node this taskhooks names in what install writes: hookNode of this process, worked out once. */
export function installNode(): string {
  chosen ??= hookNode({
    execPath: process.execPath,
    platform: process.platform,
    env: process.env,
    real: realOrNothing,
  });
  return chosen;
}

/** Whether a hook's Node is a path to no file: a Node upgrade or uninstall removed it. */
export const isGoneNode = (node: string): boolean => path.isAbsolute(node) && realOrNothing(node) === undefined;
