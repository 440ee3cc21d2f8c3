// Globs for guard rules, gitignore-flavoured: `*` stays within a folder, `**` crosses folders, and a pattern
// without a slash matches a file or folder name at any depth (`*.pem`, `secrets`). A project supplies rules, so they
// are matched without backtracking: every state of the pattern is stepped together over the path once, which takes
// the path's length times the pattern's at most, against a budget a check spends across all its rules.

/** The longest rule read: far above any real one, and a bound on each step over a path. */
export const MAX_GLOB_LENGTH = 1000;

/**
 * Pattern steps one guard check may take over all its rules and paths: a few milliseconds of work, so that no rule
 * set holds the monitor, which answers every session, for long.
 */
export const GLOB_STEP_BUDGET = 250_000;

/** A guard check's rules took more than its budget, or one is longer than any rule read: the check cannot decide. */
export class GlobBudgetError extends Error {
  constructor(readonly glob: string) {
    super(
      `a rule is over ${MAX_GLOB_LENGTH} characters, or the rules take more than ${GLOB_STEP_BUDGET} steps to check`,
    );
    this.name = 'GlobBudgetError';
  }
}

/** What one check may still spend. */
export interface GlobBudget {
  steps: number;
}

export const globBudget = (): GlobBudget => ({ steps: GLOB_STEP_BUDGET });

/** One place of a pattern: a character, `?`, `*` (within a folder), `**` (anything) or `**∕` (any folders). */
type Token = { kind: 'char'; c: string } | { kind: 'one' | 'star' | 'any' | 'dirs' };

function compile(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const dirs = glob[i + 2] === '/';
      i += dirs ? 2 : 1;
      // `**/**/` is `**/`: repeats would only widen each step.
      if (!dirs || tokens.at(-1)?.kind !== 'dirs') tokens.push({ kind: dirs ? 'dirs' : 'any' });
    } else if (c === '*') tokens.push({ kind: 'star' });
    else if (c === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', c });
  }
  return tokens;
}

/** Whether the whole of `text` matches `tokens`; spends the budget by the states stepped. */
function run(tokens: Token[], text: string, budget: GlobBudget, glob: string): boolean {
  const k = tokens.length;
  // A place is in a set when it holds the set's stamp: a new set costs a new stamp, not a clearing.
  let now = new Uint32Array(k + 1);
  let next = new Uint32Array(k + 1);
  // Inside a `**/` that has read something: it goes on only through a slash.
  let inDirs = new Uint32Array(k);
  let nextInDirs = new Uint32Array(k);
  let stamp = 1;
  let alive = false;
  // A wildcard may match nothing: entering one enters the place after it too.
  const enter = (set: Uint32Array, at: number): void => {
    alive = true;
    for (let i = at; i <= k && set[i] !== stamp; i++) {
      set[i] = stamp;
      const kind = tokens[i]?.kind;
      if (kind !== 'star' && kind !== 'any' && kind !== 'dirs') return;
    }
  };
  enter(now, 0);
  for (const c of text) {
    budget.steps -= k + 1;
    if (budget.steps < 0) throw new GlobBudgetError(glob);
    const was = stamp++;
    alive = false;
    for (let i = 0; i < k; i++) {
      if (now[i] !== was && inDirs[i] !== was) continue;
      const t = tokens[i] as Token;
      if (t.kind === 'char') {
        if (c === t.c) enter(next, i + 1);
      } else if (t.kind === 'one') {
        if (c !== '/') enter(next, i + 1);
      } else if (t.kind === 'star') {
        if (c !== '/') enter(next, i);
      } else if (t.kind === 'any') enter(next, i);
      else {
        nextInDirs[i] = stamp;
        alive = true;
        if (c === '/') enter(next, i + 1);
      }
    }
    if (!alive) return false;
    [now, next] = [next, now];
    [inDirs, nextInDirs] = [nextInDirs, inDirs];
  }
  return now[k] === stamp;
}

/**
 * Whether `relPath` (slash-separated, relative to the project root) matches `glob`; `ignoreCase` where the file
 * system does (`Secrets/key` is then the file `secrets/**` protects). Throws GlobBudgetError when the check's budget
 * is spent or the rule is longer than any rule read.
 */
export function matchesGlob(
  relPath: string,
  glob: string,
  { ignoreCase = false, budget = globBudget() }: { ignoreCase?: boolean; budget?: GlobBudget } = {},
): boolean {
  if (glob.length > MAX_GLOB_LENGTH) throw new GlobBudgetError(glob);
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const pattern = fold(glob.replace(/^\.\//, '').replace(/\/$/, '/**'));
  const subject = fold(relPath);
  if (!pattern.includes('/')) {
    const tokens = compile(pattern);
    return subject.split('/').some((part) => run(tokens, part, budget, glob));
  }
  return run(compile(pattern.replace(/^\//, '')), subject, budget, glob);
}
