// What git state depends on besides the working tree, read without spawning git: HEAD, the index and the checked-out
// branch's ref. A commit moves the ref, a checkout rewrites HEAD, `git add` rewrites the index; each leaves a mark here.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { readTextCapped, SMALL_MAX_BYTES } from '../util/safe-read.js';
import { branchOfHead, gitDirs, readHead } from './repo.js';

function fileStamp(file: string): string {
  // A write goes through a lock file renamed into place: a new inode, a new mtime (ns resolution), maybe a new size.
  const s = statSync(file, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : '-';
}

/**
 * A fingerprint of the repository at `root`'s HEAD, index and branch ref; undefined when HEAD cannot be read. Equal
 * fingerprints mean no commit, checkout or staging happened in between (edits to files in the working tree are not
 * covered: nothing records them but the files themselves). A few file reads, no git process.
 */
export function readRepoStamp(root: string): string | undefined {
  const { gitDir, commonDir } = gitDirs(root);
  const head = readHead(gitDir);
  if (head === undefined) return undefined;
  const parts = [head, fileStamp(path.join(gitDir, 'index'))];
  const branch = branchOfHead(head);
  if (branch !== null) {
    let ref: string;
    try {
      ref = readTextCapped(path.join(commonDir, 'refs/heads', branch), SMALL_MAX_BYTES).trim();
    } catch {
      // Not a loose ref: packed (or an unborn branch), so packed-refs moving is what a new commit would show.
      ref = `packed ${fileStamp(path.join(commonDir, 'packed-refs'))}`;
    }
    parts.push(ref);
  }
  return parts.join('|');
}

/**
 * The commit HEAD stands on, read from git's files (HEAD, the branch's loose ref, else packed-refs) without running
 * git; undefined on an unborn branch or when the files cannot be read.
 */
export function readHeadCommit(root: string): string | undefined {
  const { gitDir, commonDir } = gitDirs(root);
  const head = readHead(gitDir);
  const isId = (s: string | undefined): s is string => s !== undefined && /^[0-9a-f]{40,64}$/.test(s);
  if (isId(head)) return head;
  const ref = head && /^ref:\s*(refs\/.+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const read = (file: string): string | undefined => {
    try {
      return readTextCapped(file, SMALL_MAX_BYTES).trim();
    } catch {
      return undefined;
    }
  };
  const loose = read(path.join(commonDir, ref));
  if (isId(loose)) return loose;
  let packed: string;
  try {
    packed = readTextCapped(path.join(commonDir, 'packed-refs'), PACKED_REFS_MAX_BYTES);
  } catch {
    return undefined;
  }
  const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
  const id = line?.split(' ')[0];
  return isId(id) ? id : undefined;
}

/** packed-refs of a repository with many tags runs to megabytes; one larger is not read. */
const PACKED_REFS_MAX_BYTES = 16 * 1024 * 1024;

/** A folder to watch and the entries in it that matter (every entry but lock files when `names` is absent). */
export interface WatchTarget {
  dir: string;
  names?: string[];
}

/**
 * The folders whose changes can change the git state of the repository at `root`: the gitDir (HEAD, index), the
 * common dir (packed-refs), refs/heads and, for a branch with slashes in its name, the folder its ref lives in.
 * Each is one non-recursive watch: on Linux, fs.watch's recursive mode stats files on a 5 s timer (watchFile) in the
 * Node versions this supports, which is the polling a watch is meant to replace. undefined when `root` has no readable HEAD.
 */
export function gitWatchTargets(root: string): WatchTarget[] | undefined {
  const { gitDir, commonDir } = gitDirs(root);
  const head = readHead(gitDir);
  if (head === undefined) return undefined;
  const heads = path.join(commonDir, 'refs/heads');
  const targets: WatchTarget[] =
    gitDir === commonDir
      ? [{ dir: gitDir, names: ['HEAD', 'index', 'packed-refs'] }]
      : [
          { dir: gitDir, names: ['HEAD', 'index'] },
          { dir: commonDir, names: ['packed-refs'] },
        ];
  targets.push({ dir: heads });
  const branch = branchOfHead(head);
  const nested = branch ? path.dirname(path.join(heads, branch)) : heads;
  // A packed ref has no folder yet. Its first loose write creates one, which shows as an event in refs/heads, and
  // that event makes the caller read this list again.
  if (nested !== heads && existsSync(nested)) targets.push({ dir: nested });
  return targets;
}
