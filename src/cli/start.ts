import { main } from './main.js';
import { maskedText } from './output.js';
import { endCommand } from './process-end.js';
import { failIfUnsettled } from './unsettled.js';

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
