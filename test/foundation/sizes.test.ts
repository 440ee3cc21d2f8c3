// The house's size rules, measured from the code itself: no source file over 400 lines, no function over 60 (a long
// function is a list of steps that wants names); no module imports over 20 modules, a CLI command module at most 12
// (it parses flags and prints; the work is its layer's); no module but a folder's index depends on over 15 project
// modules (distinct files of the project it imports statically); src/hooks holds at most 12 files at its top (the
// rest in its folders by concern), and no folder of src/ more than 25 at its top (past that a reader cannot scan it).
// Functions and imports are counted with the TypeScript compiler's own parse, functions from the first line of the
// declaration to its end. `npx vitest run test/foundation/sizes.test.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 60;

/** A command module with more import statements holds logic that belongs in a layer below the CLI. */
const MAX_COMMAND_IMPORTS = 12;

/** A module with more import statements pulls in everything: a newcomer cannot tell what it is for. */
const MAX_IMPORTS = 20;

/**
 * A module that reaches more of the project than this does several jobs: split it by stage, or let a folder's index
 * (its public surface) carry the parts it takes from one folder. An index itself is exempt: carrying is its job.
 */
const MAX_PROJECT_MODULES = 15;

/** The files at the top of src/hooks, shared by its parts: past this many a reader cannot tell which concern is where. */
const MAX_HOOKS_TOP_FILES = 12;

/** The files at the top of any folder of src/: past this many, group them into folders by what they do. */
const MAX_TOP_FILES = 25;

/** Every TypeScript file of src/ and hooks/, and the installer's alias, as git would list them. */
function sources(): string[] {
  const files = ts.sys.readDirectory(path.join(root, 'src'), ['.ts'], undefined, ['**/*.ts']);
  return [...files, ...ts.sys.readDirectory(path.join(root, 'hooks'), ['.ts']), path.join(root, 'install.ts')];
}

/** `dir` and every folder below it. */
function folders(dir: string): string[] {
  const below = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return [dir, ...below.flatMap((e) => folders(path.join(dir, e.name)))];
}

function nameOf(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name) return named.name.getText();
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
  )
    return parent.name.getText();
  return '(anonymous)';
}

/** `file:line name (N lines)` for each function, method or arrow longer than MAX_FUNCTION_LINES. */
function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > MAX_FUNCTION_LINES)
        found.push(`${path.relative(root, file)}:${first + 1} ${nameOf(node)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The import statements of `file` (`import type` included; `export … from` and `import()` not). */
function importCount(file: string): number {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  return source.statements.filter(ts.isImportDeclaration).length;
}

/**
 * The project files `file` depends on when it loads, counted once each: every `import`, `import type` and
 * `export … from` with a relative specifier, resolved against the file. `import()` is not counted: a lazy load is kept
 * out of a module's start on purpose, and turning a static import into one only to pass this rule would hide it.
 */
function projectModules(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const named = source.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
    s.moduleSpecifier !== undefined &&
    ts.isStringLiteral(s.moduleSpecifier) &&
    s.moduleSpecifier.text.startsWith('.')
      ? [path.resolve(path.dirname(file), s.moduleSpecifier.text)]
      : [],
  );
  return new Set(named);
}

describe('sizes', () => {
  it(`no source file is over ${MAX_FILE_LINES} lines`, () => {
    const long = sources()
      .map((f) => ({ f, lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ f, lines }) => `${path.relative(root, f)} (${lines} lines)`);
    expect(long).toEqual([]);
  });

  it(`no function is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(sources().flatMap((f) => longFunctions(f))).toEqual([]);
  });

  it(`no module has over ${MAX_IMPORTS} import statements`, () => {
    const heavy = sources()
      .map((f) => ({ name: path.relative(root, f), imports: importCount(f) }))
      .filter((m) => m.imports > MAX_IMPORTS)
      .map((m) => `${m.name} (${m.imports} imports)`);
    expect(heavy, 'split the module: each part imports what it uses').toEqual([]);
  });

  it(`no module but a folder's index depends on over ${MAX_PROJECT_MODULES} project modules`, () => {
    const heavy = sources()
      .filter((f) => path.basename(f) !== 'index.ts')
      .map((f) => ({ name: path.relative(root, f), modules: projectModules(f).size }))
      .filter((m) => m.modules > MAX_PROJECT_MODULES)
      .map((m) => `${m.name} (${m.modules} project modules)`);
    expect(heavy, "split the module by stage, or import a folder's parts through its index.ts").toEqual([]);
  });

  it(`every module of src/cli/commands has at most ${MAX_COMMAND_IMPORTS} import statements`, () => {
    const dir = path.join(root, 'src/cli/commands');
    const heavy = ts.sys
      .readDirectory(dir, ['.ts'])
      .map((f) => ({ name: path.relative(dir, f), imports: importCount(f) }))
      .filter((c) => c.imports > MAX_COMMAND_IMPORTS);
    expect(
      heavy.map((c) => `${c.name} (${c.imports} imports)`),
      'move the logic into its layer (src/monitor, src/server, src/home, …): the command parses flags and prints',
    ).toEqual([]);
  });

  it(`no folder of src/ holds over ${MAX_TOP_FILES} files at its top`, () => {
    const crowded = folders(path.join(root, 'src'))
      .map((dir) => ({ dir, files: readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).length }))
      .filter((f) => f.files > MAX_TOP_FILES)
      .map((f) => `${path.relative(root, f.dir)} (${f.files} files)`);
    expect(crowded, 'group its files into folders by what they do, with names that tell them apart').toEqual([]);
  });

  it(`src/hooks holds at most ${MAX_HOOKS_TOP_FILES} files at its top`, () => {
    const top = readdirSync(path.join(root, 'src/hooks'), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
    expect(top.length, `group them into a folder of src/hooks by concern: ${top.join(', ')}`).toBeLessThanOrEqual(
      MAX_HOOKS_TOP_FILES,
    );
  });
});
