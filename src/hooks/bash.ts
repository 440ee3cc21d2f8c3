// Reads a Bash tool call closely enough to tell which git commands it runs, through the rewordings a shell allows:
// quoting, wrappers (bash -c, env, sudo, timeout, xargs…), separators, subshells, substitutions and heredocs.
// shell-quote splits the words, removes quotes and marks operators, variables and globs; what it does not know is
// done by a scan before it (shell-scan.ts), and wrappers are unwrapped by shell-wrappers.ts.
// A word only running the command could tell (a variable, a substitution, a glob) is null, never a guess.
import parse from 'shell-quote/parse.js';
import { mayCommitOrPush } from './prefilter.js';
import { CURRENT, markFor, Scanner, UNKNOWN, type Script } from './shell-scan.js';
import { shellScript, WRAPPERS } from './shell-wrappers.js';

/** A word as the shell would pass it, or null when only running the command would tell. */
export type Word = string | null;

export interface GitInvocation {
  /** Lower-cased (a case-insensitive file system runs `git PUSH` as push); null when it cannot be known. */
  subcommand: Word;
  /** The words after the subcommand, options included. */
  args: Word[];
  /** The command's name could not be known (`$GIT push …`): it may not be git at all. */
  uncertain?: true;
}

/** Deeper nesting than this (bash -c inside eval inside $(…)…) is not followed; what is there counts as unknown. */
const MAX_DEPTH = 8;

type Token = parse.ParseEntry;

interface SimpleCommand {
  /** Raw words: unknown parts hold the mark, so that a known tail (`$DIR/git`) can still be read. */
  words: string[];
  /** A script on its standard input: the last heredoc or here-string. */
  stdin?: string;
}

const REDIRECTIONS: ReadonlySet<string> = new Set([
  '<',
  '>',
  '>>',
  '>&',
  '<&',
  '<>',
  '>|',
  '&>',
  '&>>',
  '<<',
  '<<-',
  '<<<',
]);
/** Words that may stand before a command without being it. */
const RESERVED: ReadonlySet<string> = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'do', 'while', 'until']);
const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash']);

class Reader {
  readonly found: GitInvocation[] = [];

  constructor(readonly mark: string) {}

  known(word: string): boolean {
    // Brace expansion makes several words of one (`git {push,origin,main}`), so its word is not known either.
    return !word.includes(this.mark) && !/\{[^}]*(,|\.\.)[^}]*\}/.test(word);
  }

  word(raw: string): Word {
    if (raw === `${this.mark}${CURRENT}`) return 'HEAD';
    return this.known(raw) ? raw : null;
  }

  /** Every command of a script, nested ones included. */
  script(source: string, depth: number): void {
    if (depth > MAX_DEPTH) {
      this.unreadable(source);
      return;
    }
    let scan: Script;
    let tokens: Token[];
    try {
      scan = new Scanner(source, this.mark).run();
      tokens = parse(scan.text, () => this.mark);
    } catch {
      this.unreadable(source);
      return;
    }
    // A substitution that cannot commit or push (the `cat <<'EOF'` of a commit message) is not read again.
    for (const inner of scan.inner) if (mayCommitOrPush(inner)) this.script(inner, depth + 1);
    for (const command of this.commands(tokens, scan.heredocs)) this.command(command.words, command.stdin, depth);
  }

  /** Text that could not be read (a broken quote, too deep): if it names git, say its subcommand cannot be known. */
  private unreadable(source: string): void {
    if (/git|push|commit/i.test(source.replace(/["'\\]/g, '')))
      this.found.push({ subcommand: null, args: [], uncertain: true });
  }

  private commands(tokens: Token[], heredocs: string[]): SimpleCommand[] {
    const commands: SimpleCommand[] = [];
    let current: SimpleCommand = { words: [] };
    let redirect: string | undefined;
    const end = (): void => {
      if (current.words.length > 0) commands.push(current);
      current = { words: [] };
    };
    for (const token of tokens) {
      if (typeof token === 'object' && 'op' in token && token.op !== 'glob') {
        if (REDIRECTIONS.has(token.op)) redirect = token.op;
        else {
          redirect = undefined;
          end();
        }
        continue;
      }
      if (typeof token === 'object' && 'comment' in token) continue;
      // A glob's words are only known once it runs against the file system.
      const raw = typeof token === 'string' ? token : `${token.pattern}${this.mark}`;
      if (redirect === undefined) current.words.push(raw);
      else if (redirect === '<<' || redirect === '<<-') {
        const index = raw.startsWith(`${this.mark}h`) ? Number(raw.slice(this.mark.length + 1)) : NaN;
        current.stdin = heredocs[index] ?? raw;
      } else if (redirect === '<<<') current.stdin = raw;
      redirect = undefined;
    }
    end();
    return commands;
  }

  private command(words: string[], stdin: string | undefined, depth: number): void {
    let i = 0;
    while (
      i < words.length &&
      (RESERVED.has(words[i] as string) || /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(words[i] as string))
    )
      i++;
    const name = words[i];
    if (name === undefined) return;
    const args = words.slice(i + 1);
    // The file name is what runs: `/usr/bin/git`, `"$(git --exec-path)"/git-push`. A case-insensitive file
    // system finds git for `GIT` too.
    const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
    if (!this.known(base)) {
      if (args.some((a) => a.toLowerCase() === 'push' || a.toLowerCase() === 'commit')) this.git(args, depth, true);
      return;
    }
    if (base === 'git') return this.git(args, depth, false);
    const dashed = /^git-([a-z-]+)$/.exec(base);
    if (dashed) return this.invocation(dashed[1] as string, args, false);
    const unwrap = WRAPPERS.get(base);
    if (unwrap) {
      const inner = unwrap(args, this);
      if (inner === undefined) return;
      if (typeof inner === 'string') return this.script(inner, depth + 1);
      return this.command(inner, stdin, depth + 1);
    }
    if (SHELLS.has(base)) {
      const script = shellScript(args, this, stdin);
      if (script) this.script(script, depth + 1);
      return;
    }
    if (base === 'eval') this.script(args.map((a) => (this.known(a) ? a : UNKNOWN)).join(' '), depth + 1);
  }

  /** git's own global options come before the subcommand: `git -C dir push` pushes. */
  private git(args: string[], depth: number, uncertain: boolean): void {
    const aliases = new Map<string, string>();
    let i = 0;
    while (i < args.length && (args[i] as string).startsWith('-')) {
      const option = args[i] as string;
      const value = GIT_GLOBAL_WITH_VALUE.has(option) ? args[i + 1] : undefined;
      if (option === '-c' && value !== undefined && this.known(value)) {
        const alias = /^alias\.([^=]+)=(.*)$/s.exec(value);
        if (alias) aliases.set((alias[1] as string).toLowerCase(), alias[2] as string);
      }
      i += GIT_GLOBAL_WITH_VALUE.has(option) ? 2 : 1;
    }
    const sub = args[i];
    if (sub === undefined) return;
    const rest = args.slice(i + 1);
    const alias = aliases.get(sub.toLowerCase());
    if (alias !== undefined) {
      // `git -c alias.p='!git push origin main' p` runs a shell; `alias.p=push` is push.
      if (alias.startsWith('!')) return this.script(alias.slice(1), depth + 1);
      const [first, ...more] = alias.split(/\s+/).filter(Boolean);
      if (first !== undefined) return this.invocation(first, [...more, ...rest], uncertain);
    }
    this.invocation(sub, rest, uncertain);
  }

  private invocation(sub: string, args: string[], uncertain: boolean): void {
    const subcommand = this.known(sub) ? sub.toLowerCase() : null;
    this.found.push({
      subcommand,
      args: args.map((a) => this.word(a)),
      ...(uncertain ? { uncertain: true as const } : {}),
    });
  }
}

/** git options before the subcommand that take the next word as their value. */
const GIT_GLOBAL_WITH_VALUE: ReadonlySet<string> = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--config-env',
  '--super-prefix',
  '--attr-source',
]);

/** Every `git <subcommand>` a command line runs, nested and wrapped ones included. */
export function gitInvocations(command: string): GitInvocation[] {
  const reader = new Reader(markFor(command));
  reader.script(command, 0);
  return reader.found;
}
