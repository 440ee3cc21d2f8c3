// doctor's look at the embedded task store: it opens (checked, and restored from a backup if it had to be), how
// many tasks it holds, how many backups there are and how old, and the last restore from one. A store behind its own
// backups (emptied, or an older copy put in place by hand) fails the step.
import { homeFiles } from '../home/files.js';
import type { Logger } from '../log/logger.js';
import { listBackups, openTaskDb, readRecovery, recoveryLine, tellDependencyDoubts } from '../store/index.js';
import { formatAge } from '../util/age.js';
import { StepFailure } from './step-failure.js';
import { upgradeLine } from './upgrade.js';

/** The step's detail lines; throws (a DamagedStoreError with its fix) when the store cannot be used. */
export function describeTaskStore(home: string, log: Logger, now = Date.now()): string {
  const files = homeFiles(home);
  const db = openTaskDb(files.tasks, { home, log });
  const backups = listBackups(files.backups);
  let lines: string[];
  try {
    const ahead = backups[0];
    const generation = db.generation();
    if (ahead?.generation !== undefined && ahead.generation > generation)
      throw new StepFailure(
        `${files.tasks} (${db.countTasks()} tasks) is at store generation ${generation}, behind the backup ${ahead.file} (generation ${ahead.generation}): changes that backup holds are missing from the store`,
        `\`taskhooks tasks restore ${ahead.name}\` puts that backup back (the store now there is kept aside); to keep the store as it is, move the backups of later generations out of ${files.backups}`,
      );
    const projects = db.listProjects().length;
    lines = [
      `${files.tasks}: ${db.countTasks()} tasks in ${projects} project${projects === 1 ? '' : 's'}, passed quick_check`,
    ];
    if (db.recovered) lines.push(recoveryLine(db.recovered));
    const copy = backups.find((b) => b.reason === 'migration');
    const before = copy ? `the store as it was: ${copy.file}` : 'no copy from before is left among the backups';
    const upgraded = upgradeLine(db.db, files.tasks, before, now);
    if (upgraded) lines.push(upgraded);
    const doubts = tellDependencyDoubts(db.db);
    if (doubts) lines.push(doubts);
  } finally {
    db.close();
  }
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
