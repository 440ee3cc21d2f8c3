// Where a path really leads, resolved through symlinks as the file system would when the file is written.
import { readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Where `file` really is: the deepest part of it that exists, resolved through symlinks, with the rest (not created
 * yet) appended. A dangling symlink is followed to where it points.
 */
export function realLocation(file: string, hops = 0): string {
  try {
    return realpathSync.native(file);
  } catch {
    // Not there (yet), or a link to nowhere.
  }
  if (hops < 16) {
    try {
      const target = readlinkSync(file);
      return realLocation(path.resolve(realLocation(path.dirname(file), hops + 1), target), hops + 1);
    } catch {
      // Not a symlink: nothing to follow.
    }
  }
  const parent = path.dirname(file);
  return parent === file ? file : path.join(realLocation(parent, hops), path.basename(file));
}
