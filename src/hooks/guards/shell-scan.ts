// The scan a Bash command gets before shell-quote splits it: what shell-quote does not know about. Unquoted newlines end
// commands, comments end at the line, `\`-newline joins lines, `$(…)`, backticks and `<(…)` are commands of their own,
// and heredoc bodies are set aside (data, unless a shell reads them).

/** Thrown for text a shell would refuse (an unclosed quote): the caller treats the whole script as unknown. */
class Unreadable extends Error {}

export interface Script {
  /** The command line for shell-quote: substitutions replaced by a variable, newlines by `;`, comments gone. */
  text: string;
  /** The source of the scripts that run on their own: `$(…)`, backticks, `<(…)`, `>(…)`. */
  inner: string[];
  /** Heredoc bodies, named in `text` by the placeholder word `${mark}h${index}`. */
  heredocs: string[];
}

/** A word only running the command could tell, as shell-quote sees it: a variable. */
export const UNKNOWN = '${__}';
/** Characters that end a word outside quotes. */
const ENDS_WORD = ' \t\n;&|()<>';
/**
 * `git push -u origin "$(git branch --show-current)"` is how a session pushes its branch: that substitution is the
 * current branch, which the guards know, so the word is read as HEAD (when it is the whole word) instead of unknown.
 */
const CURRENT_BRANCH =
  /^\s*git\s+(?:branch\s+--show-current|rev-parse\s+--abbrev-ref\s+HEAD|symbolic-ref\s+--short\s+HEAD)\s*$/;
/** Follows the mark in the placeholder for the current branch's name. */
export const CURRENT = 'c';
/** Follows the mark in the placeholder for a process substitution `<(…)`, before its index. */
export const PROCESS = 's';

/**
 * The scan before shell-quote. `mark` is a character absent from the command: placeholders built from it cannot be
 * confused with anything the command says.
 */
export class Scanner {
  private inner: string[] = [];
  private readonly heredocs: string[] = [];
  private readonly pending: Array<{ delimiter: string; stripTabs: boolean; expands: boolean; index: number }> = [];
  private i = 0;

  /**
   * `procs` collects the source of each `<(…)` across every scan of one command line: its placeholder word
   * `${mark}s${index}` names it, so that a shell given it as its script file can be told what it reads.
   */
  constructor(
    private readonly s: string,
    private readonly mark: string,
    private readonly procs: string[] = [],
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
      const quoted = this.quotedText(c, next);
      if (quoted !== undefined) {
        out += quoted;
      } else if (c === '$' && next === '(' && s[this.i + 2] === '(') {
        out += this.arithmetic();
      } else if ((c === '$' || c === '<' || c === '>') && next === '(') {
        this.i += 2;
        out += this.substitution(')', c === '<');
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
        if (c === '<' || c === '>') out = withoutFdNumber(out);
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

  /**
   * The escape or quoted string at the cursor, copied as it stands (a `\`-newline joins two lines and leaves
   * nothing), the cursor moved past it; undefined when none starts there.
   */
  private quotedText(c: string, next: string | undefined): string | undefined {
    const s = this.s;
    const start = this.i;
    if (c === '\\') {
      this.i += 2;
      return next === '\n' ? '' : s.slice(start, start + 2);
    }
    if (c === "'") {
      const end = s.indexOf("'", start + 1);
      if (end < 0) throw new Unreadable('unclosed single quote');
      this.i = end + 1;
      return s.slice(start, end + 1);
    }
    if (c === '$' && next === "'") {
      this.i += 2;
      while (this.i < s.length && s[this.i] !== "'") this.i += s[this.i] === '\\' ? 2 : 1;
      if (this.i >= s.length) throw new Unreadable("unclosed $'");
      return s.slice(start, ++this.i);
    }
    if (c === '"') {
      this.i++;
      return `"${this.doubleQuoted('"')}"`;
    }
    return undefined;
  }

  /**
   * A nested script (its opening already read): its source is kept to be read on its own, its place is unknown, or
   * for `<(…)` (`readable`) a placeholder naming its source.
   */
  private substitution(closer: ')' | '`', readable = false): string {
    const start = this.i;
    const outer = this.inner;
    // Its own substitutions are found again when its source is read.
    this.inner = [];
    this.script(closer);
    this.inner = outer;
    const source = this.s.slice(start, this.i - 1);
    this.inner.push(source);
    if (readable) return `${this.mark}${PROCESS}${this.procs.push(source) - 1}`;
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
        const scan = new Scanner(body, this.mark, this.procs);
        scan.doubleQuoted('');
        this.inner.push(...scan.inner);
      }
    }
  }
}

/**
 * `out` without the file descriptor number a redirection starts with (`2` of `2>&1`): the digits ending it when they
 * are a word of their own. Only the tail is looked at, so that a line of many redirections is read in linear time.
 */
function withoutFdNumber(out: string): string {
  let k = out.length;
  while (k > 0 && (out.charCodeAt(k - 1) ^ 0x30) < 10) k--;
  return k < out.length && (k === 0 || ' \t\n;&|()'.includes(out[k - 1] as string)) ? out.slice(0, k) : out;
}

/** A character the command does not contain, for placeholders. */
export function markFor(command: string): string {
  let code = 0xe000;
  while (command.includes(String.fromCharCode(code))) code++;
  return String.fromCharCode(code);
}
