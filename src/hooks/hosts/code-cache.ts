// What every hot-path entry file in dist/hooks/ is: a few lines that run the real bundle from dist/hooks/code/ with the
// code V8 compiled for it the last time. A hook is a cold process on every tool call, and compiling its 40–75 KB bundle
// is a good share of what it costs over bare node; with the cached code V8 skips that work (Node 22 has
// module.enableCompileCache for this, Node 20 only vm.Script's cachedData). The bundle runs as the entry module itself,
// so its `require('../lazy/…')`, __filename and import.meta.url mean what they would if it were the entry file.
import { accessSync, constants, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { wrap } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { ASK_MONITOR_ARG } from '../../home/monitor-late.js';
import { codeWorthCaching } from './code-cache-mark.js';

/** This build's id (scripts/bundles.mjs): the entry files only ever run as built. */
declare const __TASKHOOKS_BUILD__: string;

type ModuleWrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: NodeJS.Module,
  filename: string,
  dirname: string,
) => void;

/**
 * Where the bundle `name` of the build `build` and its cached code live, beside the entry file. One cache per build,
 * Node version and CPU: V8 checks a cache against the source's length and its own version and flags, not against the
 * source's content, so a rebuilt bundle of the same length (a copied dist/, a plugin updated in place) would run the
 * old build's code from a cache that does not name its build.
 */
export function bundlePaths(entryFile: string, name: string, build: string): { source: string; codeCache: string } {
  const dir = path.join(path.dirname(entryFile), 'code');
  return {
    source: path.join(dir, `${name}.js`),
    codeCache: path.join(dir, `${name}.${build}.${process.version}-${process.arch}.cache`),
  };
}

/**
 * Runs the bundle `name` as `entry`. The cache is written as the process exits, when there was none or V8 refused it
 * (garbage, another V8), and only by a run that reached the real work (markCodeWorthCaching): a run that exited early
 * has compiled too little to be worth caching, and leaves the writing to the next one. A directory this user cannot
 * write to (a system-wide install) just has no cache.
 */
export function runBundle(name: string, entry: NodeJS.Module, require: NodeJS.Require): void {
  const files = bundlePaths(entry.filename, name, __TASKHOOKS_BUILD__);
  const cachedData = readCodeCache(files.codeCache);
  const script = new Script(wrap(readFileSync(files.source, 'utf8')), { filename: files.source, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => {
      if (codeWorthCaching()) writeCodeCache(script, files.codeCache);
    });
  }
  const run = script.runInThisContext() as ModuleWrapper;
  run.call(entry.exports, entry.exports, require, entry, entry.filename, path.dirname(entry.filename));
}

/**
 * Runs the entry `name`. With ASK_MONITOR_ARG the monitor is asked first, from a lazy file of a few KB
 * (src/hooks/hosts/ask-monitor.ts), and the bundle loads only when it gives no answer.
 */
export function runEntry(name: string, entry: NodeJS.Module, require: NodeJS.Require): void {
  if (!process.argv.includes(ASK_MONITOR_ARG)) return runBundle(name, entry, require);
  const lazy = path.join(path.dirname(entry.filename), 'lazy', 'ask-monitor.js');
  let askFirst: (route: string, runBundle: () => void) => void;
  try {
    ({ askFirst } = require(lazy) as { askFirst: typeof askFirst });
  } catch (error) {
    // A damaged install still answers: the bundle does, without the monitor's head start.
    process.stderr.write(`taskhooks: cannot load ${lazy} (${(error as Error).message}); the hook answers itself.\n`);
    return runBundle(name, entry, require);
  }
  askFirst(name, () => runBundle(name, entry, require));
}

function readCodeCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') report('read', file, error);
    return undefined;
  }
}

function writeCodeCache(script: Script, file: string): void {
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
  process.stderr.write(
    `taskhooks: could not ${what} the compiled-code cache ${file} (${reason}); the hook compiles its code each run instead. Delete the file to start over.\n`,
  );
}
