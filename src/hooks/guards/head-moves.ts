// What git commands other than checkout, switch and worktree do to HEAD and to the repositories a line has: a branch
// renamed, HEAD pointed elsewhere, a rebase onto its branch, a stash made a branch, HEAD detached, a bisect, a clone
// or an init. Read by ./place.ts from each command's words, as git's own option parsing reads them.

/** Options of git branch, clone, init, rebase, symbolic-ref and update-ref that take the next word as their value. */
export const BRANCH_WITH_VALUE: ReadonlySet<string> = new Set([
  '-u',
  '--set-upstream-to',
  '-t',
  '--track',
  '--points-at',
]);
export const CLONE_WITH_VALUE: ReadonlySet<string> = new Set([
  '-o',
  '--origin',
  '-b',
  '--branch',
  '-u',
  '--upload-pack',
  '--reference',
  '--reference-if-able',
  '--separate-git-dir',
  '--depth',
  '--shallow-since',
  '--shallow-exclude',
  '-c',
  '--config',
  '-j',
  '--jobs',
  '--template',
  '--filter',
  '--server-option',
  '--bundle-uri',
  '--ref-format',
]);
export const INIT_WITH_VALUE: ReadonlySet<string> = new Set([
  '-b',
  '--initial-branch',
  '--separate-git-dir',
  '--template',
  '--object-format',
  '--ref-format',
]);
const REBASE_WITH_VALUE: ReadonlySet<string> = new Set([
  '--onto',
  '-s',
  '--strategy',
  '-X',
  '--strategy-option',
  '-x',
  '--exec',
  '--whitespace',
  '--empty',
  '-C',
]);
const REF_WITH_VALUE: ReadonlySet<string> = new Set(['-m']);

/** The words of `args` that are no option nor an option's value (`takes` lists those whose value is the next word). */
export function positionals(args: string[], takes: ReadonlySet<string>): string[] {
  const words: string[] = [];
  let options = true;
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if (options && a === '--') options = false;
    else if (options && a.startsWith('-') && a.length > 1) {
      if (takes.has(a)) k++;
    } else words.push(a);
  }
  return words;
}

/**
 * The folder `git clone URL` makes, named as git names it: the URL's last part, without a trailing `/.git`, `.git` or
 * `.bundle`; undefined when none is left.
 */
export function cloneFolder(url: string): string | undefined {
  const trimmed = url.replace(/[/\\]+$/, '').replace(/[/\\]\.git$/, '');
  const last = trimmed.slice(
    Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'), trimmed.lastIndexOf(':')) + 1,
  );
  const name = last.replace(/\.(git|bundle)$/, '');
  return /^(?!\.\.?$|~)[^/\\:]+$/.test(name) ? name : undefined;
}

/**
 * Where a git command other than checkout, switch and branch leaves HEAD: the branch it names, null when detached or
 * only running the line would tell, undefined when it leaves HEAD alone.
 */
export function headMoved(sub: string, args: string[]): string | null | undefined {
  if (sub === 'bisect') return null;
  if (sub === 'symbolic-ref') {
    if (args.some((a) => a === '-d' || a === '--delete'))
      return positionals(args, REF_WITH_VALUE)[0] === 'HEAD' ? null : undefined;
    const [name, ref] = positionals(args, REF_WITH_VALUE);
    if (name !== 'HEAD' || ref === undefined) return undefined;
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
  }
  if (sub === 'update-ref') {
    // --stdin reads its own `option no-deref` and refs: only running it would tell.
    if (args.includes('--stdin')) return null;
    return args.includes('--no-deref') && positionals(args, REF_WITH_VALUE).includes('HEAD') ? null : undefined;
  }
  if (sub === 'stash') return args[0] === 'branch' ? (positionals(args.slice(1), new Set())[0] ?? null) : undefined;
  if (sub === 'rebase') {
    // Where an earlier call's rebase ends (or is abandoned) only its files tell.
    if (args.some((a) => a === '--continue' || a === '--abort' || a === '--skip')) return null;
    const words = positionals(args, REBASE_WITH_VALUE);
    // `git rebase UPSTREAM BRANCH` and `git rebase --root BRANCH` switch to BRANCH first, and end on it.
    const branch = args.includes('--root') ? words[0] : words[1];
    return branch;
  }
  return undefined;
}
