// The CLI reference's command table (docs/cli.md) comes from the same specs as --help (`npm run docs:commands` writes it). Every registered
// command must have its row, as the specs write it, and no row may name a command that is gone; a command added on
// another branch fails here until the table is written again.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandRow, synopsis, TABLE_END, TABLE_START } from '../../src/cli/help.js';
import { loadCommands } from '../../src/cli/registry.js';
import { root } from '../foundation/helpers.js';

const COMMANDS = await loadCommands();

function tableRows(): string[] {
  const readme = readFileSync(path.join(root, 'docs', 'cli.md'), 'utf8');
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  expect(start, 'docs/cli.md has the command table markers').toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return readme
    .slice(start + TABLE_START.length, end)
    .split('\n')
    .filter((l) => l.startsWith('| `taskhooks '));
}

describe("docs/cli.md's command table", () => {
  it('has every registered command, each row as its help source writes it (else: npm run docs:commands)', () => {
    const rows = tableRows();
    const missing = COMMANDS.filter((c) => !rows.includes(commandRow(c))).map((c) => c.name);
    expect(missing).toEqual([]);
  });

  it('names no command that does not exist', () => {
    const known = new Set(COMMANDS.map((c) => `| \`${synopsis(c)}\``));
    const stale = tableRows().filter((row) => !known.has(row.slice(0, row.indexOf('` |') + 1)));
    expect(stale).toEqual([]);
  });
});
