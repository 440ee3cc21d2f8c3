// Where a write to a path really lands. A repository or a home can hold symlinks (`.claude` → a folder elsewhere, a
// dotfile manager's links): each existing link on the path is followed, dangling ones too, so a caller can refuse a
// target outside its root before anything is read or written.
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/user.js';

/** More links than this on one path is a loop, as the kernel counts (ELOOP). */
const MAX_LINKS = 40;

/** The real place of `p`: realpath where it exists, else its resolved parent joined with a dangling link's target. */
export function resolveTarget(p: string, links = 0): string {
  if (links > MAX_LINKS)
    throw new UserError(`${p}: too many symbolic links; fix the link and run again — nothing was changed`);
  try {
    return realpathSync(p);
  } catch {
    // absent (or a dangling link): resolve what exists above it
  }
  const parent = path.dirname(p);
  if (parent === p) return p;
  const here = path.join(resolveTarget(parent, links + 1), path.basename(p));
  const s = lstatSync(here, { throwIfNoEntry: false });
  return s?.isSymbolicLink() ? resolveTarget(path.resolve(path.dirname(here), readlinkSync(here)), links + 1) : here;
}
