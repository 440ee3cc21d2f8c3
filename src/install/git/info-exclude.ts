// `install --git-exclude`: the files install wrote that hold this machine's paths or the hook token, kept out of git
// and of `git status` through the repository's own .git/info/exclude, which is never committed or shared. The lines go
// between two marks of their own, so uninstall takes out exactly those and leaves the person's.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { safeGit } from '../../git/safe.js';
import { simpleGitRunner } from '../../git/simple.js';
import { confinedTarget } from '../planning/confine.js';
import type { FileChange } from '../planning/plan.js';
import { plainWindowsPath } from '../../util/windows-path.js';

/** Said once above the lines it adds, so a person reading the file knows where they came from. */
const HEADING = "# taskhooks install --git-exclude: files holding this machine's paths or the hook token";
/** Said below them: what lies between the two is install's, and uninstall's to take out. */
const END = '# end of taskhooks install --git-exclude';

/**
 * Where the repository around `dir` keeps its exclude file (a worktree's is its main repository's), and its top. The
 * file's real place must lie inside the repository's git directory: a link leading elsewhere is refused in one line.
 */
export async function excludeTarget(dir: string): Promise<{ file: string; top: string } | undefined> {
  const r = await simpleGitRunner.run(
    dir,
    safeGit(['rev-parse', '--show-toplevel', '--git-common-dir', '--git-path', 'info/exclude']),
  );
  if (!r.ok) return undefined;
  const [top, common, file] = r.stdout.trim().split('\n');
  if (!top || !common || !file) return undefined;
  return { top, file: confinedTarget(path.resolve(dir, file), path.resolve(dir, common)) };
}

/**
 * A path as an exclude line matching only that file: anchored at the top, its pattern characters escaped. On Windows
 * git gives the top as `C:/Users/…` while the file may come as `c:\users\…` or `\\?\C:\…`: both read plainly.
 */
export function excludeLine(top: string, file: string, platform: NodeJS.Platform = process.platform): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const [from, to] = platform === 'win32' ? [plainWindowsPath(top), plainWindowsPath(file)] : [top, file];
  const relative = paths.relative(from, to).split(paths.sep).join('/');
  return `/${relative.replace(/[\\*?[]/g, '\\$&').replace(/ +$/, (spaces) => spaces.replace(/ /g, '\\ '))}`;
}

/**
 * Where install's lines lie in the file's lines: from the heading to the end mark, or, written by an earlier version
 * without one, to the last line of paths right below the heading. Undefined when there are none.
 */
function ownBlock(lines: readonly string[]): { from: number; to: number; closed: boolean } | undefined {
  const from = lines.indexOf(HEADING);
  if (from < 0) return undefined;
  const end = lines.indexOf(END, from);
  if (end >= 0) return { from, to: end, closed: true };
  let to = from;
  while (lines[to + 1]?.startsWith('/')) to++;
  return { from, to, closed: false };
}

/** Adds the lines the file does not hold yet, inside install's own block; returns those it added. */
export function addExcludes(file: string, lines: readonly string[]): string[] {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const rows = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const held = new Set(rows.map((l) => l.trim()));
  const added = [...new Set(lines)].filter((l) => !held.has(l));
  if (added.length === 0) return [];
  const block = ownBlock(rows);
  if (block) rows.splice(block.closed ? block.to : block.to + 1, 0, ...added, ...(block.closed ? [] : [END]));
  else rows.push(HEADING, ...added, END);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${rows.join('\n')}\n`);
  return added;
}

/** Uninstall's change to the exclude file: install's block taken out, every other line kept; undefined when none. */
export function excludeRemoval(file: string): FileChange | undefined {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const rows = before?.replace(/\n$/, '').split('\n') ?? [];
  const block = ownBlock(rows);
  if (before === null || !block) return undefined;
  rows.splice(block.from, block.to - block.from + 1);
  const after = rows.length > 0 ? `${rows.join('\n')}\n` : '';
  return { file, action: 'update', before, after, mode: statSync(file).mode & 0o777, backup: false };
}
