// The entry files in dist/hooks/ run their bundle with V8's cached code: a copy of a real entry file, with a bundle of
// the test's own, shows what the bundle sees, when the cache is written, and that a bad cache never changes an answer.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundlePaths } from '../../src/hooks/code-cache.js';
import { ROOT } from '../helpers/hooks.js';

// What a real bundle relies on: its own file name, a lazy file beside the entry, and `import.meta.url` (the banner).
const BUNDLE = `const __thImportMetaUrl = require('node:url').pathToFileURL(__filename).href;
const lazy = require('./lazy/part.js');
let input = '';
process.stdin.on('data', (c) => (input += c)).on('end', () => {
  process.stdout.write(JSON.stringify({ filename: __filename, url: __thImportMetaUrl, lazy, main: require.main === module, input }));
});
`;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** dist/hooks/pre-tool-use.js as built, beside a bundle of this test's own. */
function install(): { entry: string; cache: string; code: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-code-cache-'));
  dirs.push(dir);
  const entry = path.join(dir, 'hooks', 'pre-tool-use.js');
  mkdirSync(path.join(dir, 'hooks', 'code'), { recursive: true });
  mkdirSync(path.join(dir, 'hooks', 'lazy'));
  copyFileSync(path.join(ROOT, 'dist/hooks/pre-tool-use.js'), entry);
  const { source, cache } = bundlePaths(entry, 'pre-tool-use');
  writeFileSync(source, BUNDLE);
  writeFileSync(path.join(dir, 'hooks', 'lazy', 'part.js'), "module.exports = 'lazy part';\n");
  return { entry, cache, code: path.dirname(source) };
}

function run(entry: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [entry], { input: '{"tool_name":"Edit"}', encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const expected = (entry: string) => ({ filename: entry, url: `file://${entry}`, lazy: 'lazy part', main: true, input: '{"tool_name":"Edit"}' });

describe('hook entry files run their bundle with cached code', () => {
  it('run the bundle as themselves, write the cache once, and use it after', () => {
    const { entry, cache, code } = install();
    const first = run(entry);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toEqual(expected(entry));
    const written = statSync(cache);
    expect(written.size).toBeGreaterThan(0);

    const second = run(entry);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(second.stdout)).toEqual(expected(entry));
    // V8 took the cache: nothing was written again, and no staged copy is left.
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs);
    expect(readdirSync(code).sort()).toEqual(['pre-tool-use.js', path.basename(cache)].sort());
  });

  it('a cache V8 refuses (garbage, or made for another bundle) changes no answer and is written anew', () => {
    const { entry, cache } = install();
    writeFileSync(cache, 'not compiled code at all');
    const r = run(entry);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual(expected(entry));
    expect(statSync(cache).size).toBeGreaterThan('not compiled code at all'.length);
  });

  it('a cache that cannot be read is said on stderr, and the hook answers all the same', () => {
    const { entry, cache } = install();
    mkdirSync(cache);
    const r = run(entry);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected(entry));
    expect(r.stderr).toContain(`taskhooks: could not read the compiled-code cache ${cache} (`);
    expect(r.stderr).toContain('the hook compiles its code each run instead. Delete the file to start over.');
  });
});
