// test/ mirrors src/: a module's tests are in the test folder named after its src folder, so they are found where the
// code is; in the folders found by name (BY_NAME), in the file named after the module too. Only the project-wide rules (foundation), the end-to-end runs (e2e), shared helpers, the fixtures (other
// parties' API descriptions the stand-ins are judged by) and the benches' own helpers (bench/) stand apart.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';

const UNMIRRORED = ['foundation', 'e2e', 'helpers', 'fixtures', 'bench'];

const folders = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

/** Test files anywhere under `dir`: a folder holding only helpers or fixtures is no test folder. */
const hasTests = (dir: string): boolean =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.test.ts'));

/** What breaks the mirror, one line each, with the fix. */
function layoutProblems(src: readonly string[], tested: readonly string[], test: readonly string[]): string[] {
  return [
    ...src
      .filter((f) => !tested.includes(f))
      .map((f) => `src/${f} has no tests in test/${f}/: move the tests that cover it there, or write one`),
    ...test
      .filter((f) => !UNMIRRORED.includes(f) && !src.includes(f))
      .map((f) => `test/${f} has no src/${f}: move its tests to the folder of the code they cover`),
  ];
}

describe('test/ mirrors src/', () => {
  it('every src folder has a test folder with tests, and every test folder but the project-wide ones a src folder', () => {
    const test = folders(path.join(ROOT, 'test'));
    const tested = test.filter((f) => hasTests(path.join(ROOT, 'test', f)));
    expect(layoutProblems(folders(path.join(ROOT, 'src')), tested, test)).toEqual([]);
  });

  it('names a src folder without tests and a test folder without code', () => {
    expect(layoutProblems(['cache', 'tasks'], ['cache', 'client'], ['cache', 'client', 'e2e', 'helpers'])).toEqual([
      'src/tasks has no tests in test/tasks/: move the tests that cover it there, or write one',
      'test/client has no src/client: move its tests to the folder of the code they cover',
    ]);
  });
});

/** The folders whose tests are found by name: a module's tests are in test/<its folder>/<its name>.test.ts. */
const BY_NAME = ['hooks/events', 'hooks/hosts', 'cache', 'context'];

const modulesOf = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => f.slice(0, -'.ts'.length))
    : [];
const testsOf = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => f.slice(0, -'.test.ts'.length))
    : [];

/** Test files named after no module of their folder, and tests of such a module kept in its parent folder. */
function namingProblems(
  folder: string,
  modules: readonly string[],
  tests: readonly string[],
  parentTests: readonly string[],
): string[] {
  return [
    ...tests
      .filter((t) => !modules.includes(t))
      .map(
        (t) =>
          `test/${folder}/${t}.test.ts is named after no module of src/${folder}: split it into the tests of the modules it covers`,
      ),
    ...parentTests
      .filter((t) => modules.includes(t))
      .map(
        (t) =>
          `test/${path.dirname(folder) === '.' ? '' : `${path.dirname(folder)}/`}${t}.test.ts tests src/${folder}/${t}.ts: move it to test/${folder}/`,
      ),
  ];
}

describe('a module of the folders found by name has its tests in a file named after it', () => {
  it.each(BY_NAME)('src/%s', (folder) => {
    const parent = path.dirname(folder);
    const parentTests = parent === '.' ? [] : testsOf(path.join(ROOT, 'test', parent));
    const problems = namingProblems(
      folder,
      modulesOf(path.join(ROOT, 'src', folder)),
      testsOf(path.join(ROOT, 'test', folder)),
      parentTests,
    );
    expect(problems).toEqual([]);
  });

  it('names a test file after no module, and a module tested in the parent folder', () => {
    expect(
      namingProblems('hooks/events', ['define', 'session-start'], ['define', 'store'], ['session-start', 'guards']),
    ).toEqual([
      'test/hooks/events/store.test.ts is named after no module of src/hooks/events: split it into the tests of the modules it covers',
      'test/hooks/session-start.test.ts tests src/hooks/events/session-start.ts: move it to test/hooks/events/',
    ]);
  });
});
