// NTFS has no mode bits (chmod 0600 does nothing there): on Windows the state directory, which holds the tokens, is
// made its owner's alone by its ACL, and every file made inside inherits that.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { programToRun } from '../util/executable.js';

/**
 * icacls' arguments for `target`: the inherited entries removed (a TASKHOOKS_HOME outside the profile may inherit
 * Everyone's), full control granted to the user alone (domain-qualified where Windows names a domain); for a folder,
 * passed on to the files and folders made inside (a file takes no such flags).
 */
export function ownerOnlyAcl(
  target: string,
  env: NodeJS.ProcessEnv = process.env,
  kind: 'folder' | 'file' = 'folder',
): string[] {
  const user = env.USERNAME?.trim() || os.userInfo().username;
  const domain = env.USERDOMAIN?.trim();
  return [
    target,
    '/inheritance:r',
    '/grant:r',
    `${domain ? `${domain}\\` : ''}${user}:${kind === 'folder' ? '(OI)(CI)' : ''}F`,
  ];
}

/** Makes `dir` readable by its owner alone on Windows (elsewhere its 0700 mode does); throws what to do if it cannot. */
export function restrictToOwner(dir: string, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32') return;
  const args = ownerOnlyAcl(dir);
  try {
    const icacls = programToRun('icacls');
    if (icacls instanceof Error) throw icacls;
    execFileSync(icacls, args, { stdio: 'ignore', windowsHide: true });
  } catch (err) {
    throw new Error(
      `cannot make ${dir} readable by you alone (icacls ${args.join(' ')}: ${(err as Error).message}); it holds tokens: run that command, or set TASKHOOKS_HOME to a folder in your profile`,
    );
  }
}

/** The groups icacls names whose entry in an ACL lets people other than the owner in. */
const OTHERS = /^.*?(Everyone|BUILTIN\\Users|NT AUTHORITY\\Authenticated Users):/im;

/** Who other than its owner an ACL, as `icacls <dir>` prints it, lets into the folder; undefined when nobody. */
export function othersInAcl(icaclsOutput: string): string | undefined {
  return OTHERS.exec(icaclsOutput)?.[1];
}

/**
 * Who other than its owner may read `dir` (a folder or a file) on Windows, where mode bits say nothing: from its ACL.
 * `unchecked` says why the ACL could not be read.
 */
export function othersWithAccess(dir: string): { others?: string; unchecked?: string } {
  try {
    const icacls = programToRun('icacls');
    if (icacls instanceof Error) throw icacls;
    const out = execFileSync(icacls, [dir], {
      encoding: 'utf8',
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const others = othersInAcl(out);
    return others === undefined ? {} : { others };
  } catch (err) {
    return { unchecked: `icacls ${dir}: ${(err as Error).message.split('\n')[0]}` };
  }
}
