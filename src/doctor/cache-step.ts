// doctor's state directory step: the directory writable and private, and its cache keeping a value.
import { accessSync, constants, statSync } from 'node:fs';
import { kvDelete, kvGet, kvSet } from '../cache/kv.js';
import { openCache, type Cache } from '../cache/cache.js';
import { stateDirProblem } from '../home/unwritable.js';
import { describeDriver, NoSqliteError } from '../sqlite/index.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

/** The state directory and its cache, opened for the source's steps; undefined (a failed step) when unusable. */
export async function cacheStep({ args, steps }: DoctorRun): Promise<Cache | undefined> {
  const { home } = args.loaded.settings;
  let cache: Cache | undefined;
  // Set once the cache took a write: a state directory others may read still serves the steps below.
  let writable = false;
  await step(steps, 'sqlite', 'SQLite', () => {
    try {
      return describeDriver();
    } catch (err) {
      if (err instanceof NoSqliteError) throw new StepFailure(err.detail, err.fix);
      throw err;
    }
  });
  await step(steps, 'state dir and cache', 'the state directory', () => {
    const mode = statSync(home).mode & 0o777;
    try {
      accessSync(home, constants.W_OK);
      cache = openCache({ home, log: args.log });
      kvSet(cache, 'doctor:probe', Date.now());
    } catch (err) {
      const problem = stateDirProblem(err, home);
      if (problem === undefined) throw err;
      throw new StepFailure(problem.what, problem.fix);
    }
    if (kvGet(cache, 'doctor:probe') === undefined)
      throw new StepFailure('the cache did not keep a value', `remove ${cache.file} (it is recreated)`);
    kvDelete(cache, 'doctor:probe');
    writable = true;
    if (mode & 0o077)
      throw new StepFailure(`${home} is readable by others (mode ${mode.toString(8)})`, `chmod 700 ${home}`);
    return `${cache.file}`;
  });
  return writable ? cache : undefined;
}
