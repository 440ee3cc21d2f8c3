// `taskhooks statusline`: the status line Claude Code shows, by hand. Settings point Claude Code at the lighter
// dist/hooks/status-line.js (the CLI takes several times longer to start); both run the same code.
import { readHookStdin, type HookStdin } from '../../hooks/stdin.js';
import { statusLine } from '../../statusline/index.js';
import { parseFlags } from '../args.js';
import type { CliContext, Command } from '../command.js';

const USAGE = "taskhooks statusline  (reads Claude Code's status-line JSON on stdin; at a terminal, shows the working directory's line)";

async function run(ctx: CliContext): Promise<number> {
  parseFlags(ctx.args, {}, USAGE);
  // At a terminal nobody pipes Claude Code's JSON in: show the working directory's line instead of waiting for input.
  const stdin: HookStdin = process.stdin.isTTY ? { bytes: 0, value: { cwd: ctx.cwd } } : readHookStdin();
  const line = await statusLine(stdin, { env: ctx.env, cwd: ctx.cwd });
  if (line) ctx.out.stdout.write(`${line}\n`);
  return 0;
}

export const statuslineCommands: Command[] = [
  {
    name: 'statusline',
    summary: 'Print the status line Claude Code shows: the task in progress, pending count, freshness',
    usage: USAGE,
    // A broken config still gets a line (with defaults), as in Claude Code.
    allowInvalidConfig: true,
    run,
  },
];
