// One name, one thing: a file name used for three or more different things sends a newcomer to the wrong file. The
// per-folder names of a convention (each source's `definition.ts`, `adapter.ts`, `source.ts`, `schema.ts`, a folder's
// `index.ts` and `types.ts`) are one thing each, and a command named after the module it runs is that module.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const CONVENTION = ['index', 'source', 'definition', 'adapter', 'schema', 'types'];

/** Today's names used for three or more things, each to be renamed until it is off this list; none may join it. */
const SHARED_NAMES_TODAY = ['projects', 'store', 'tasks'];

/** Every TypeScript file of src/ and hooks/, and the installer's alias. */
function sources(): string[] {
  const files = ts.sys.readDirectory(path.join(root, 'src'), ['.ts'], undefined, ['**/*.ts']);
  return [...files, ...ts.sys.readDirectory(path.join(root, 'hooks'), ['.ts']), path.join(root, 'install.ts')].map(
    (f) => path.relative(root, f),
  );
}

const nameOf = (file: string): string => path.basename(file, '.ts');

/** The module names a file imports: each specifier's file name and the folders it passes through. */
function importedNames(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest);
  const names = new Set<string>();
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    for (const part of s.moduleSpecifier.text.split('/')) names.add(part.replace(/\.js$/, ''));
  }
  return names;
}

/** A command (src/cli/commands, or the entry at the root) named after the module it runs: that module, not a thing of its own. */
function namesItsModule(file: string, folders: ReadonlySet<string>): boolean {
  const commandLike = file.startsWith('src/cli/commands/') || !file.includes('/');
  return commandLike && (folders.has(nameOf(file)) || importedNames(file).has(nameOf(file)));
}

/** `name ×N: files` for each name, outside the convention, that three or more different things bear. */
function sharedNames(files: readonly string[], folders: ReadonlySet<string>): string[] {
  const byName = new Map<string, string[]>();
  for (const f of files) {
    if (CONVENTION.includes(nameOf(f)) || namesItsModule(f, folders)) continue;
    byName.set(nameOf(f), [...(byName.get(nameOf(f)) ?? []), f]);
  }
  return [...byName]
    .filter(([, fs]) => fs.length >= 3)
    .map(([name, fs]) => `${name} ×${fs.length}: ${fs.join(' ')}`)
    .sort();
}

describe('file names', () => {
  it('no file name is used for three or more things, but the ones listed to be renamed', () => {
    const folders = new Set(ts.sys.getDirectories(path.join(root, 'src')).map((d) => path.basename(d)));
    const shared = sharedNames(sources(), folders);
    const listed = (line: string) => SHARED_NAMES_TODAY.some((n) => line.startsWith(`${n} ×`));
    expect(
      shared.filter((line) => !listed(line)),
      'name each file for what it is',
    ).toEqual([]);
    expect(
      SHARED_NAMES_TODAY.filter((n) => !shared.some((line) => line.startsWith(`${n} ×`))),
      'used for fewer than three things now: take it off SHARED_NAMES_TODAY',
    ).toEqual([]);
  });
});
