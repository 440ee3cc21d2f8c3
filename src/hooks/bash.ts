// Reads a Bash tool call closely enough to tell which git commands it runs, through the rewordings a shell allows:
// quoting, wrappers (bash -c, env, sudo, timeout, xargs…), separators, subshells, substitutions and heredocs.
// shell-quote splits the words, removes quotes and marks operators, variables and globs. What it does not know
// is done by a scan before it: unquoted newlines end commands, comments end at the line, `\`-newline joins lines,
// `$(…)`, backticks and `<(…)` are commands of their own, and heredoc bodies are data unless a shell reads them.
// A word only running the command could tell (a variable, a substitution, a glob) is null, never a guess.
import parse from 'shell-quote/parse.js';
import { mayCommitOrPush } from './prefilter.js';

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

class Unreadable extends Error {}

interface Script {
  /** The command line for shell-quote: substitutions replaced by a variable, newlines by `;`, comments gone. */
  text: string;
  /** The source of the scripts that run on their own: `$(…)`, backticks, `<(…)`, `>(…)`. */
  inner: string[];
  /** Heredoc bodies, named in `text` by the placeholder word `${mark}h${index}`. */
  heredocs: string[];
}

const UNKNOWN = '${__}';
/** Characters that end a word outside quotes. */
const ENDS_WORD = ' \t\n;&|()<>';
/**
 * `git push -u origin "$(git branch --show-current)"` is how a session pushes its branch: that substitution is the
 * current branch, which the guards know, so the word is read as HEAD (when it is the whole word) instead of unknown.
 */
const CURRENT_BRANCH = /^\s*git\s+(?:branch\s+--show-current|rev-parse\s+--abbrev-ref\s+HEAD|symbolic-ref\s+--short\s+HEAD)\s*$/;
const CURRENT = 'c';

/**
 * The scan before shell-quote. `mark` is a character absent from the command: placeholders built from it cannot be
 * confused with anything the command says.
 */
class Scanner {
  private inner: string[] = [];
  private readonly heredocs: string[] = [];
  private readonly pending: Array<{ delimiter: string; stripTabs: boolean; expands: boolean; index: number }> = [];
  private i = 0;

  constructor(
    private readonly s: string,
    private readonly mark: string,
  ) {}

  run(): Script {
    return { text: this.script(''), inner: this.inner, heredocs: this.heredocs };
  }

  /** Command text up to `closer` (the `)` of `$(`, a backtick, or the end), with nested scripts taken out. */
  private script(closer: ')' | '`' | ''): string {
    const s = this.s;
    let out = '';
    let depth = 0;
    let wordStart = true;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      const next = s[this.i + 1];
      if ((closer === '`' && c === '`') || (closer === ')' && c === ')' && depth === 0)) {
        this.i++;
        return out;
      }
      let startsWord = false;
      if (c === '\\') {
        if (next !== '\n') out += s.slice(this.i, this.i + 2);
        this.i += 2;
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        if (end < 0) throw new Unreadable('unclosed single quote');
        out += s.slice(this.i, end + 1);
        this.i = end + 1;
      } else if (c === '$' && next === "'") {
        const start = this.i;
        this.i += 2;
        while (this.i < s.length && s[this.i] !== "'") this.i += s[this.i] === '\\' ? 2 : 1;
        if (this.i >= s.length) throw new Unreadable("unclosed $'");
        out += s.slice(start, ++this.i);
      } else if (c === '"') {
        this.i++;
        out += `"${this.doubleQuoted('"')}"`;
      } else if (c === '$' && next === '(' && s[this.i + 2] === '(') {
        out += this.arithmetic();
      } else if ((c === '$' || c === '<' || c === '>') && next === '(') {
        this.i += 2;
        out += this.substitution(')');
      } else if (c === '`') {
        this.i++;
        out += this.substitution('`');
      } else if (c === '#' && wordStart) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        startsWord = true;
      } else if (c === '#') {
        // shell-quote would take a `#` inside a word for a comment too.
        out += '\\#';
        this.i++;
      } else if (c === '\n') {
        out += ';';
        this.i++;
        this.readHeredocBodies();
        startsWord = true;
      } else if (s.startsWith('<<<', this.i)) {
        out += '<<<';
        this.i += 3;
        startsWord = true;
      } else if (c === '<' && next === '<') {
        out += this.heredocOperator();
        startsWord = true;
      } else {
        // `2>&1`: the 2 names a file descriptor, not a word of the command.
        if ((c === '<' || c === '>') && /(?:^|[\s;&|()])\d+$/.test(out)) out = out.replace(/\d+$/, '');
        if (c === '(') depth++;
        else if (c === ')') depth--;
        out += c;
        this.i++;
        startsWord = ENDS_WORD.includes(c);
      }
      wordStart = startsWord;
    }
    if (closer) throw new Unreadable(`unclosed ${closer === ')' ? '$(' : '`'}`);
    return out;
  }

  /** A nested script (its opening already read): its source is kept to be read on its own, its place is unknown. */
  private substitution(closer: ')' | '`'): string {
    const start = this.i;
    const outer = this.inner;
    // Its own substitutions are found again when its source is read.
    this.inner = [];
    this.script(closer);
    this.inner = outer;
    const source = this.s.slice(start, this.i - 1);
    this.inner.push(source);
    return CURRENT_BRANCH.test(source) ? `${this.mark}${CURRENT}` : UNKNOWN;
  }

  /**
   * `$((…))`, read to its matching parenthesis only: `<<` is a shift there, not a heredoc. Bash runs `$((cmd))` as
   * a command when it is no arithmetic, so the inside is still read as a script.
   */
  private arithmetic(): string {
    let depth = 0;
    for (let k = this.i + 1; k < this.s.length; k++) {
      if (this.s[k] === '(') depth++;
      else if (this.s[k] === ')' && --depth === 0) {
        this.inner.push(this.s.slice(this.i + 2, k));
        this.i = k + 1;
        return UNKNOWN;
      }
    }
    throw new Unreadable('unclosed $((');
  }

  /** The inside of "…" (the opening quote already read) up to and past `end`; '' reads to the end (a heredoc body). */
  private doubleQuoted(end: '"' | ''): string {
    const s = this.s;
    let out = '';
    while (this.i < s.length) {
      const c = s[this.i] as string;
      const next = s[this.i + 1];
      if (c === end) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        if (next !== '\n') out += s.slice(this.i, this.i + 2);
        this.i += 2;
      } else if (c === '$' && next === '(' && s[this.i + 2] === '(') {
        out += this.arithmetic();
      } else if (c === '$' && next === '(') {
        this.i += 2;
        out += this.substitution(')');
      } else if (c === '`') {
        this.i++;
        out += this.substitution('`');
      } else {
        out += c;
        this.i++;
      }
    }
    if (end) throw new Unreadable('unclosed double quote');
    return out;
  }

  /** `<<WORD` or `<<-WORD`: the body follows the next newline; the command gets a placeholder word in its place. */
  private heredocOperator(): string {
    const s = this.s;
    this.i += 2;
    const stripTabs = s[this.i] === '-';
    if (stripTabs) this.i++;
    while (s[this.i] === ' ' || s[this.i] === '\t') this.i++;
    let delimiter = '';
    let quoted = false;
    while (this.i < s.length && !ENDS_WORD.includes(s[this.i] as string)) {
      const c = s[this.i] as string;
      if (c === "'" || c === '"') {
        const end = s.indexOf(c, this.i + 1);
        if (end < 0) throw new Unreadable('unclosed quote in a heredoc delimiter');
        delimiter += s.slice(this.i + 1, end);
        quoted = true;
        this.i = end + 1;
      } else if (c === '\\') {
        delimiter += s[this.i + 1] ?? '';
        quoted = true;
        this.i += 2;
      } else {
        delimiter += c;
        this.i++;
      }
    }
    if (!delimiter) throw new Unreadable('heredoc without a delimiter');
    const index = this.heredocs.push('') - 1;
    this.pending.push({ delimiter, stripTabs, expands: !quoted, index });
    return `<< ${this.mark}h${index} `;
  }

  /** After an unquoted newline: the bodies of the heredocs opened on the line just ended. */
  private readHeredocBodies(): void {
    const s = this.s;
    for (const doc of this.pending.splice(0)) {
      const lines: string[] = [];
      while (this.i < s.length) {
        const nl = s.indexOf('\n', this.i);
        const end = nl < 0 ? s.length : nl;
        const line = s.slice(this.i, end);
        this.i = end + 1;
        if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) break;
        lines.push(line);
      }
      const body = lines.join('\n');
      this.heredocs[doc.index] = body;
      // An unquoted delimiter expands the body: its substitutions run, whoever reads it.
      if (doc.expands) {
        const scan = new Scanner(body, this.mark);
        scan.doubleQuoted('');
        this.inner.push(...scan.inner);
      }
    }
  }
}

type Token = parse.ParseEntry;

interface SimpleCommand {
  /** Raw words: unknown parts hold the mark, so that a known tail (`$DIR/git`) can still be read. */
  words: string[];
  /** A script on its standard input: the last heredoc or here-string. */
  stdin?: string;
}

const REDIRECTIONS: ReadonlySet<string> = new Set(['<', '>', '>>', '>&', '<&', '<>', '>|', '&>', '&>>', '<<', '<<-', '<<<']);
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
    if (/git|push|commit/i.test(source.replace(/["'\\]/g, ''))) this.found.push({ subcommand: null, args: [], uncertain: true });
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
    while (i < words.length && (RESERVED.has(words[i] as string) || /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(words[i] as string))) i++;
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
    this.found.push({ subcommand, args: args.map((a) => this.word(a)), ...(uncertain ? { uncertain: true as const } : {}) });
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

interface OptionSpec {
  /** Single-letter options that take a value (attached, `-uroot`, or the next word). */
  short?: string;
  /** Long options that take the next word as their value unless written `--opt=value`. */
  long?: string[];
  /** VAR=value words may follow the options (env, sudo). */
  assignments?: boolean;
  /** Words before the command that are not options (timeout's duration). */
  operands?: number;
}

/**
 * Skips a wrapper's options and returns the index of the wrapped command's first word. `seen` hears each option and
 * its value. An unknown word ends the options: the wrapped command's name is then unknown.
 */
function skipOptions(args: string[], spec: OptionSpec, reader: Reader, seen?: (option: string, value: string | undefined) => void): number {
  let i = 0;
  while (i < args.length) {
    const w = args[i] as string;
    if (!reader.known(w)) break;
    if (w === '--') {
      i++;
      break;
    }
    if (w.startsWith('--')) {
      const [option, value] = w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
      const takes = value === undefined && (spec.long ?? []).includes(option);
      seen?.(option, takes ? args[i + 1] : value);
      i += takes ? 2 : 1;
    } else if (w.startsWith('-') && w.length > 1) {
      i++;
      for (let k = 1; k < w.length; k++) {
        const letter = w[k] as string;
        if ((spec.short ?? '').includes(letter)) {
          const attached = w.slice(k + 1);
          seen?.(`-${letter}`, attached || args[i]);
          if (!attached) i++;
          break;
        }
        seen?.(`-${letter}`, undefined);
      }
    } else if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else break;
  }
  return i + (spec.operands ?? 0);
}

/** What a wrapper runs: the wrapped command's words, a script to read, or undefined when it runs nothing. */
type Unwrap = (args: string[], reader: Reader) => string[] | string | undefined;

const plain =
  (spec: OptionSpec): Unwrap =>
  (args, reader) =>
    args.slice(skipOptions(args, spec, reader));

function env(args: string[], reader: Reader): string[] | string {
  let split: string | undefined;
  const i = skipOptions(args, { short: 'uCSa', long: ['--unset', '--chdir', '--split-string', '--argv0'], assignments: true }, reader, (option, value) => {
    if (option === '-S' || option === '--split-string') split = value;
  });
  if (split === undefined) return args.slice(i);
  // `env -S 'git push' origin main`: the string is split into words, the other words follow as they are.
  const quoted = (w: string): string => (reader.known(w) ? `'${w.replace(/'/g, `'\\''`)}'` : UNKNOWN);
  return [reader.known(split) ? split : UNKNOWN, ...args.slice(i).map(quoted)].join(' ');
}

/** `command -v git` only says where git is. */
function command(args: string[], reader: Reader): string[] | undefined {
  let describes = false;
  const i = skipOptions(args, {}, reader, (option) => {
    if (option === '-v' || option === '-V') describes = true;
  });
  return describes ? undefined : args.slice(i);
}

/** xargs appends words read from its input, and -I puts them in place of a word: neither is known here. */
function xargs(args: string[], reader: Reader): string[] | undefined {
  let replace: string | undefined;
  const i = skipOptions(
    args,
    { short: 'adEILnPs', long: ['--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars', '--process-slot-var'] },
    reader,
    (option, value) => {
      if (option === '-I') replace = value;
      else if (option === '-i' || option === '--replace') replace = value || '{}';
    },
  );
  const wrapped = args.slice(i);
  if (wrapped.length === 0) return undefined;
  if (replace === undefined) return [...wrapped, reader.mark];
  const r = replace;
  return wrapped.map((w) => (r && w.includes(r) ? reader.mark : w));
}

const WRAPPERS: ReadonlyMap<string, Unwrap> = new Map<string, Unwrap>([
  ['env', env],
  ['command', command],
  ['xargs', xargs],
  ['timeout', plain({ short: 'sk', long: ['--signal', '--kill-after'], operands: 1 })],
  ['nohup', plain({})],
  ['nice', plain({ short: 'n', long: ['--adjustment'] })],
  ['setsid', plain({})],
  ['stdbuf', plain({ short: 'ioe', long: ['--input', '--output', '--error'] })],
  ['time', plain({ short: 'fo', long: ['--format', '--output'] })],
  ['exec', plain({ short: 'a' })],
  [
    'sudo',
    plain({
      short: 'ugCDhprtTUR',
      long: ['--user', '--group', '--close-from', '--chdir', '--host', '--prompt', '--role', '--type', '--command-timeout', '--other-user', '--chroot'],
      assignments: true,
    }),
  ],
  ['doas', plain({ short: 'uC' })],
  ['busybox', plain({})],
]);

/**
 * The script a shell runs: the -c string, else its standard input when it names no script file (`bash <<EOF`,
 * `sh -s`); undefined when it is unknown or a file.
 */
function shellScript(args: string[], reader: Reader, stdin: string | undefined): string | undefined {
  let command = false;
  let readsStdin = false;
  const i = skipOptions(args, { short: 'oO', long: ['--rcfile', '--init-file'] }, reader, (option) => {
    if (option === '-c') command = true;
    if (option === '-s') readsStdin = true;
  });
  if (command) {
    const script = args[i];
    return script !== undefined && reader.known(script) ? script : undefined;
  }
  return readsStdin || i >= args.length ? stdin : undefined;
}

/** A character the command does not contain, for placeholders. */
function markFor(command: string): string {
  let code = 0xe000;
  while (command.includes(String.fromCharCode(code))) code++;
  return String.fromCharCode(code);
}

/** Every `git <subcommand>` a command line runs, nested and wrapped ones included. */
export function gitInvocations(command: string): GitInvocation[] {
  const reader = new Reader(markFor(command));
  reader.script(command, 0);
  return reader.found;
}
