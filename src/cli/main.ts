import { loadTokenFormats } from '../log/redact.js';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { LoadedSettings, Settings } from '../config/settings.js';
import type { FileLogger, Logger } from '../log/index.js';
import { UserError } from '../errors/user.js';
import { failureOf, reportFailure, wantsJson } from './failure.js';
import type { CliContext, Command, CommandInput, FlagSpecs } from './command.js';
import { COMMANDS, GROUPS, type CommandEntry } from './registry.js';
import { closest, parseCommandArgs, quoted, UsageError } from './args.js';
import { commandHelp, groupHelp, groupOf, groupsOf, topHelp, type Group } from './help.js';
import { maskedOut, paint, type Out } from './output.js';
import { endWithoutClosing } from './process-end.js';
import { commandStdout, streamWhenUsed } from './streams.js';
import { buildIdentity, describeBuild, packageVersion } from '../util/package.js';
import { readerNow } from '../util/shown.js';

/** The command whose words are the longest prefix of argv. */
function findCommand(argv: string[]): { command: CommandEntry; rest: string[] } | undefined {
  let best: { command: CommandEntry; rest: string[] } | undefined;
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

const isHelpFlag = (a: string | undefined): boolean => a === '--help' || a === '-h';

/** Whether the arguments ask for help: a help flag before any `--`. */
function asksHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some(isHelpFlag);
}

/** What `taskhooks help …`, a bare group name or `<group> --help` asks for, if it is help at all. */
function helpTopic(argv: string[], groups: Group[]): { command: CommandEntry } | { group: Group } | 'top' | undefined {
  const words = argv[0] === 'help' ? argv.slice(1).filter((a) => !isHelpFlag(a)) : argv;
  if (argv[0] === 'help' && words.length === 0) return 'top';
  if (argv[0] === 'help') {
    const found = findCommand(words);
    if (found) return { command: found.command };
  }
  const group = groups.find((g) => g.name === words[0]);
  if (group && (words.length === 1 || (argv[0] !== 'help' && isHelpFlag(words[1])))) return { group };
  return undefined;
}

/** One line for words that name no command: the nearest command, or the group's commands. */
function unknownCommand(argv: string[], groups: Group[]): string {
  const args = argv[0] === 'help' ? argv.slice(1) : argv;
  const end = args.findIndex((a) => a.startsWith('-'));
  const words = end === -1 ? args : args.slice(0, end);
  if (words.length === 0) return `taskhooks: unknown flag ${quoted(args[0] ?? '')} (see taskhooks --help)`;
  const typed = quoted(words.join(' '));
  const group = groups.find((g) => g.name === words[0]);
  if (group) {
    const members = COMMANDS.filter((c) => groupOf(c) === group.name).map((c) => c.name.slice(group.name.length + 1));
    if (words.length === 1)
      return `taskhooks ${group.name}: name one of its commands: ${members.join(', ')} (see taskhooks ${group.name} --help)`;
    const near = closest(words[1] ?? '', members);
    const hint = near ? `did you mean "${group.name} ${near}"? ` : '';
    return `taskhooks: unknown command ${typed}; ${hint}${group.name} has ${members.join(', ')} (see taskhooks ${group.name} --help)`;
  }
  const near = closest(words[0] ?? '', [
    ...COMMANDS.filter((c) => !groupOf(c)).map((c) => c.name),
    ...groups.map((g) => g.name),
  ]);
  return `taskhooks: unknown command ${typed}; ${near ? `did you mean "${near}"? ` : ''}see taskhooks --help`;
}

const usageLine = (command: Command, err: UsageError): string =>
  `taskhooks ${command.name}: ${err.message} (see taskhooks ${command.name} --help)\n`;

/** What a command runs in: this process's own unless given (the tests run commands in their own process). */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  /** Whether stdout is a terminal: colour only then. */
  isTTY: boolean;
}

/** `given` filled from this process once, so nothing below reads process.* for them. */
function cliIo(given: Partial<CliIo>): CliIo {
  const own = given.stdout ? { stdout: given.stdout, isTTY: false } : commandStdout();
  return {
    env: given.env ?? process.env,
    cwd: given.cwd ?? process.cwd(),
    stdout: own.stdout,
    stderr: given.stderr ?? streamWhenUsed('stderr'),
    isTTY: given.isTTY ?? own.isTTY,
  };
}

export async function main(argv: string[], given: Partial<CliIo> = {}): Promise<number> {
  const io = cliIo(given);
  const { env } = io;
  const out = maskedOut(io.stdout, io.stderr, io.isTTY && !env.NO_COLOR && env.TERM !== 'dumb');
  if (argv[0] === '--version' || argv[0] === '-v') {
    // The version first, as scripts read it; then which build of it, which tells two copies of one version apart.
    out.stdout.write(`${describeBuild(buildIdentity())}\n`);
    return 0;
  }
  const groups = groupsOf(COMMANDS, GROUPS);
  // Help is taskhooks' own text, printed as written: masked, its "Bearer tokens" would read as a credential.
  const help = io.stdout;
  // Help names paths as this run's environment has them (an in-process run's differs from the process's own).
  const reader = { ...readerNow(), env };
  if (argv.length === 0 || (isHelpFlag(argv[0]) && argv.length === 1)) {
    help.write(topHelp(out, packageVersion(), COMMANDS, groups, reader));
    return 0;
  }
  const topic = helpTopic(argv, groups);
  if (topic === 'top') help.write(topHelp(out, packageVersion(), COMMANDS, groups, reader));
  else if (topic && 'group' in topic) help.write(groupHelp(out, topic.group, COMMANDS, reader));
  else if (topic) help.write(commandHelp(out, await topic.command.load(), reader));
  if (topic) return 0;
  // Everything the CLI shows, logs or keeps is scrubbed of tokens of known formats too (the monitor runs here); help,
  // taskhooks' own text, is written unmasked above, so asking for it loads no rules.
  await loadTokenFormats();
  const found = argv[0] === 'help' ? undefined : findCommand(argv);
  if (!found) {
    out.stderr.write(`${unknownCommand(argv, groups)}\n`);
    return 2;
  }
  const { rest } = found;
  const command = await found.command.load();
  if (asksHelp(rest)) {
    help.write(commandHelp(out, command, reader));
    return 0;
  }
  // Wrong flags are reported before anything is loaded or created: the config need not even be valid.
  let input: CommandInput<FlagSpecs>;
  try {
    input = parseCommandArgs(command, rest);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return reportFailure(out, failureOf(err, command.name), usageLine(command, err), wantsJson(rest));
  }
  return runCommand(command, input, out, io);
}

type LogModule = typeof import('../log/index.js');
type UnwritableModule = typeof import('../home/unwritable.js');

/**
 * The CLI's log file, opened at its first line (pino loads only then, so a command with nothing to log never pays
 * for it); one that cannot be written is said in a line, and stderr logs instead. `close` lets the file go once the
 * command is done, so a process that runs many commands (the tests) holds none of their files.
 */
function lazyCliLogger(
  settings: Settings,
  out: Out,
  log: LogModule,
  unwritable: UnwritableModule,
): { log: () => Logger; close: () => void } {
  let file: FileLogger | undefined;
  const logger = log.deferLogger(settings.logLevel, () => {
    try {
      file = log.createFileLogger({
        home: settings.home,
        file: 'cli.log',
        sync: true,
        level: settings.logLevel,
        name: 'cli',
        limits: settings.logLimits,
      });
      return file.logger;
    } catch (err) {
      out.stderr.write(`${unwritable.logFallbackLine(path.join(log.logDir(settings.home), 'cli.log'), err)}\n`);
      return log.createStderrLogger({ level: settings.logLevel, name: 'cli' });
    }
  });
  return { log: () => logger, close: () => file?.close() };
}

/** A command that failed: one line saying what and how to fix it (and the error as JSON under --json), and the exit code. */
function failed(err: unknown, command: Command, ctx: CliContext, json: boolean, unwritable: UnwritableModule): number {
  const { out } = ctx;
  const failure = failureOf(err, command.name);
  if (err instanceof UsageError) return reportFailure(out, failure, usageLine(command, err), json);
  if (err instanceof UserError) return reportFailure(out, failure, `taskhooks: ${err.message}`, json);
  const stateDir = unwritable.stateDirLine(err, ctx.settings.home);
  if (stateDir !== undefined) return reportFailure(out, { ...failure, message: stateDir }, stateDir, json);
  try {
    ctx.log().error({ err, command: command.name }, 'command failed');
  } catch {
    // the log itself may be what is broken; the message below still reaches the person
  }
  return reportFailure(out, failure, `taskhooks ${command.name}: ${failure.message}`, json);
}

/** Runs a command whose arguments were checked: its settings, state directory and log load only now. */
async function runCommand(
  command: Command,
  input: CommandInput<FlagSpecs>,
  out: Out,
  { env, cwd }: CliIo,
): Promise<number> {
  const [{ loadSettings }, { ensureHome }, { takeNotices }, log, unwritable] = await Promise.all([
    import('../config/settings.js'),
    import('../home/dir.js'),
    import('../home/notices.js'),
    import('../log/index.js'),
    import('../home/unwritable.js'),
  ]);
  const loaded: LoadedSettings = await loadSettings({ cwd, env });
  const { settings } = loaded;
  // Every command that takes --json takes it as a boolean: its failure is then JSON too.
  const json = (input.values as { json?: unknown }).json === true;
  const cliLog = lazyCliLogger(settings, out, log, unwritable);
  const ctx: CliContext = {
    cwd,
    env,
    out,
    settings,
    loaded,
    log: cliLog.log,
    endWithoutClosing,
  };
  try {
    ensureHome(settings.home);
    if (!command.allowInvalidConfig) {
      const { problems } = loaded.loaded;
      if (problems.length > 0) {
        for (const p of problems) out.stderr.write(`${p.message}\n`);
        const message = problems.map((p) => p.message).join('\n');
        const fix =
          'fix the configuration above, then run the command again (`taskhooks config` shows the effective values)';
        return reportFailure(out, { kind: 'config', message, fix }, `taskhooks: ${fix}`, json);
      }
    }
    return await command.run(ctx, input);
  } catch (err) {
    return failed(err, command, ctx, json, unwritable);
  } finally {
    // What a process of this home did on its own and a person must hear (a task store restored from a backup).
    for (const notice of takeNotices(settings.home, 'cli'))
      out.stderr.write(`${paint(out, 'yellow', 'taskhooks:')} ${notice}\n`);
    cliLog.close();
  }
}
