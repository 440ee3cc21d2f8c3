// `node dist/install.js` is `taskhooks install`: the same code, for people who run the installer directly.
import { main } from './src/cli/main.js';

main(['install', ...process.argv.slice(2)]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`taskhooks install: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
