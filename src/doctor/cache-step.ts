// doctor's state directory step: the directory writable and private, and its cache keeping a value.
import { accessSync, constants, statSync } from 'node:fs';
import { kvDelete, kvGet, kvSet } from '../cache/kv.js';
import { openCache, type Cache } from '../cache/cache.js';
import { stateDirProblem } from '../home/unwritable.js';
import { othersWithAccess, ownerOnlyAcl } from '../home/owner-only.js';
import { describeDriver, NO_DRIVER_FIX, NoSqliteError } from '../sqlite/index.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';
import { upgradeLine } from './upgrade.js';

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
      if (err instanceof NoSqliteError) throw new StepFailure(err.detail, NO_DRIVER_FIX);
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
    const acl = privacyOf(home, mode);
    // The cache holds nothing that cannot be fetched again: no copy is kept from before its upgrade.
    const upgraded = upgradeLine(cache.db, cache.file, 'nothing in it needed keeping');
    return [cache.file, ...(upgraded ? [upgraded] : []), ...(acl ? [acl] : [])].join('\n');
  });
  return writable ? cache : undefined;
}

/**
 * Throws when others may read the state directory: by its mode, or on Windows (NTFS has no mode bits) by its ACL.
 * Returns a line to show when the ACL could not be read.
 */
function privacyOf(home: string, mode: number, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32') {
    if (mode & 0o077)
      throw new StepFailure(`${home} is readable by others (mode ${mode.toString(8)})`, `chmod 700 ${home}`);
    return undefined;
  }
  const { others, unchecked } = othersWithAccess(home);
  if (others !== undefined)
    throw new StepFailure(`${home} is readable by ${others} (its ACL)`, `icacls ${ownerOnlyAcl(home).join(' ')}`);
  return unchecked === undefined ? undefined : `its ACL was not checked (${unchecked})`;
}
