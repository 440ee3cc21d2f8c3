// `taskhooks statusline`: the status line Claude Code shows, by hand. Settings point Claude Code at the lighter
// dist/hooks/status-line.js (the CLI takes several times longer to start); both run the same code.
import { readHookStdin, type HookStdin } from '../../hooks/hosts/stdin.js';
import { statusLine } from '../../statusline/index.js';
import { defineCommand } from '../args.js';
import type { Command } from '../command.js';

export const statuslineCommands: Command[] = [
  defineCommand({
    name: 'statusline',
    summary: 'Print the status line Claude Code shows: the task in progress, pending count, freshness',
    description:
      "Reads Claude Code's status-line JSON on stdin and prints one row from the cache, within COLUMNS; never touches the network.\n" +
      "At a terminal (nothing piped in) it shows the working directory's row. `taskhooks install --statusline` sets it up.",
    flags: {},
    examples: [
      { command: 'taskhooks statusline', description: "this directory's row" },
      {
        command: `echo '{"cwd":"/path/to/shop"}' | COLUMNS=60 taskhooks statusline`,
        description: 'what Claude Code would show for a project in 60 columns',
      },
    ],
    // A broken config still gets a line (with defaults), as in Claude Code.
    allowInvalidConfig: true,
    async run(ctx) {
      // At a terminal nobody pipes Claude Code's JSON in: show the working directory's line instead of waiting for input.
      const stdin: HookStdin = process.stdin.isTTY ? { bytes: 0, value: { cwd: ctx.cwd } } : readHookStdin();
      const line = await statusLine(stdin, { env: ctx.env, cwd: ctx.cwd });
      if (line) ctx.out.stdout.write(`${line}\n`);
      return 0;
    },
  }),
];
