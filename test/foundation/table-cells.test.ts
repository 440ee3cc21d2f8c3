// A table is for looking things up at a glance: a cell that runs to a paragraph belongs in the prose around it. Every
// cell of every table in README.md, ARCHITECTURE.md and docs/*.md holds at most 60 words (the house rule).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const MAX_WORDS = 60;

function pages(): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', 'ARCHITECTURE.md', ...docs];
}

/** A table row's cells: split on `|` that is neither escaped nor inside a code span, the outer pipes dropped. */
function cellsOf(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i];
    if (c === '\\' && row[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (c === '`') {
      inCode = !inCode;
      cell += c;
    } else if (c === '|' && !inCode) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  const trimmed = row.trim();
  if (trimmed.startsWith('|')) cells.shift();
  if (trimmed.endsWith('|')) cells.pop();
  return cells.map((x) => x.trim());
}

/** Each table cell of a markdown text with its line number; fenced code blocks hold no tables. */
function tableCells(markdown: string): Array<{ line: number; cell: string }> {
  const found: Array<{ line: number; cell: string }> = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    if (fenced || !text.trim().startsWith('|')) return;
    for (const cell of cellsOf(text)) found.push({ line: i + 1, cell });
  });
  return found;
}

const words = (cell: string): number => cell.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

describe('markdown tables', () => {
  it('splits a row into cells, keeping pipes that are escaped or inside code', () => {
    expect(cellsOf('| a b | `x | y` | c \\| d |')).toEqual(['a b', '`x | y`', 'c | d']);
    const sample = '| h |\n|---|\n| one two three |\n```\n| not a table |\n```';
    expect(tableCells(sample).map((c) => c.cell)).toEqual(['h', '---', 'one two three']);
    expect(words('one — two `three` 4 ms')).toBe(5);
  });

  it(`holds no cell over ${MAX_WORDS} words in README.md, ARCHITECTURE.md or docs/*.md`, () => {
    const long = pages().flatMap((page) =>
      tableCells(readFileSync(path.join(root, page), 'utf8'))
        .filter(({ cell }) => words(cell) > MAX_WORDS)
        .map(({ line, cell }) => `${page}:${line}: ${words(cell)} words`),
    );
    expect(pages().length).toBeGreaterThan(3);
    expect(long).toEqual([]);
  });
});
