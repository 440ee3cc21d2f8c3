// What git says of a file install writes: whether it would ignore it, and what its HEAD holds.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { safeGit } from '../git/safe.js';
import { simpleGitRunner } from '../git/simple.js';

/** Whether git would ignore `file` (which may not exist yet); undefined outside a repository or without git. */
export async function isGitIgnored(file: string): Promise<boolean | undefined> {
  let cwd = path.dirname(file);
  while (!existsSync(cwd) && path.dirname(cwd) !== cwd) cwd = path.dirname(cwd);
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
