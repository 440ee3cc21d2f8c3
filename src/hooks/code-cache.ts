// What every hot-path entry file in dist/hooks/ is: a few lines that run the real bundle from dist/hooks/code/ with the
// code V8 compiled for it the last time. A hook is a cold process on every tool call, and compiling its ~40 KB bundle
// is a good share of what it costs over bare node; with the cached code V8 skips that work (Node 22 has
// module.enableCompileCache for this, Node 20 only vm.Script's cachedData). The bundle runs as the entry module itself,
// so its `require('./lazy/…')`, __filename and import.meta.url mean what they would if it were the entry file.
import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { wrap } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

type ModuleWrapper = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

/** Where the bundle `name` and its cached code live, beside the entry file. One cache per Node version and CPU. */
export function bundlePaths(entryFile: string, name: string): { source: string; cache: string } {
  const dir = path.join(path.dirname(entryFile), 'code');
  return { source: path.join(dir, `${name}.js`), cache: path.join(dir, `${name}.${process.version}-${process.arch}.cache`) };
}

/**
 * Runs the bundle `name` as `entry`. The cache is written once, as the process exits, when there was none or V8
 * refused it (another build, another V8); a directory this user cannot write to (a system-wide install) just has none.
 */
export function runBundle(name: string, entry: NodeJS.Module, require: NodeJS.Require): void {
  const files = bundlePaths(entry.filename, name);
  const cachedData = readCache(files.cache);
  const script = new Script(wrap(readFileSync(files.source, 'utf8')), { filename: files.source, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) process.once('exit', () => writeCache(script, files.cache));
  const run = script.runInThisContext() as ModuleWrapper;
  run.call(entry.exports, entry.exports, require, entry, entry.filename, path.dirname(entry.filename));
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report('read', file, error);
    return undefined;
  }
}

function writeCache(script: Script, file: string): void {
  try {
    accessSync(path.dirname(file), constants.W_OK);
  } catch {
    return; // not ours to write: every run compiles, as without a cache
  }
  const staged = `${file}.${process.pid}`;
  try {
    writeFileSync(staged, script.createCachedData(), { mode: 0o644 });
    // Concurrent hooks each stage their own copy; the rename makes whichever lands last the one all read.
    renameSync(staged, file);
  } catch (error) {
    rmSync(staged, { force: true });
    report('write', file, error);
  }
}

/** Stderr only: nothing of the hook's stdout is touched, and the hook runs on without the cache. */
function report(what: 'read' | 'write', file: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`taskhooks: could not ${what} the compiled-code cache ${file} (${reason}); the hook compiles its code each run instead. Delete the file to start over.\n`);
}
