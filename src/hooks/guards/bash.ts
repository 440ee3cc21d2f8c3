// Reads a Bash tool call closely enough to tell which git commands it runs, through the rewordings a shell allows:
// quoting, wrappers (bash -c, env, sudo, timeout, xargs…), separators, subshells, substitutions and heredocs.
// shell-quote splits the words, removes quotes and marks operators, variables and globs; what it does not know is
// done by a scan before it (shell-scan.ts), wrappers are unwrapped by shell-wrappers.ts, commands that run a string
// (find -exec, script -c, watch, ssh…) by runners.ts, and code in another language that names git is searched by
// inline-code.ts. Aliases the line defines are followed; a subcommand git does not ship is marked, as it may push.
// A word only running the command could tell (a variable, a substitution, a glob) is null, never a guess.
import parse from 'shell-quote/parse.js';
import { MAX_READ_CHARS, mayCommitOrPush } from './prefilter.js';
import { CURRENT, markFor, PROCESS, Scanner, UNKNOWN, type Script } from './shell-scan.js';
import { GIT_GLOBAL_WITH_VALUE, isGitCommand, PUSH_PLUMBING } from './git-commands.js';
import { gitLiterals, type InlineCode, inlineCode, recipes } from './inline-code.js';
import { configEntry, moved, type Place, Places } from './place.js';
import { gitRunsScripts, RUNNERS } from './runners.js';
import { PIPED_UNKNOWN, printed, quoteWords, REDIRECTIONS, SHELLS, shellScript, WRAPPERS } from './shell-wrappers.js';

// The push settings' reader travels with the shell reader, in the hooks' lazy file: an edit never loads either.
export { readPushConfig } from './push-config.js';
/** A word as the shell would pass it, or null when only running the command would tell. */
export type Word = string | null;

export interface GitInvocation {
  /** Lower-cased (a case-insensitive file system runs `git PUSH` as push); null when it cannot be known. */
  subcommand: Word;
  /** The words after the subcommand, options included. */
  args: Word[];
  /** The command's name could not be known (`$GIT push …`): it may not be git at all. */
  uncertain?: true;
  /** A subcommand git does not ship: an alias or an extension, which may push. */
  unlisted?: true;
  /** Code in another language (python, perl, awk…) naming git, which the guard cannot run to tell what it does. */
  via?: string;
  /** Past what the reader reads of one line (MAX_READ_CHARS, MAX_PARSED_CHARS): only running it would tell. */
  long?: true;
  /** Where it runs when the line moved it (a `cd`, -C, GIT_DIR, a checkout before it): guards.ts reads the branch. */
  at?: Place;
}

/** Deeper nesting than this (bash -c inside eval inside $(…)…) is not followed; what is there counts as unknown. */
const MAX_DEPTH = 8;
/**
 * The words shell-quote splits for one line, its scripts within included: its time grows with them, and the monitor,
 * which serves every session's hooks, is held while it runs. Heredoc bodies no shell reads are set aside before.
 */
export const MAX_PARSED_CHARS = 64 * 1024;

type Token = parse.ParseEntry;

interface SimpleCommand {
  /** Raw words: unknown parts hold the mark, so that a known tail (`$DIR/git`) can still be read. */
  words: string[];
  /** A script on its standard input: the last heredoc or here-string. */
  stdin?: string;
  /** The command whose output is piped into this one (`echo git push | sh`). */
  input?: SimpleCommand;
}

/** Words that may stand before a command without being it. */
const RESERVED: ReadonlySet<string> = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'do', 'while', 'until']);
/** Code that names git as a program or a module (`git push`, `"git"`, `import git`), not `.git/` or `github`. */
const namesGit = (text: string): boolean => /(?<![\w.-])git(?![\w/-])/i.test(text);

class Reader {
  readonly found: GitInvocation[] = [];
  /** Aliases the command line defines (`git config alias.p push && git p …`), by lower-cased name; null: unknown. */
  private readonly aliases = new Map<string, string | null>();
  /** The sources of the line's `<(…)`, named by their placeholders' index. */
  private readonly procs: string[] = [];
  /** Where each command runs, as the commands before it leave things. */
  private readonly places = new Places((w) => this.known(w));
  /** The GIT_DIR the command being read assigns itself (`GIT_DIR=x git push`). */
  private gitDirPrefix: string | undefined;
  /** Shell aliases the line defines (`alias p='git push'`), by name; null: unknown. */
  private readonly shellAliases = new Map<string, string | null>();
  /** Characters scanned and parsed so far, bounded by MAX_READ_CHARS and MAX_PARSED_CHARS. */
  private scanned = 0;
  private parsed = 0;
  /** The actions of the line's traps, read when it ends. */
  private readonly traps: string[] = [];

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
    this.scanned += source.length;
    if (depth > MAX_DEPTH || this.scanned > MAX_READ_CHARS) return this.unreadable(source, depth <= MAX_DEPTH);
    let scan: Script;
    let tokens: Token[];
    try {
      scan = new Scanner(source, this.mark, this.procs).run();
      this.parsed += scan.text.length;
      if (this.parsed > MAX_PARSED_CHARS) return this.unreadable(source, true);
      tokens = parse(scan.text, () => this.mark);
    } catch {
      this.unreadable(source);
      return;
    }
    // A substitution that cannot commit or push (the `cat <<'EOF'` of a commit message) is not read again.
    for (const inner of scan.inner) if (mayCommitOrPush(inner)) this.script(inner, depth + 1);
    for (const command of this.commands(tokens, scan.heredocs))
      this.command(command.words, command.stdin, depth, command.input);
  }

  /**
   * Text that could not be read (a broken quote, too deep, past what the reader reads: `long`): if it names git, say
   * its subcommand cannot be known.
   */
  private unreadable(source: string, long = false): void {
    if (/git|push|commit|send-?pack/i.test(source.replace(/["'\\]/g, '')))
      this.found.push({ subcommand: null, args: [], uncertain: true, ...(long ? { long: true as const } : {}) });
  }

  private commands(tokens: Token[], heredocs: string[]): SimpleCommand[] {
    const commands: SimpleCommand[] = [];
    let current: SimpleCommand = { words: [] };
    let redirect: string | undefined;
    const end = (pipe: boolean): void => {
      const ended = current;
      if (current.words.length > 0) commands.push(current);
      current = pipe && ended.words.length > 0 ? { words: [], input: ended } : { words: [] };
    };
    for (const token of tokens) {
      if (typeof token === 'object' && 'op' in token && token.op !== 'glob') {
        if (REDIRECTIONS.has(token.op)) redirect = token.op;
        else {
          redirect = undefined;
          end(token.op === '|' || token.op === '|&');
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
    end(false);
    return commands;
  }

  /**
   * What a script file named on the command line holds, where the line itself tells: `/dev/stdin` (or `-`) is the
   * standard input, `<(echo …)` what that prints. Undefined for a file on disk, which the guard does not read; a
   * `<(…)` whose output only running it would show counts when its source names git.
   */
  private fileContent(word: string, stdin: string | undefined): string | undefined {
    if (word === '-' || word === '/dev/stdin' || word === '/dev/fd/0') return stdin;
    if (!word.startsWith(`${this.mark}${PROCESS}`)) return undefined;
    const source = this.procs[Number(word.slice(this.mark.length + PROCESS.length))];
    if (source === undefined) return undefined;
    let last: SimpleCommand | undefined;
    try {
      const scan = new Scanner(source, this.mark, this.procs).run();
      last = this.commands(
        parse(scan.text, () => this.mark),
        scan.heredocs,
      ).at(-1);
    } catch {
      // Text a shell would refuse: judged by its words below, as output no one can know.
    }
    const output = last ? printed(last.words, last.stdin, this) : `${this.mark}${PIPED_UNKNOWN}`;
    if (output !== `${this.mark}${PIPED_UNKNOWN}`) return output;
    this.unreadable(source);
    return undefined;
  }

  private command(words: string[], stdin: string | undefined, depth: number, input?: SimpleCommand): void {
    // A wrapper, a coprocess or an alias nests a level as a shell does: past MAX_DEPTH (`env env env … git push`) the
    // command is not unwrapped further, in one pass over its words.
    if (depth > MAX_DEPTH) return this.unreadable(words.join(' '));
    let i = 0;
    while (
      i < words.length &&
      (RESERVED.has(words[i] as string) || /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(words[i] as string))
    )
      i++;
    const name = words[i];
    // Assignments alone set the shell's variables for the rest of the line.
    if (name === undefined) return this.places.assign(words);
    const args = words.slice(i + 1);
    // `GIT_DIR=x git push` and `env GIT_DIR=x git push`: the command's own, wrapped commands included.
    const own = [...words.slice(0, i), ...(name === 'env' ? args : [])].findLast((w) => w.startsWith('GIT_DIR='));
    const outer = this.gitDirPrefix;
    if (own !== undefined) this.gitDirPrefix = own.slice('GIT_DIR='.length);
    try {
      this.named(name, args, stdin, depth, input);
    } finally {
      this.gitDirPrefix = outer;
    }
  }

  private named(name: string, args: string[], stdin: string | undefined, depth: number, input?: SimpleCommand): void {
    const alias = this.known(name) ? this.shellAliases.get(name) : undefined;
    if (alias === null) return this.unreadable(`${name} ${args.join(' ')}`);
    if (alias !== undefined) return this.script(`${alias} ${quoteWords(args, this)}`, depth + 1);
    // The file name is what runs: `/usr/bin/git`, `"$(git --exec-path)"/git-push`. A case-insensitive file
    // system finds git for `GIT` too.
    const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
    if (!this.known(base)) {
      if (args.some((a) => a.toLowerCase() === 'push' || a.toLowerCase() === 'commit')) this.git(args, depth, true);
      return;
    }
    if (base === 'git') return this.git(args, depth, false);
    const dashed = /^git-([a-z-]+)$/.exec(base);
    if (dashed) return this.invocation(dashed[1] as string, args, false, this.places.place([], this.gitDirPrefix));
    if (this.builtin(base, args, stdin, depth, input)) return;
    const unwrap = WRAPPERS.get(base) ?? RUNNERS.get(base);
    if (unwrap) {
      const inner = unwrap(args, this);
      if (inner === undefined) return;
      if (typeof inner === 'string') return this.script(inner, depth + 1);
      return this.command(inner, stdin, depth + 1, input);
    }
    // A heredoc or here-string wins over a pipe, as the shell's own redirection does.
    const fed = (): string | undefined => stdin ?? (input ? printed(input.words, input.stdin, this) : undefined);
    if (SHELLS.has(base)) {
      const script = shellScript(args, this, fed(), (file) => this.fileContent(file, fed()));
      // A script from a program only running it would show (`curl … | sh`) counts when that program's words name git.
      if (script === `${this.mark}${PIPED_UNKNOWN}`) this.unreadable((input?.words ?? []).join(' '));
      else if (script) this.script(script, depth + 1);
      return;
    }
    if (base === 'eval') return this.script(args.map((a) => (this.known(a) ? a : UNKNOWN)).join(' '), depth + 1);
    if (base === 'source' || base === '.') {
      const script = args[0] === undefined ? undefined : this.fileContent(args[0], fed());
      return script === undefined ? undefined : this.script(script, depth + 1);
    }
    const code = inlineCode(base, args, this, { stdin: fed(), file: (file) => this.fileContent(file, fed()) });
    if (code) this.inline(code, depth, input);
  }

  /**
   * The shell's own commands that change what a later git command does, or run a string later or beside the line:
   * where it runs (`cd`, GIT_DIR), an alias (followed as bash does with expand_aliases, which Claude Code's shell
   * sets), a trap (read once the line ends, where an EXIT trap runs) and a coprocess. True when `base` was one.
   */
  private builtin(base: string, args: string[], stdin: string | undefined, depth: number, input?: SimpleCommand) {
    // zsh's `chdir` (macOS's default shell) is its `cd`.
    if (base === 'cd' || base === 'chdir' || base === 'pushd' || base === 'popd')
      this.places.cd(base === 'chdir' ? 'cd' : base, args);
    else if (base === 'export' || base === 'declare' || base === 'typeset' || base === 'readonly')
      this.places.assign(args);
    else if (base === 'unset') this.places.assign(args, true);
    else if (base === 'alias')
      for (const a of args) {
        const m = /^([^=\s]+)=(.*)$/s.exec(a);
        if (m) this.shellAliases.set(m[1] as string, this.known(a) ? (m[2] as string) : null);
      }
    else if (base === 'trap') {
      const [action] = args.filter((a) => a !== '--');
      if (action !== undefined && this.known(action) && !action.startsWith('-') && args.length > 1)
        this.traps.push(action);
    } else if (base === 'coproc') {
      // `coproc NAME { …; }` names the coprocess; `coproc git push` runs the command as it is.
      this.command(args.slice(args[1] === '{' ? 1 : 0), stdin, depth + 1, input);
    } else return false;
    return true;
  }

  /**
   * Code in another language (or a makefile) that names git: its strings that read as commands are read with the
   * same rules (a push to a protected branch among them is refused), and the code is asked about when it names
   * push too or names git where no string shows what it runs.
   */
  private inline({ via, code, makefile }: InlineCode, depth: number, input?: SimpleCommand): void {
    if (code === `${this.mark}${PIPED_UNKNOWN}`) return this.unreadable((input?.words ?? []).join(' '));
    // Braces with commas are code here (`{ args: [...] }`), not a brace expansion: only the mark makes it unknown.
    if (code.includes(this.mark)) return this.unreadable(code.replaceAll(this.mark, ''));
    if (!namesGit(code)) return;
    const before = this.found.length;
    let unsure = false;
    if (makefile) this.script(recipes(code), depth + 1);
    else {
      const { runs, outside } = gitLiterals(code, namesGit);
      unsure = outside;
      for (const run of runs) {
        const had = this.found.length;
        this.script(run, depth + 1);
        const read = this.found.slice(had);
        // A string naming git that reads as no git command git ships (`"git " + sub`) says nothing certain.
        if (!read.some((g) => g.subcommand !== null && !g.unlisted)) unsure = true;
      }
    }
    const pushed = this.found.slice(before).some((g) => g.subcommand === 'push');
    const namesPush = /push|send-?pack/i.test(code);
    if (makefile ? namesPush && !pushed : namesPush || unsure) this.found.push({ subcommand: null, args: [], via });
  }

  /** git's own global options come before the subcommand: `git -C dir push` pushes. */
  private git(args: string[], depth: number, uncertain: boolean): void {
    const aliases = new Map(this.aliases);
    const options: Array<[option: string, value: string | undefined]> = [];
    let i = 0;
    while (i < args.length && (args[i] as string).startsWith('-')) {
      const word = args[i] as string;
      const takes = GIT_GLOBAL_WITH_VALUE.has(word);
      const eq = word.startsWith('--') ? word.indexOf('=') : -1;
      const [option, value] =
        eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, takes ? args[i + 1] : undefined];
      options.push([option, value]);
      if (option === '-c' && value !== undefined) {
        const alias = /^alias\.([^=]+)=(.*)$/s.exec(value);
        if (alias) aliases.set((alias[1] as string).toLowerCase(), this.known(value) ? (alias[2] as string) : null);
      }
      i += takes ? 2 : 1;
    }
    const sub = args[i];
    const place = this.places.place(options, this.gitDirPrefix);
    if (sub !== undefined) this.subcommand(sub, args.slice(i + 1), { aliases, depth, uncertain, place });
  }

  /**
   * A subcommand, its aliases followed: git's own commands win over an alias of the same name, an alias may name
   * another, and a `!` alias is a shell command given the remaining words.
   */
  private subcommand(
    sub: string,
    rest: string[],
    at: { aliases: ReadonlyMap<string, string | null>; depth: number; uncertain: boolean; place: Place },
  ): void {
    const lower = sub.toLowerCase();
    const alias = this.known(sub) && !isGitCommand(lower) ? at.aliases.get(lower) : undefined;
    if (alias === null) return this.invocation(this.mark, rest, at.uncertain, at.place);
    if (alias !== undefined && at.depth <= MAX_DEPTH) {
      const deeper = { ...at, depth: at.depth + 1 };
      if (alias.startsWith('!')) return this.script(`${alias.slice(1)} ${quoteWords(rest, this)}`, deeper.depth);
      const [first, ...more] = alias.split(/\s+/).filter(Boolean);
      if (first !== undefined) return this.subcommand(first, [...more, ...rest], deeper);
    }
    if (lower === 'config') this.config(rest);
    for (const script of gitRunsScripts(lower, rest, this)) this.script(script, at.depth + 1);
    this.invocation(sub, rest, at.uncertain, at.place);
    if (this.known(sub)) this.places.ran(lower, rest, at.place);
  }

  /** `git config [options] [set|--add] alias.X value`: later commands of the line run X as that value. */
  private config(args: string[]): void {
    const { key, value } = configEntry(args);
    const alias = key !== undefined && this.known(key) ? /^alias\.(.+)$/i.exec(key) : null;
    if (alias && value !== undefined)
      this.aliases.set((alias[1] as string).toLowerCase(), this.known(value) ? value : null);
  }

  /**
   * Push plumbing's words as push's: send-pack with no ref pushes every branch both sides have (push's `--all` for
   * the guard), and with `--stdin` refs no one can know before it runs.
   */
  private plumbingArgs(args: string[]): string[] {
    if (args.includes('--stdin')) return [...args, this.mark];
    return args.filter((a) => !a.startsWith('-')).length <= 1 ? [...args, '--all'] : args;
  }

  private invocation(sub: string, args: string[], uncertain: boolean, place: Place): void {
    const lower = this.known(sub) ? sub.toLowerCase() : null;
    // `git send-pack origin main` pushes main as `git push origin main` does; its refs are read the same way.
    const plumbing = lower !== null && PUSH_PLUMBING.has(lower);
    // `git subtree push --prefix=x origin main` pushes a split of the tree to main.
    const subtree = lower === 'subtree' && args.find((a) => !a.startsWith('-')) === 'push';
    const pushArgs = subtree ? args.filter((a) => a !== 'push' && !a.startsWith('-')) : args;
    this.found.push({
      subcommand: plumbing || subtree ? 'push' : lower,
      args: (plumbing ? this.plumbingArgs(args) : pushArgs).map((a) => this.word(a)),
      ...(uncertain ? { uncertain: true as const } : {}),
      ...(lower !== null && !isGitCommand(lower) ? { unlisted: true as const } : {}),
      ...(moved(place) ? { at: place } : {}),
    });
  }

  /** The line's traps, run where it ends: an EXIT trap sees what the commands before left. */
  finish(): void {
    for (const action of this.traps.splice(0)) this.script(action, 1);
  }
}

/** Every `git <subcommand>` a command line runs, nested and wrapped ones included. */
export function gitInvocations(command: string): GitInvocation[] {
  // Past what is read, even a copy of the text (the mark's search, quotes taken out) costs the monitor's thread.
  if (command.length > MAX_READ_CHARS)
    return /git|push|commit|send-?pack/i.test(command)
      ? [{ subcommand: null, args: [], uncertain: true, long: true }]
      : [];
  const reader = new Reader(markFor(command));
  reader.script(command, 0);
  reader.finish();
  return reader.found;
}
