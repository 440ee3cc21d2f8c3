// `npm run docs:commands`: writes the CLI reference's generated tables between their markers in docs/cli.md: the
// command table from the commands' own specs (the same source as their --help), the exit codes from
// src/cli/failure.ts. `--check` writes nothing and fails when a table is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSource } from './import-source.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const m = await importSource(
  root,
  "export { loadCommands } from './src/cli/registry.ts'; export { commandTable, TABLE_START, TABLE_END } from './src/cli/help.ts'; export { exitCodeTable, EXIT_TABLE_START, EXIT_TABLE_END } from './src/cli/failure.ts';",
  'docs',
);
const COMMANDS = await m.loadCommands();
const TABLES = [
  { name: 'command table', start: m.TABLE_START, end: m.TABLE_END, text: m.commandTable(COMMANDS) },
  { name: 'exit code table', start: m.EXIT_TABLE_START, end: m.EXIT_TABLE_END, text: m.exitCodeTable() },
];

const file = path.join(root, 'docs', 'cli.md');
const before = readFileSync(file, 'utf8');
let updated = before;
for (const t of TABLES) {
  const start = updated.indexOf(t.start);
  const end = updated.indexOf(t.end);
  if (start === -1 || end < start) {
    console.error(
      `docs/cli.md has no ${t.name} markers; put these two lines where the table belongs:\n${t.start}\n${t.end}`,
    );
    process.exit(1);
  }
  updated = `${updated.slice(0, start)}${t.start}\n${t.text}\n${updated.slice(end)}`;
}
if (process.argv.includes('--check')) {
  if (updated !== before) {
    console.error('docs/cli.md: a generated table is out of date; run `npm run docs:commands`');
    process.exit(1);
  }
} else if (updated !== before) {
  writeFileSync(file, updated);
  console.log(`docs/cli.md: tables written (${COMMANDS.length} commands)`);
} else console.log('docs/cli.md: tables already up to date');
