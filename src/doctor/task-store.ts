// doctor's look at the embedded task store: it opens (checked, and restored from a backup if it had to be), how
// many tasks it holds, how many backups there are and how old, and the last restore from one.
import { homeFiles } from '../home/files.js';
import type { Logger } from '../log/logger.js';
import { listBackups, openTaskDb, readRecovery, recoveryLine, tellDependencyDoubts } from '../store/index.js';
import { formatAge } from '../util/age.js';

/** The step's detail lines; throws (a DamagedStoreError with its fix) when the store cannot be used. */
export function describeTaskStore(home: string, log: Logger, now = Date.now()): string {
  const files = homeFiles(home);
  const db = openTaskDb(files.tasks, { home, log });
  let lines: string[];
  try {
    const projects = db.listProjects().length;
    lines = [
      `${files.tasks}: ${db.countTasks()} tasks in ${projects} project${projects === 1 ? '' : 's'}, passed quick_check`,
    ];
    if (db.recovered) lines.push(recoveryLine(db.recovered));
    const doubts = tellDependencyDoubts(db.db);
    if (doubts) lines.push(doubts);
  } finally {
    db.close();
  }
  const backups = listBackups(files.backups);
  const newest = backups[0];
  const oldest = backups[backups.length - 1];
  lines.push(
    newest && oldest
      ? `backups: ${backups.length} in ${files.backups}, newest ${formatAge(now - newest.takenAt.getTime())} ago (${newest.reason}), oldest ${formatAge(now - oldest.takenAt.getTime())} ago`
      : `backups: none yet in ${files.backups} (the monitor takes one when it starts and every few hours while tasks change; \`taskhooks tasks backup\` takes one now)`,
  );
  const last = readRecovery(home);
  if (last && !db.recovered)
    lines.push(`last restored from a backup ${formatAge(now - Date.parse(last.at))} ago: ${recoveryLine(last)}`);
  return lines.join('\n');
}
