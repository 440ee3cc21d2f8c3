// test/ mirrors src/: a module's tests are in the test folder named after its src folder, so they are found where the
// code is. Only the project-wide rules (foundation), the end-to-end runs (e2e), shared helpers and the fixtures (other
// parties' API descriptions the stand-ins are judged by) stand apart.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';

const UNMIRRORED = ['foundation', 'e2e', 'helpers', 'fixtures'];

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
