// One file install, uninstall or a session's route switch changes, and how its backup is named: a leaf module, so
// that what writes files (apply.ts) needs none of what plans them.
import { createHash } from 'node:crypto';
import path from 'node:path';
export type FileAction = 'create' | 'update' | 'remove';

export interface FileChange {
  file: string;
  action: FileAction;
  /** The file's text now (null: absent) and afterwards (null: removed). */
  before: string | null;
  after: string | null;
  /** Permission bits for what is written: the file's own, else a default for its contents. */
  mode: number;
  /** Whether a `<file>.taskhooks-backup-<time>` copy is written first (see backupPlace). */
  backup: boolean;
  /** Where the write really lands when `file` is reached through a symlink (inside the project: see confine.ts). */
  target?: string;
  /**
   * The change planned again from the file as it is now (undefined: nothing left to change). Writing calls it, holding
   * the file's lock, when another process changed the file since `before` was read, so its change is kept.
   */
  replan?: () => FileChange | undefined;
}

/** The change `plan` makes to its file as it is now, able to plan itself again from the file as it is when written. */
export function replannable(plan: () => FileChange | undefined): FileChange | undefined {
  const c = plan();
  return c && { ...c, replan: plan };
}

export const BACKUP_MARK = '.taskhooks-backup-';

/** A change whose file holds a secret (written 0600): its backup is kept in the state directory, never beside it. */
export const holdsSecret = (c: Pick<FileChange, 'mode'>): boolean => (c.mode & 0o077) === 0;

/**
 * Where the backups of `file` go, as a folder and the prefix of their names: beside it, or in `stateBackups` (the
 * state directory's, for a file holding a secret), named by the file and a hash of its folder so two files of one
 * name never share one.
 */
export function backupPlace(file: string, stateBackups?: string): { dir: string; prefix: string } {
  if (stateBackups === undefined) return { dir: path.dirname(file), prefix: `${path.basename(file)}${BACKUP_MARK}` };
  const folder = createHash('sha256').update(path.dirname(file)).digest('hex').slice(0, 12);
  return { dir: stateBackups, prefix: `${path.basename(file)}.${folder}${BACKUP_MARK}` };
}
