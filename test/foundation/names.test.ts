// One name, one thing: a file name used for three or more different things sends a newcomer to the wrong file. The
// per-folder names of a convention (each source's `definition.ts`, `adapter.ts`, `source.ts`, `schema.ts`, a folder's
// `index.ts` and `types.ts`) are one thing each, and so is a name shared only by source folders (each one's `api.ts`) or only by agent folders (each one's `config.ts`), and a command named after the module it runs is that module. So is the
// task store's PostgreSQL engine: a file of src/store/postgres/ is its src/store/ sibling of the same name, the
// same concern on the other engine (both answer the one TaskStore), not another thing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const CONVENTION = ['index', 'source', 'definition', 'adapter', 'schema', 'types'];

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

const SQLITE_ENGINE = 'src/store/';
const POSTGRES_ENGINE = 'src/store/postgres/';

/** A folder of one source, or of one agent: its files are that source's (that agent's) part of a name. */
const ONE_OF_MANY = /^src\/(sources|agents)\/[^/]+\//;

/**
 * The thing a file is: a PostgreSQL engine file with a SQLite sibling of its name is that sibling; a file of a source's
 * or an agent's folder is its part of the name (each source's `api.ts`, each agent's `config.ts`), one thing across
 * them; any other itself.
 */
function thingOf(file: string, files: ReadonlySet<string>): string {
  const many = ONE_OF_MANY.exec(file);
  if (many) return file.replace(ONE_OF_MANY, `src/${many[1]}/<one>/`);
  const sibling = file.startsWith(POSTGRES_ENGINE) ? SQLITE_ENGINE + file.slice(POSTGRES_ENGINE.length) : undefined;
  return sibling !== undefined && files.has(sibling) ? sibling : file;
}

/** `name ×N: files` for each name, outside the convention, that three or more different things bear. */
function sharedNames(files: readonly string[], folders: ReadonlySet<string>): string[] {
  const all = new Set(files);
  const byName = new Map<string, string[]>();
  for (const f of files) {
    if (CONVENTION.includes(nameOf(f)) || namesItsModule(f, folders)) continue;
    byName.set(nameOf(f), [...(byName.get(nameOf(f)) ?? []), f]);
  }
  return [...byName]
    .filter(([, fs]) => new Set(fs.map((f) => thingOf(f, all))).size >= 3)
    .map(([name, fs]) => `${name} ×${fs.length}: ${fs.join(' ')}`)
    .sort();
}

describe('file names', () => {
  it('no file name is used for three or more things', () => {
    const folders = new Set(ts.sys.getDirectories(path.join(root, 'src')).map((d) => path.basename(d)));
    expect(sharedNames(sources(), folders), 'name each file for what it is').toEqual([]);
  });

  it('counts an engine file as its SQLite sibling, and names a third thing all the same', () => {
    const engines = ['src/store/store.ts', 'src/store/postgres/store.ts', 'src/errors/store.ts'];
    expect(sharedNames(engines, new Set())).toEqual([]);
    expect(sharedNames([...engines, 'src/sources/embedded/store.ts'], new Set())).toEqual([
      `store ×4: ${[...engines, 'src/sources/embedded/store.ts'].join(' ')}`,
    ]);
  });

  it("counts the files of the sources' folders by name as one thing", () => {
    const parts = ['src/sources/jira/api.ts', 'src/sources/linear/api.ts', 'src/sources/gitlab/api.ts'];
    expect(sharedNames(parts, new Set())).toEqual([]);
    expect(sharedNames([...parts, 'src/mcp/api.ts', 'src/util/api.ts'], new Set())).toEqual([
      `api ×5: ${[...parts, 'src/mcp/api.ts', 'src/util/api.ts'].join(' ')}`,
    ]);
  });
});
