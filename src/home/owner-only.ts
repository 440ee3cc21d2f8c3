// NTFS has no mode bits (chmod 0600 does nothing there): on Windows the state directory, which holds the tokens, is
// made its owner's alone by its ACL, and every file made inside inherits that.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * icacls' arguments for `dir`: the inherited entries removed (a TASKHOOKS_HOME outside the profile may inherit
 * Everyone's), full control granted to the user alone (domain-qualified where Windows names a domain), passed on to
 * the files and folders made inside.
 */
export function ownerOnlyAcl(dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const user = env.USERNAME?.trim() || os.userInfo().username;
  const domain = env.USERDOMAIN?.trim();
  return [dir, '/inheritance:r', '/grant:r', `${domain ? `${domain}\\` : ''}${user}:(OI)(CI)F`];
}

/** Makes `dir` readable by its owner alone on Windows (elsewhere its 0700 mode does); throws what to do if it cannot. */
export function restrictToOwner(dir: string, platform: NodeJS.Platform = process.platform): void {
  if (platform !== 'win32') return;
  const args = ownerOnlyAcl(dir);
  try {
    execFileSync('icacls', args, { stdio: 'ignore', windowsHide: true });
  } catch (err) {
    throw new Error(
      `cannot make ${dir} readable by you alone (icacls ${args.join(' ')}: ${(err as Error).message}); it holds tokens: run that command, or set TASKHOOKS_HOME to a folder in your profile`,
    );
  }
}
