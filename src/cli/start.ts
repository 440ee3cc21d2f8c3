import { main } from './main.js';
import { maskedText } from './output.js';
import { endCommand } from './process-end.js';
import { failIfUnsettled } from './unsettled.js';

// A reader that stops early (`taskhooks doctor | head`) closes the pipe: what is left has no one to read it, so the
// command ends as it would have, without a stack trace. Any other failure to write stdout is said on stderr.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') return;
  process.stderr.write(`taskhooks: cannot write to standard output: ${err.message}\n`);
  process.exit(1);
});

const words = process.argv.slice(2);
const named = words.filter((w) => !w.startsWith('-')).slice(0, 2);
const command = `taskhooks ${named.join(' ')}`.trim();

// Ctrl-C ends a command with a line saying so (a silent exit reads as a hang that went away). A command that stops
// gracefully on SIGINT (the monitor in the foreground, serve, watch) has its own listener and is left to it.
process.on('SIGINT', () => {
  if (process.listenerCount('SIGINT') > 1) return;
  process.stderr.write(`${command}: stopped by Ctrl-C\n`);
  process.exit(130);
});
failIfUnsettled(main(words), process, command).then(endCommand, (err: unknown) => {
  process.stderr.write(maskedText(`taskhooks: ${err instanceof Error ? err.message : String(err)}\n`));
  endCommand(1);
});
