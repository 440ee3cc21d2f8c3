// `npm run docs:commands`: writes the CLI reference's command table from the commands' own specs (the same source as
// their --help), between the markers in docs/cli.md. `--check` writes nothing and fails when the table is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSource } from './import-source.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadCommands, commandTable, TABLE_START, TABLE_END } = await importSource(
  root,
  "export { loadCommands } from './src/cli/registry.ts'; export { commandTable, TABLE_START, TABLE_END } from './src/cli/help.ts';",
  'docs',
);
const COMMANDS = await loadCommands();

const readmeFile = path.join(root, 'docs', 'cli.md');
const readme = readFileSync(readmeFile, 'utf8');
const start = readme.indexOf(TABLE_START);
const end = readme.indexOf(TABLE_END);
if (start === -1 || end < start) {
  console.error(
    `docs/cli.md has no command table markers; put these two lines where the table belongs:\n${TABLE_START}\n${TABLE_END}`,
  );
  process.exit(1);
}
const updated = `${readme.slice(0, start)}${TABLE_START}\n${commandTable(COMMANDS)}\n${readme.slice(end)}`;
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('docs/cli.md: the command table is out of date; run `npm run docs:commands`');
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmeFile, updated);
  console.log(`docs/cli.md: command table written (${COMMANDS.length} commands)`);
} else console.log('docs/cli.md: command table already up to date');
