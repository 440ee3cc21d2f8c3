// `install --git-exclude`: the files install wrote that hold this machine's paths or the hook token, kept out of git
// and of `git status` through the repository's own .git/info/exclude, which is never committed or shared.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { safeGit } from '../git/safe.js';
import { simpleGitRunner } from '../git/simple.js';

/** Said once above the lines it adds, so a person reading the file knows where they came from. */
const HEADING = "# taskhooks install --git-exclude: files holding this machine's paths or the hook token";

/** Where the repository around `dir` keeps its exclude file (a worktree's is its main repository's), and its top. */
export async function excludeTarget(dir: string): Promise<{ file: string; top: string } | undefined> {
  const r = await simpleGitRunner.run(dir, safeGit(['rev-parse', '--show-toplevel', '--git-path', 'info/exclude']));
  if (!r.ok) return undefined;
  const [top, file] = r.stdout.trim().split('\n');
  if (!top || !file) return undefined;
  return { top, file: path.resolve(dir, file) };
}

/** A path as an exclude line matching only that file: anchored at the top, its pattern characters escaped. */
export function excludeLine(top: string, file: string): string {
  const relative = path.relative(top, file).split(path.sep).join('/');
  return `/${relative.replace(/[\\*?[]/g, '\\$&').replace(/ +$/, (spaces) => spaces.replace(/ /g, '\\ '))}`;
}

/** Appends the lines the file does not hold yet; returns those it added. */
export function addExcludes(file: string, lines: readonly string[]): string[] {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const held = new Set(before.split('\n').map((l) => l.trim()));
  const added = [...new Set(lines)].filter((l) => !held.has(l));
  if (added.length === 0) return [];
  const lead = before === '' || before.endsWith('\n') ? before : `${before}\n`;
  const heading = held.has(HEADING) ? [] : [HEADING];
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lead}${[...heading, ...added].join('\n')}\n`);
  return added;
}
