// ARCHITECTURE.md's layer table is the house as it stands: a row for every folder of src/, in the order
// .dependency-cruiser.cjs layers them, every part of src/hooks named in its row, and every src/ path it names there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const doc = readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
const rulesText = readFileSync(path.join(root, '.dependency-cruiser.cjs'), 'utf8');

/** The folders of one `const NAME = [ ['a|b', 'what'], … ]` list of the layering rules, a group per entry. */
function ruleGroups(name: string): string[][] {
  const list = new RegExp(`const ${name} = \\[([\\s\\S]*?)\\n\\];`).exec(rulesText)?.[1] ?? '';
  return [...list.matchAll(/\['([a-z|]+)',/g)].map((m) => (m[1] ?? '').split('|').sort());
}

interface Row {
  layer: string;
  folder: string;
  concern: string;
}

/** The rows of the table under "## Layers" that name a src/ folder. */
function tableRows(): Row[] {
  const section = doc.split('\n## Layers')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^\| ([^|]+) \| `src\/([a-z]+)` \| (.*) \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ layer: m[1] ?? '', folder: m[2] ?? '', concern: m[3] ?? '' }));
}

/** The table's folders grouped by their layer number, top first. */
function tableGroups(rows: readonly Row[]): string[][] {
  const groups: string[][] = [];
  let last = '';
  for (const row of rows) {
    if (row.layer !== last) groups.push([]);
    groups.at(-1)?.push(row.folder);
    last = row.layer;
  }
  return groups.map((g) => g.sort());
}

const folders = (dir: string): string[] =>
  readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

describe('ARCHITECTURE.md', () => {
  it('has a row for every folder of src/ and no other', () => {
    expect(
      tableRows()
        .map((r) => r.folder)
        .sort(),
    ).toEqual(folders('src'));
  });

  it('numbers the rows in the layering rules’ order, one number per layer', () => {
    const rows = tableRows();
    expect(rows.map((r) => Number(r.layer))).toEqual(rows.map((r) => Number(r.layer)).sort((a, b) => a - b));
    expect(tableGroups(rows)).toEqual(ruleGroups('LAYERS'));
  });

  it('names each part of src/hooks in its row, as the layering rules order them', () => {
    const hooks = tableRows().find((r) => r.folder === 'hooks')?.concern ?? '';
    const parts = ruleGroups('HOOK_PARTS').flat();
    expect(parts.sort()).toEqual(folders('src/hooks'));
    for (const part of parts) expect(hooks, `src/hooks/${part}/ is not named`).toContain(`**\`${part}/\`**`);
  });

  it('names only src/ paths that exist', () => {
    const named = [...doc.matchAll(/`(src\/[^`<>* ]+?)[`:( ]/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((p) => !existsSync(path.join(root, p)))).toEqual([]);
  });
});
