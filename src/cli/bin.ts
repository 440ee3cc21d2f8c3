#!/usr/bin/env node
import { main } from './main.js';
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
failIfUnsettled(main(words), process, `taskhooks ${named.join(' ')}`.trim()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`taskhooks: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
