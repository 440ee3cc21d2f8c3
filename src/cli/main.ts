import { ensureHome } from '../home/dir.js';
import { takeNotices } from '../home/notices.js';
import { loadSettings } from '../config/settings.js';
import { createFileLogger, type Logger } from '../log/index.js';
import { UserError } from '../errors/user.js';
import type { CliContext, Command } from './command.js';
import { COMMANDS } from './registry.js';
import { paint, type Out } from './output.js';
import { packageVersion } from '../util/package.js';

function help(out: Out): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `${paint(out, 'bold', 'taskhooks')} ${packageVersion()} — pending tasks and git state in every Claude Code session`,
    '',
    'Usage: taskhooks <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options: --help (also after a command), --version, --json on every listing command.',
    'Docs: README.md; logs in $TASKHOOKS_HOME/logs (default ~/.taskhooks/logs).',
    '',
  ].join('\n');
}

/** The command whose words are the longest prefix of argv. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out: Out = {
    stdout: process.stdout,
    stderr: process.stderr,
    color: Boolean(process.stdout.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb',
  };
  if (argv[0] === '--version' || argv[0] === '-v') {
    out.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out.stdout.write(help(out));
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const prefix = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `)).map((c) => c.name);
    const hint = prefix.length ? `; did you mean: ${prefix.join(', ')}` : '; run `taskhooks --help` for the list';
    out.stderr.write(`taskhooks: unknown command "${argv.join(' ')}"${hint}\n`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    out.stdout.write(`${command.summary}\n\nUsage: ${command.usage ?? `taskhooks ${command.name}`}\n`);
    return 0;
  }
  const cwd = process.cwd();
  const loaded = await loadSettings({ cwd, env });
  const { settings } = loaded;
  ensureHome(settings.home);
  let logger: Logger | undefined;
  const ctx: CliContext = {
    args: rest,
    cwd,
    env,
    out,
    settings,
    loaded,
    log: () => {
      logger ??= createFileLogger({ home: settings.home, file: 'cli.log', sync: true, level: settings.logLevel, name: 'cli' }).logger;
      return logger;
    },
  };
  try {
    if (!command.allowInvalidConfig) {
      const { problems } = loaded.loaded;
      if (problems.length > 0) {
        for (const p of problems) out.stderr.write(`${p.message}\n`);
        out.stderr.write(`taskhooks: fix the configuration above, then run the command again (\`taskhooks config\` shows the effective values)\n`);
        return 2;
      }
    }
    return await command.run(ctx);
  } catch (err) {
    if (err instanceof UserError) {
      out.stderr.write(`taskhooks: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    try {
      ctx.log().error({ err, command: command.name }, 'command failed');
    } catch {
      // the log itself may be what is broken; the message below still reaches the person
    }
    out.stderr.write(`taskhooks ${command.name}: ${message}\n`);
    return 1;
  } finally {
    // What a process of this home did on its own and a person must hear (a task store restored from a backup).
    for (const notice of takeNotices(settings.home, 'cli')) out.stderr.write(`${paint(out, 'yellow', 'taskhooks:')} ${notice}\n`);
  }
}
