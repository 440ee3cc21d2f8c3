// The entry files in dist/hooks/ run their bundle with V8's cached code: a copy of a real entry file, with a bundle of
// the test's own, shows what the bundle sees, when the cache is written, and that a bad cache never changes an answer.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundlePaths } from '../../../src/hooks/hosts/code-cache.js';
import { ROOT } from '../../helpers/hooks.js';

// What a real bundle relies on: its own file name, a lazy file beside the entry, and `import.meta.url` (the banner).
// Like runCommandHook and the status line, it marks the code worth caching only when its input asks for the real work.
const BUNDLE = `const __thImportMetaUrl = require('node:url').pathToFileURL(__filename).href;
const lazy = require('./lazy/part.js');
let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', () => {
  if (JSON.parse(input).work) globalThis[Symbol.for('taskhooks.code-cache.worth-caching')] = true;
  process.stdout.write(JSON.stringify({ filename: __filename, url: __thImportMetaUrl, lazy, main: require.main === module, input }));
});
`;
const WORK = '{"tool_name":"Edit","work":true}';
const EARLY_EXIT = '{"tool_name":"Bash"}';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** dist/hooks/pre-tool-use.js as built, beside a bundle of this test's own. */
function install(): { entry: string; code: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-code-cache-'));
  dirs.push(dir);
  const entry = path.join(dir, 'hooks', 'pre-tool-use.js');
  mkdirSync(path.join(dir, 'hooks', 'code'), { recursive: true });
  mkdirSync(path.join(dir, 'hooks', 'lazy'));
  copyFileSync(path.join(ROOT, 'dist/hooks/pre-tool-use.js'), entry);
  const { source } = bundlePaths(entry, 'pre-tool-use', 'any');
  writeFileSync(source, BUNDLE);
  writeFileSync(path.join(dir, 'hooks', 'lazy', 'part.js'), "module.exports = 'lazy part';\n");
  return { entry, code: path.dirname(source) };
}

function run(
  entry: string,
  input = WORK,
  args: string[] = [],
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [entry, ...args], { input, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The caches in the bundle's folder: the entry's build id is in the name, so the test finds it there. */
const codeCaches = (code: string): string[] => readdirSync(code).filter((f) => f.endsWith('.cache'));

/** Where the entry file keeps its cache, learnt from a run that wrote it (the name holds the entry's build id). */
function codeCacheOf(entry: string, code: string): string {
  run(entry);
  const [codeCache] = codeCaches(code);
  if (codeCache === undefined) throw new Error('the first run wrote no cache');
  rmSync(path.join(code, codeCache));
  return path.join(code, codeCache);
}

const expected = (entry: string, input = WORK) => ({
  filename: entry,
  url: `file://${entry}`,
  lazy: 'lazy part',
  main: true,
  input,
});

describe('hook entry files run their bundle with cached code', () => {
  it('run the bundle as themselves, write the cache once, and use it after', () => {
    const { entry, code } = install();
    const first = run(entry);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual(expected(entry));
    // One cache, named after the bundle, the build, this Node and this CPU.
    expect(codeCaches(code)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^pre-tool-use\\.[0-9a-z]+(?:-[0-9a-z]+)?\\.${process.version.replaceAll('.', '\\.')}-${process.arch}\\.cache$`,
        ),
      ),
    ]);
    const codeCache = path.join(code, codeCaches(code)[0] ?? '');
    const written = statSync(codeCache);
    expect(written.size).toBeGreaterThan(0);

    const second = run(entry);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(second.stdout)).toEqual(expected(entry));
    // V8 took the cache: nothing was written again, and no staged copy is left.
    expect(statSync(codeCache).mtimeMs).toBe(written.mtimeMs);
    expect(readdirSync(code).sort()).toEqual(['pre-tool-use.js', path.basename(codeCache)].sort());
  });

  it('a run that exits before the real work writes no cache: the next run that does the work writes it', () => {
    const { entry, code } = install();
    const early = run(entry, EARLY_EXIT);
    expect(early).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(early.stdout)).toEqual(expected(entry, EARLY_EXIT));
    expect(codeCaches(code)).toEqual([]);
    expect(run(entry)).toMatchObject({ code: 0, stderr: '' });
    expect(codeCaches(code)).toHaveLength(1);
  });

  it('a cache V8 refuses (garbage, or made for another V8) changes no answer and is written anew by a working run only', () => {
    const { entry, code } = install();
    const codeCache = codeCacheOf(entry, code);
    writeFileSync(codeCache, 'not compiled code at all');
    const early = run(entry, EARLY_EXIT);
    expect(early).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(early.stdout)).toEqual(expected(entry, EARLY_EXIT));
    expect(statSync(codeCache).size).toBe('not compiled code at all'.length);
    const r = run(entry);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual(expected(entry));
    expect(statSync(codeCache).size).toBeGreaterThan('not compiled code at all'.length);
  });

  it('a cache is named after its build: another build never reads it', () => {
    const { entry } = install();
    expect(bundlePaths(entry, 'pre-tool-use', 'build-a').codeCache).not.toBe(
      bundlePaths(entry, 'pre-tool-use', 'build-b').codeCache,
    );
    expect(bundlePaths(entry, 'pre-tool-use', 'build-a').source).toBe(
      bundlePaths(entry, 'pre-tool-use', 'build-b').source,
    );
  });

  it('asked to ask the monitor first without the file that asks, says so on stderr and runs its bundle', () => {
    const { entry } = install();
    const r = run(entry, WORK, ['--ask-monitor']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected(entry));
    const lazy = path.join(path.dirname(entry), 'lazy', 'ask-monitor.js');
    expect(r.stderr.startsWith(`taskhooks: cannot load ${lazy} (`)).toBe(true);
    expect(r.stderr.endsWith('); the hook answers itself.\n')).toBe(true);
  });

  it('a cache that cannot be read is said on stderr, and the hook answers all the same', () => {
    const { entry, code } = install();
    const codeCache = codeCacheOf(entry, code);
    mkdirSync(codeCache);
    const r = run(entry);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected(entry));
    expect(r.stderr).toContain(`taskhooks: could not read the compiled-code cache ${codeCache} (`);
    expect(r.stderr).toContain('the hook compiles its code each run instead. Delete the file to start over.');
  });
});
