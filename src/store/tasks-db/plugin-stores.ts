// Earlier releases of the plugin kept tasks.db in Claude Code's data folder of the plugin, which `claude plugin
// uninstall` deletes. Such a store is moved into the state directory once, before the state directory's own store is
// first opened: a checked copy, every table's rows counted on both sides, its backups beside it; the old store is left
// where it was with a note of where it went, so a second run does nothing.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { earlierPluginStores, ensureHome, MOVED_NOTE } from '../../home/dir.js';
import { homeFiles } from '../../home/files.js';
import { postNotice } from '../../home/notices.js';
import { stopMonitorNow } from '../../home/stop.js';
import type { Logger } from '../../log/logger.js';
import { copyFile, copyNow, readCopy, type Db } from '../../sqlite/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { withFileLock } from '../../util/file-lock.js';
import { listBackups } from './backups.js';

/** How long a move waits for another process moving the same store, and for the old folder's monitor to stop. */
const MOVE_WAIT_MS = 60_000;
const STOP_WAIT_S = 15;

export interface MovedStore {
  from: string;
  to: string;
  /** Tasks in the store moved. */
  tasks: number;
  /** False when the state directory already held tasks of its own: the old store was left for a merge by hand. */
  moved: boolean;
  /** The one line told once, to the next session and the next command. */
  line: string;
}

/** Rows of every table of the store: what must be the same on both sides of a copy. */
function rowCounts(db: Db): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Array<{ name: string }>;
  return Object.fromEntries(
    tables.map(({ name }) => {
      const row = db.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number };
      return [name, Number(row.n)];
    }),
  );
}

/** The tasks and notes a store holds: none means nothing of a person's is in it. */
function heldWork(counts: Record<string, number>): number {
  return (counts.tasks ?? 0) + (counts.task_notes ?? 0);
}

/** Copies `from` to `to`, checked, and counts every table again at the destination; throws, removing it, on a difference. */
function copyChecked(from: string, to: string): Record<string, number> {
  const before = readCopy(from, (db) => {
    copyNow(db, to);
    return rowCounts(db);
  });
  const after = readCopy(to, rowCounts);
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    for (const f of [to, `${to}-wal`, `${to}-shm`]) rmSync(f, { force: true });
    throw new Error(
      `the copy of ${from} differs from it (${JSON.stringify(before)} rows there, ${JSON.stringify(after)} in the copy)`,
    );
  }
  return before;
}

/** The backups kept beside the old store, copied (each checked) where the state directory keeps its own. */
function copyBackups(from: string, to: string, log?: Logger): void {
  for (const backup of listBackups(from)) {
    const dest = path.join(to, backup.name);
    if (existsSync(dest)) continue;
    try {
      mkdirSync(to, { recursive: true, mode: 0o700 });
      copyFile(backup.file, dest);
    } catch (err) {
      // A backup is a copy of what was moved already: one that fails its check stays behind, said in the log.
      log?.warn({ err, backup: backup.file }, 'a backup of the moved task store was not copied');
    }
  }
}

/** Moves the store of one old plugin data folder (see the file's comment), under the state directory's move lock. */
function moveOne(folder: string, home: string, log?: Logger): MovedStore | undefined {
  const from = path.join(folder, 'tasks.db');
  const note = path.join(folder, MOVED_NOTE);
  if (!existsSync(from) || existsSync(note)) return undefined;
  // The earlier release's monitor still writes there: stopped first, so nothing is written after the copy.
  if (stopMonitorNow(folder, STOP_WAIT_S)) log?.info({ folder }, 'stopped the monitor of an earlier plugin release');
  const to = homeFiles(home).tasks;
  let result: MovedStore;
  if (!existsSync(to)) {
    const counts = copyChecked(from, to);
    copyBackups(path.join(folder, 'backups'), homeFiles(home).backups, log);
    const tasks = counts.tasks ?? 0;
    result = {
      from,
      to,
      tasks,
      moved: true,
      line: `taskhooks moved your task store (${tasks} task${tasks === 1 ? '' : 's'}) from ${from}, which Claude Code deletes with the plugin, to ${to}; the old copy is left where it was.`,
    };
  } else {
    const counts = readCopy(from, rowCounts);
    if (heldWork(counts) === 0) {
      writeFileAtomic(note, `${JSON.stringify({ to, at: new Date().toISOString(), empty: true })}\n`, 0o600);
      return undefined;
    }
    const tasks = counts.tasks ?? 0;
    result = {
      from,
      to,
      tasks,
      moved: false,
      line: `taskhooks did not move the ${tasks} task${tasks === 1 ? '' : 's'} in ${from}: ${to} holds tasks of its own. Claude Code deletes that folder with the plugin: copy the file out first (\`taskhooks tasks list --db COPY\` reads it; \`taskhooks tasks export --db COPY\`, then \`tasks import FILE --merge\`, joins its tasks, with their notes, to yours).`,
    };
  }
  writeFileAtomic(
    note,
    `${JSON.stringify({ to: result.moved ? to : undefined, at: new Date().toISOString(), tasks: result.tasks })}\n`,
    0o600,
  );
  return result;
}

/**
 * Moves the task store of every earlier plugin release's data folder into `home` (see the file's comment), once, and
 * tells each move in one line. A move that fails leaves the old store as it was, and is tried again at the next open.
 */
export function movePluginStores(home: string, opts: { env?: NodeJS.ProcessEnv; log?: Logger } = {}): MovedStore[] {
  const folders = earlierPluginStores(home, opts.env).map((f) => path.dirname(f));
  if (folders.length === 0) return [];
  ensureHome(home);
  return withFileLock(`${homeFiles(home).tasks}.moving`, MOVE_WAIT_MS, () => {
    const done: MovedStore[] = [];
    for (const folder of folders) {
      try {
        const moved = moveOne(folder, home, opts.log);
        if (!moved) continue;
        opts.log?.[moved.moved ? 'info' : 'warn']({ from: moved.from, to: moved.to, tasks: moved.tasks }, moved.line);
        postNotice(home, moved.line);
        done.push(moved);
      } catch (err) {
        opts.log?.error(
          { err, folder },
          'the task store of an earlier plugin release was not moved; it is left as it was',
        );
      }
    }
    return done;
  });
}
