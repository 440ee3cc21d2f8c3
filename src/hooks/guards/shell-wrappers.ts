// The commands that run another command (env, sudo, timeout, xargs, a shell's -c…): their options skipped as each one
// reads them, so that what they wrap is read as the command it is.
import { UNKNOWN } from './shell-scan.js';

/** What a wrapper needs of the reader: which words are known, and the mark that stands for an unknown one. */
export interface WordReader {
  readonly mark: string;
  known(word: string): boolean;
}

export interface OptionSpec {
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
export function skipOptions(
  args: string[],
  spec: OptionSpec,
  reader: WordReader,
  seen?: (option: string, value: string | undefined) => void,
): number {
  let i = 0;
  while (i < args.length) {
    const w = args[i] as string;
    if (!reader.known(w)) break;
    if (w === '--') {
      i++;
      break;
    }
    if (w.startsWith('--')) {
      const [option, value] = w.includes('=')
        ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]
        : [w, undefined];
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
export type Unwrap = (args: string[], reader: WordReader) => string[] | string | undefined;

export const plain =
  (spec: OptionSpec): Unwrap =>
  (args, reader) =>
    args.slice(skipOptions(args, spec, reader));

function env(args: string[], reader: WordReader): string[] | string {
  let split: string | undefined;
  const i = skipOptions(
    args,
    { short: 'uCSa', long: ['--unset', '--chdir', '--split-string', '--argv0'], assignments: true },
    reader,
    (option, value) => {
      if (option === '-S' || option === '--split-string') split = value;
    },
  );
  if (split === undefined) return args.slice(i);
  // `env -S 'git push' origin main`: the string is split into words, the other words follow as they are.
  return `${reader.known(split) ? split : UNKNOWN} ${quoteWords(args.slice(i), reader)}`;
}

/** Words as a command line that gives them back: each known one quoted, an unknown one a variable. */
export function quoteWords(words: string[], reader: WordReader): string {
  return words.map((w) => (reader.known(w) ? `'${w.replace(/'/g, `'\\''`)}'` : UNKNOWN)).join(' ');
}

/** `command -v git` only says where git is. */
function command(args: string[], reader: WordReader): string[] | undefined {
  let describes = false;
  const i = skipOptions(args, {}, reader, (option) => {
    if (option === '-v' || option === '-V') describes = true;
  });
  return describes ? undefined : args.slice(i);
}

/** xargs appends words read from its input, and -I puts them in place of a word: neither is known here. */
function xargs(args: string[], reader: WordReader): string[] | undefined {
  let replace: string | undefined;
  const i = skipOptions(
    args,
    {
      short: 'adEILnPs',
      long: ['--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-chars', '--process-slot-var'],
    },
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

export const WRAPPERS: ReadonlyMap<string, Unwrap> = new Map<string, Unwrap>([
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
      long: [
        '--user',
        '--group',
        '--close-from',
        '--chdir',
        '--host',
        '--prompt',
        '--role',
        '--type',
        '--command-timeout',
        '--other-user',
        '--chroot',
      ],
      assignments: true,
    }),
  ],
  ['doas', plain({ short: 'uC' })],
  ['busybox', plain({})],
  // `builtin cd x` is the shell's own cd: what it wraps is read as the bare name is (cd, export, eval, source…).
  ['builtin', plain({})],
]);

/**
 * The script a shell runs: the -c string, else its standard input when it names no script file (`bash <<EOF`,
 * `sh -s`), else what `file` tells of its script file (`bash <(echo …)`); undefined when it is unknown or a file.
 */
export function shellScript(
  args: string[],
  reader: WordReader,
  stdin: string | undefined,
  file: (word: string) => string | undefined = () => undefined,
): string | undefined {
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
  return readsStdin || i >= args.length ? stdin : file(args[i] as string);
}

/** Operators that redirect, as shell-quote marks them: the word after one is a file, not an argument. */
export const REDIRECTIONS: ReadonlySet<string> = new Set([
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

/** The shells whose -c string, standard input or script file is a script to read. */
export const SHELLS: ReadonlySet<string> = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'yash',
  'fish',
  'csh',
  'tcsh',
]);

/** After the mark: the script piped into a shell is the output of a program that must run to tell it. */
export const PIPED_UNKNOWN = 'p';

/**
 * What a command piped into a shell prints, as far as it can be known without running it: what `echo` and `printf`
 * print (escapes such as `\n` taken as the line breaks they may become), what `cat` passes on from its heredoc; for
 * any other command, the mark PIPED_UNKNOWN.
 */
export function printed(words: string[], stdin: string | undefined, reader: WordReader): string {
  const [name = '', ...args] = words.map((w) => (reader.known(w) ? w : UNKNOWN));
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base === 'echo' || base === 'printf') {
    let first = 0;
    while (base === 'echo' && first < args.length && /^-[neE]+$/.test(args[first] as string)) first++;
    return args.slice(first).join(' ').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  }
  if (base === 'cat' && args.length === 0 && stdin !== undefined) return stdin;
  return `${reader.mark}${PIPED_UNKNOWN}`;
}
