// Commands that run a command given to them as words or as a string: find's -exec, script -c, watch, ssh, parallel,
// flock, su -c and the process tweakers (ionice, strace…). Each returns what it runs, as shell-wrappers.ts's do, so
// that the reader applies the same rules to it.
import { UNKNOWN } from './shell-scan.js';
import { plain, quoteWords, skipOptions, type Unwrap, type WordReader } from './shell-wrappers.js';

/** A shell reading its standard input: what a runner given no command starts (`script`, `ssh host`). */
const SHELL_ON_STDIN = ['sh'];
/** No runner is followed past this many commands of its own (parallel's values, find's -exec clauses). */
const MAX_COMMANDS = 32;

/** Words joined as the string a runner hands to a shell (`watch git push`, `ssh host git push`). */
function commandLine(words: string[], reader: WordReader): string {
  return words.map((w) => (reader.known(w) ? w : UNKNOWN)).join(' ');
}

/** A word find or fd fills in with a file name (`{}`, fd's `{/.}`): not known before it runs. */
const unknownPlaceholder = (w: string, reader: WordReader): string => (/\{[/.]*\}/.test(w) ? reader.mark : w);

/** find's -exec, -execdir, -ok and -okdir: each runs the words up to `;` or `+`, `{}` being a file name. */
function find(args: string[], reader: WordReader): string | undefined {
  const commands: string[] = [];
  for (let i = 0; i < args.length && commands.length < MAX_COMMANDS; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(args[i] as string)) continue;
    const words: string[] = [];
    for (i++; i < args.length && args[i] !== ';' && args[i] !== '+'; i++) words.push(args[i] as string);
    commands.push(
      quoteWords(
        words.map((w) => unknownPlaceholder(w, reader)),
        reader,
      ),
    );
  }
  return commands.length > 0 ? commands.join('\n') : undefined;
}

/** fd's -x and -X run the rest of the line (up to `;`) for the files it finds. */
function fd(args: string[], reader: WordReader): string | undefined {
  const at = args.findIndex((a) => /^(-x|--exec|-X|--exec-batch)$/.test(a));
  if (at < 0) return undefined;
  const end = args.indexOf(';', at);
  const words = args.slice(at + 1, end < 0 ? undefined : end);
  return quoteWords(
    words.map((w) => unknownPlaceholder(w, reader)),
    reader,
  );
}

/** util-linux `script -c CMD [file]`; BSD `script [file [command…]]`; with neither, a shell on its input. */
function script(args: string[], reader: WordReader): string[] | string | undefined {
  let command: string | undefined;
  const i = skipOptions(
    args,
    {
      short: 'cEIOBTmo',
      long: ['--command', '--echo', '--log-in', '--log-out', '--log-io', '--log-timing', '--logging-format'],
    },
    reader,
    (option, value) => {
      if (option === '-c' || option === '--command') command = value ?? UNKNOWN;
    },
  );
  if (command !== undefined) return reader.known(command) ? command : UNKNOWN;
  return args.length > i + 1 ? args.slice(i + 1) : SHELL_ON_STDIN;
}

/** watch hands its words to `sh -c` (joined by spaces), or runs them as they are with -x. */
function watch(args: string[], reader: WordReader): string[] | string {
  let exec = false;
  const i = skipOptions(args, { short: 'nqs', long: ['--interval', '--equexit', '--shotsfile'] }, reader, (option) => {
    if (option === '-x' || option === '--exec') exec = true;
  });
  return exec ? args.slice(i) : commandLine(args.slice(i), reader);
}

/** ssh runs its words after the host as one line in the remote's shell; with none, a shell reads its input. */
function ssh(args: string[], reader: WordReader): string[] | string {
  const i = skipOptions(args, { short: 'BbcDEeFIiJLlmOoPpQRSWw' }, reader);
  const words = args.slice(i + 1);
  return words.length > 0 ? commandLine(words, reader) : SHELL_ON_STDIN;
}

/** `flock [options] file command…` or `flock [options] file -c 'command'`. */
function flock(args: string[], reader: WordReader): string[] | string {
  const i = skipOptions(args, { short: 'wE', long: ['--wait', '--timeout', '--conflict-exit-code'] }, reader) + 1;
  if (args[i] === '-c' || args[i] === '--command') return commandLine(args.slice(i + 1, i + 2), reader);
  return args.slice(i);
}

/** The string of `-c STRING` (su, runuser) anywhere in the words, or undefined. */
function dashC(args: string[], reader: WordReader): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as string;
    if (w === '-c' || w === '--command' || w === '--session-command')
      return commandLine(args.slice(i + 1, i + 2), reader);
    if (/^--(session-)?command=/.test(w)) return commandLine([w.slice(w.indexOf('=') + 1)], reader);
  }
  return undefined;
}

/** `su [user] -c CMD`, `runuser -u user -- CMD…` or `runuser user -c CMD`. */
function runuser(args: string[], reader: WordReader): string[] | string | undefined {
  const string = dashC(args, reader);
  if (string !== undefined) return string;
  const dash = args.indexOf('--');
  return args.some((a) => a === '-u' || a === '--user') && dash >= 0 ? args.slice(dash + 1) : undefined;
}

/**
 * GNU parallel runs its words through a shell once for each value after `:::`, in place of `{}` or appended; with
 * no `:::` the values come from its input, as xargs's do.
 */
function parallel(args: string[], reader: WordReader): string {
  const i = skipOptions(
    args,
    {
      short: 'jSIadEnNLP',
      long: ['--jobs', '--sshlogin', '--arg-file', '--delimiter', '--colsep', '--joblog', '--results', '--workdir'],
    },
    reader,
  );
  const sources = args.findIndex((a, k) => k >= i && /^::::?\+?$/.test(a));
  const template = args.slice(i, sources < 0 ? undefined : sources);
  const values = sources < 0 ? [] : args.slice(sources + 1).filter((a) => !/^::::?\+?$/.test(a));
  const one = values.length > 0 && args.filter((a) => /^::::?\+?$/.test(a)).length === 1 && args[sources] === ':::';
  const fill = (value: string): string => {
    const filled = template.map((w) => (/\{[^}]*\}/.test(w) ? w.replace(/\{[^}]*\}/g, value) : w));
    return commandLine(filled.join(' ') === template.join(' ') ? [...filled, value] : filled, reader);
  };
  return (one ? values.slice(0, MAX_COMMANDS) : [reader.mark]).map(fill).join('\n');
}

export const RUNNERS: ReadonlyMap<string, Unwrap> = new Map<string, Unwrap>([
  ['find', find],
  ['fd', fd],
  ['fdfind', fd],
  ['script', script],
  ['watch', watch],
  ['ssh', ssh],
  ['flock', flock],
  ['su', dashC],
  ['runuser', runuser],
  ['parallel', parallel],
  ['ionice', plain({ short: 'cnp', long: ['--class', '--classdata'] })],
  ['taskset', plain({ short: '', operands: 1 })],
  ['chrt', plain({ short: 'T', operands: 1 })],
  ['chroot', plain({ operands: 1 })],
  ['chronic', plain({})],
  ['unbuffer', plain({})],
  ['caffeinate', plain({ short: 'wt' })],
  ['fakeroot', plain({ short: 'lsi', long: ['--lib', '--faked'] })],
  ['strace', plain({ short: 'eoOpPsSuEXbaI' })],
  ['ltrace', plain({ short: 'eoOpsuanlA' })],
  ['torsocks', plain({ short: 'uapP' })],
  ['proxychains', plain({ short: 'f' })],
  ['proxychains4', plain({ short: 'f' })],
  ['dbus-run-session', plain({})],
  ['xvfb-run', plain({ short: 'nefspw' })],
]);

/** git names a command it runs: `git submodule foreach CMD`, `git rebase --exec CMD`, `git bisect run CMD`. */
export function gitRunsScripts(sub: string, args: string[], reader: WordReader): string[] {
  const line = (words: string[]): string => quoteWords(words, reader);
  if (sub === 'submodule') {
    const at = args.indexOf('foreach');
    if (at < 0) return [];
    const words = args.slice(at + 1).filter((a) => a !== '--recursive' && a !== '-q' && a !== '--quiet');
    return words.length === 1 && reader.known(words[0] as string) ? [words[0] as string] : [line(words)];
  }
  if (sub === 'bisect' && args[0] === 'run') return [line(args.slice(1))];
  if (sub !== 'rebase') return [];
  return args.flatMap((a, k) => {
    if (a === '-x' || a === '--exec') return [args[k + 1] ?? ''];
    return a.startsWith('--exec=') ? [a.slice('--exec='.length)] : [];
  });
}
