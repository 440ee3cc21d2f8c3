// plugin/ is committed, built: Claude Code copies it from the repository's git URL and `npm install -g git+<url>` packs
// it, and neither builds anything. So it must be exactly what `npm run bundle` writes from the sources at hand.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hooks.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-plugin-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * plugin/ as git holds it: the index (what the next commit takes), which is HEAD's unless changes are staged. The
 * working tree's is no witness: the suite's global setup builds it afresh before any test runs.
 */
function checkedIn(): string {
  const out = path.join(tmp, 'checked-in');
  mkdirSync(out);
  const git = (args: string[], input?: Buffer) => execFileSync('git', args, { cwd: ROOT, input, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', out], { input: git(['archive', git(['write-tree']).toString().trim(), 'plugin']) });
  return path.join(out, 'plugin');
}
const committed = checkedIn();
const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel));
const json = (dir: string, rel: string) => JSON.parse(read(dir, rel).toString('utf8'));

/** Every file under `dir`, relative: not the code caches the hooks and the CLI write beside their code when run. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.cache'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => !f.split(path.sep).includes('.compile-cache'))
    .sort();
}

describe('plugin/', () => {
  it('is checked in byte for byte as a fresh build writes it (run `npm run bundle`, then commit plugin/)', () => {
    const fresh = path.join(tmp, 'plugin');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--plugin-only', fresh], { cwd: ROOT });
    expect(files(committed)).toEqual(files(fresh));
    const differing = files(fresh).filter((f) => !read(fresh, f).equals(read(committed, f)));
    expect(differing).toEqual([]);
  }, 180_000);

  it("carries package.json's version, the one written by hand, and needs no dependency installed", () => {
    const pkg = json(ROOT, 'package.json');
    const own = json(committed, 'package.json');
    expect(own).toMatchObject({ name: 'taskhooks', version: pkg.version, type: 'module', private: true });
    for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'scripts'])
      expect(own[key], key).toBeUndefined();
    expect(json(committed, '.claude-plugin/plugin.json').version).toBe(pkg.version);
    // A release changes package.json and the source plugin manifest (which `claude plugin validate` of the repository
    // root asks a version of, and the build refuses unless it is package.json's): no other file names one.
    expect(json(ROOT, '.claude-plugin/plugin.json').version).toBe(pkg.version);
    const tracked = execFileSync('git', ['ls-files', '*.json'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
    const named = tracked
      .filter((f) => f && !/^(plugin\/|test\/|package(-lock)?\.json$|\.claude-plugin\/plugin\.json$)/.test(f))
      .filter((f) => {
        const doc = json(ROOT, f) as { name?: unknown; version?: unknown; plugins?: Array<{ version?: unknown }> };
        return (doc.name === 'taskhooks' && doc.version !== undefined) || doc.plugins?.some((p) => p.version);
      });
    expect(named).toEqual([]);
    // The two packages the bundles load at run time, bundled where Node's lookup finds them from every file of dist/.
    for (const name of ['pino', 'pg'])
      expect(json(committed, `dist/node_modules/${name}/package.json`)).toMatchObject({ name, main: 'index.js' });
  });
});
