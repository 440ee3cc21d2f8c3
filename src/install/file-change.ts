// One file install, uninstall or a session's route switch changes, and how its backup is named: a leaf module, so
// that what writes files (apply.ts) needs none of what plans them.
export type FileAction = 'create' | 'update' | 'remove';

export interface FileChange {
  file: string;
  action: FileAction;
  /** The file's text now (null: absent) and afterwards (null: removed). */
  before: string | null;
  after: string | null;
  /** Permission bits for what is written: the file's own, else a default for its contents. */
  mode: number;
  /** Whether a `<file>.taskhooks-backup-<time>` copy is written first. */
  backup: boolean;
  /** Where the write really lands when `file` is reached through a symlink (inside the project: see confine.ts). */
  target?: string;
}

export const BACKUP_MARK = '.taskhooks-backup-';
