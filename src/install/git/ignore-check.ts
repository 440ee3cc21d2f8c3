// What git says of a file install writes: whether it would ignore it, and what its HEAD holds.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { safeGit } from '../../git/safe.js';
import { simpleGitRunner } from '../../git/simple.js';

/** The nearest folder around `file` that exists: git runs there for a file not written yet. */
function existingFolder(file: string): string {
  let cwd = path.dirname(file);
  while (!existsSync(cwd) && path.dirname(cwd) !== cwd) cwd = path.dirname(cwd);
  return cwd;
}

/** Whether git would ignore `file` (which may not exist yet); undefined outside a repository or without git. */
export async function isGitIgnored(file: string): Promise<boolean | undefined> {
  const cwd = existingFolder(file);
  // check-ignore answers 0 for an ignored path and 1 for one that is not; anything else is no answer.
  const r = await simpleGitRunner.run(
    cwd,
    safeGit(['check-ignore', '-q', '--', path.relative(cwd, file)], { okExitCodes: [0, 1] }),
  );
  return r.ok ? r.exitCode === 0 : undefined;
}

/** Whether git tracks `file` (its index holds it); false outside a repository or without git. */
export async function isGitTracked(file: string): Promise<boolean> {
  const cwd = path.dirname(file);
  if (!existsSync(cwd)) return false;
  const r = await simpleGitRunner.run(
    cwd,
    safeGit(['ls-files', '--error-unmatch', '--', path.basename(file)], { okExitCodes: [0, 1] }),
  );
  return r.ok && r.exitCode === 0;
}

/**
 * The text git's HEAD holds for `file`; undefined when it holds none (not committed, no repository, no git). A file a
 * person committed is theirs to change, whatever taskhooks once wrote into it.
 */
export async function committedText(file: string): Promise<string | undefined> {
  const cwd = path.dirname(file);
  if (!existsSync(cwd)) return undefined;
  const r = await simpleGitRunner.run(
    cwd,
    safeGit(['show', `HEAD:./${path.basename(file)}`], { okExitCodes: [0, 128] }),
  );
  return r.ok && r.exitCode === 0 ? r.stdout : undefined;
}

/** The .gitignore rule deciding `file`, when one is a negation: it beats .git/info/exclude, so git adds the file. */
async function unignoredBy(file: string): Promise<string | undefined> {
  const cwd = existingFolder(file);
  const r = await simpleGitRunner.run(
    cwd,
    safeGit(['check-ignore', '-v', '-n', '--', path.relative(cwd, file)], { okExitCodes: [0, 1] }),
  );
  // `<source>:<line>:<pattern>\t<path>`; only a negation's pattern starts with `!`.
  const m = r.ok ? /^(.*?):(\d+):(!.*)\t/.exec(r.stdout) : null;
  const [, source = '', line = '', pattern = ''] = m ?? [];
  if (!m || path.basename(source) !== '.gitignore') return undefined;
  return `${source}:${line} un-ignores it (\`${pattern}\`), which no .git/info/exclude line overrides`;
}

/**
 * Why git would commit `file` whatever install adds to .git/info/exclude, or undefined: git tracks it (or the file
 * its link leads to), or a committed .gitignore negation makes `git add -A` take it.
 */
export async function gitTakesAnyway(file: string): Promise<string | undefined> {
  if (await isGitTracked(file)) return 'git tracks it';
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    // not there yet: its folder's rules decide
  }
  if (real !== file && (await isGitTracked(real))) return `it is a link to ${real}, which git tracks`;
  return unignoredBy(file);
}
