// Code another language runs from the command line: an interpreter's inline program (`python3 -c`, `perl -e`,
// `node -e`, awk's program, or the program on its standard input) and a makefile read from standard input or given
// with --eval. The guard cannot run that code; it reads the strings in it that look like commands, and asks about
// the rest when it names git.
import { skipOptions, type WordReader } from './shell-wrappers.js';

export interface InlineCode {
  /** The program that runs it, named in the guard's reason. */
  via: string;
  /** The code, as the shell passes it. */
  code: string;
  /** A makefile: its recipes are shell, read as such, rather than searched for strings. */
  makefile?: true;
}

interface Interpreter {
  name: RegExp;
  /** Letters whose value is the program (clustered too: `perl -ne`, `node -pe`). */
  code: string;
  /** Long options whose value is the program. */
  longCode?: string[];
  /** Letters taking a value, attached or the next word (`-W ignore`). */
  value?: string;
  /** Letters whose value is the rest of their word only (`-Mstrict`, perl's `-i.bak`). */
  attached?: string;
  /** Long options taking the next word unless written `--opt=value`. */
  longValue?: string[];
  /** Letters naming what runs instead of inline code (`python -m pytest`, `php -f x.php`). */
  file?: string;
}

const INTERPRETERS: readonly Interpreter[] = [
  { name: /^(python|pypy)[0-9.]*$/, code: 'c', value: 'WX', file: 'm' },
  // perl's -l and -0 take digits only: `-le` is -l then -e.
  { name: /^perl[0-9.]*$/, code: 'eE', value: 'I', attached: 'MmxidDC' },
  { name: /^ruby[0-9.]*$/, code: 'e', value: 'ICEr', attached: 'FKTWx0' },
  {
    name: /^(node|nodejs|bun)$/,
    code: 'ep',
    longCode: ['--eval', '--print'],
    value: 'rC',
    longValue: ['--require', '--import', '--loader', '--experimental-loader', '--conditions', '--env-file', '--title'],
  },
  { name: /^php[0-9.]*$/, code: 'rBRE', longCode: ['--run'], value: 'cdz', file: 'fF' },
  { name: /^(lua|luajit)[0-9.]*$/, code: 'e', value: 'l' },
  { name: /^(rscript|osascript)$/, code: 'e', value: 'l' },
];

/**
 * The programs an interpreter's code options give, and whether it runs a file (or a module) instead: the first word
 * that is no option, when no code came before it. `-` is its standard input.
 */
function codeOptions(args: string[], spec: Interpreter): { code: string[]; file: string | undefined } {
  const code: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as string;
    const eq = w.indexOf('=');
    const option = eq > 0 ? w.slice(0, eq) : w;
    if (spec.longCode?.includes(option)) code.push(eq > 0 ? w.slice(eq + 1) : (args[++i] ?? ''));
    else if (spec.longValue?.includes(option)) i += eq > 0 ? 0 : 1;
    else if (w === '-') return { code, file: code.length === 0 ? w : undefined };
    else if (w === '--') return { code, file: code.length === 0 ? (args[i + 1] ?? '-') : undefined };
    else if (!w.startsWith('-')) return { code, file: code.length === 0 ? w : undefined };
    else if (!w.startsWith('--')) {
      for (let k = 1; k < w.length; k++) {
        const letter = w[k] as string;
        const rest = w.slice(k + 1);
        // A module or file named by an option (`-m pytest`) is not the guard's to read.
        if (spec.file?.includes(letter)) return { code, file: code.length === 0 ? '' : undefined };
        if (spec.code.includes(letter)) code.push(rest || (args[++i] ?? ''));
        else if (spec.value?.includes(letter)) i += rest ? 0 : 1;
        else if (!spec.attached?.includes(letter)) continue;
        break;
      }
    }
  }
  return { code, file: undefined };
}

/** awk's program: -e/--source values, else the first word that is not an option (none when -f names a file). */
function awkProgram(args: string[], reader: WordReader): string | undefined {
  const code: string[] = [];
  let file = false;
  const i = skipOptions(
    args,
    { short: 'FvfWilEe', long: ['--source', '--file', '--assign', '--field-separator'] },
    reader,
    (option, value) => {
      if (option === '-e' || option === '--source') code.push(value ?? '');
      if (option === '-f' || option === '--file' || option === '-E') file = true;
    },
  );
  if (code.length > 0) return code.join('\n');
  return file ? undefined : args[i];
}

/** What a command is fed: its standard input, and what the line tells of a file it names (`/dev/stdin`, `<(…)`). */
export interface Fed {
  stdin: string | undefined;
  file(word: string): string | undefined;
}

/** A makefile given on the command line: `make -f - <<EOF`, `-f /dev/stdin`, `-f <(printf …)`, `--eval=…`. */
function makefile(args: string[], fed: Fed): string | undefined {
  const parts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as string;
    const file = /^(-f|--file|--makefile)(=?)(.*)$/s.exec(w);
    const named = file ? file[3] || (file[2] ? '' : (args[++i] ?? '')) : undefined;
    const content = named === undefined ? undefined : fed.file(named);
    if (content !== undefined) parts.push(content);
    const evaluated = /^--eval=(.*)$/s.exec(w)?.[1] ?? (w === '-E' || w === '--eval' ? args[++i] : undefined);
    if (evaluated !== undefined) parts.push(evaluated);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/**
 * The inline code a command runs, or undefined when it runs none the guard can read (not an interpreter, or a
 * script file: `python3 deploy.py`). An interpreter given neither code nor a file runs its standard input.
 */
export function inlineCode(name: string, args: string[], reader: WordReader, fed: Fed): InlineCode | undefined {
  if (name === 'make' || name === 'gmake') {
    const code = makefile(args, fed);
    return code === undefined ? undefined : { via: name, code, makefile: true };
  }
  if (/^[gmn]?awk$/.test(name)) {
    const code = awkProgram(args, reader);
    return code === undefined ? undefined : { via: name, code };
  }
  if (name === 'deno' && args[0] === 'eval') return args[1] === undefined ? undefined : { via: name, code: args[1] };
  const spec = INTERPRETERS.find((i) => i.name.test(name));
  if (!spec) return undefined;
  const { code, file } = codeOptions(args, spec);
  if (code.length > 0) return { via: name, code: code.join('\n') };
  const given = file === undefined ? fed.stdin : fed.file(file);
  return given === undefined ? undefined : { via: name, code: given };
}

/** The shell lines of a makefile: its recipes (`\tcmd`, `target: ; cmd`), with make's `$$` as the shell's `$`. */
export function recipes(makefile: string): string {
  const lines: string[] = [];
  for (const line of makefile.replace(/\\\n/g, ' ').split('\n')) {
    if (line.startsWith('\t')) lines.push(line.slice(1).replace(/^[\s@+-]+/, ''));
    else {
      const inline = /^[^#=:]+::?[^=;]*;(.*)$/.exec(line);
      if (inline) lines.push(inline[1] as string);
    }
  }
  return lines.join('\n').replace(/\$\$/g, '$');
}

/** What a backslash escape in a string literal stands for, as far as a command line is concerned. */
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t' };

/**
 * The string literals of a program that name git, as command lines; consecutive literals of one list
 * (`["git", "push", "origin"]`, `'git', ['push', …]`) joined as the words of one command. `outside`: git is named
 * elsewhere in the code too (`import git`), where no string shows what it runs.
 */
export function gitLiterals(code: string, namesGit: (text: string) => boolean): { runs: string[]; outside: boolean } {
  const runs: string[][] = [];
  let current: string[] | undefined;
  let rest = '';
  let last = 0;
  for (let i = 0; i < code.length; i++) {
    const quote = code[i] as string;
    if (quote !== '"' && quote !== "'" && quote !== '`') continue;
    let text = '';
    let j = i + 1;
    for (; j < code.length && code[j] !== quote; j++) {
      if (code[j] === '\\' && j + 1 < code.length) text += ESCAPES[code[++j] as string] ?? code[j];
      else text += code[j];
    }
    const between = code.slice(last, i);
    rest += between;
    if (current && /^[\s,[\]()]*$/.test(between)) current.push(text);
    else runs.push((current = [text]));
    i = j;
    last = j + 1;
  }
  rest += code.slice(last);
  return { runs: runs.map((r) => r.join(' ')).filter(namesGit), outside: namesGit(rest) };
}
