// A task the person just added with `tasks add` is no news to them: the "New high task" alert the monitor would raise
// on its next fetch is recorded now, as already shown, so neither the board nor the next session tells it back.
import { addShownAlert } from '../../cache/alerts.js';
import { openCache } from '../../cache/cache.js';
import { diffAlerts } from '../../context/alerts.js';
import type { Task } from '../../tasks/task.js';
import type { CliContext } from '../command.js';
import type { TaskTarget } from './tasks-source.js';

export function knownToItsAuthor(ctx: CliContext, target: TaskTarget, task: Task): void {
  // As the monitor would find it: new since the snapshot before, with the priority that raises an alert.
  const drafts = diffAlerts([], [task]);
  // A --db file is no source the monitor follows: nothing would raise an alert for it.
  if (drafts.length === 0 || target.dbFile) return;
  const log = ctx.log();
  try {
    const cache = openCache({ home: target.settings.home, log });
    try {
      for (const a of drafts)
        addShownAlert(cache, { sourceKey: target.settings.source.key, project: target.scope.project, ...a });
    } finally {
      cache.close();
    }
  } catch (err) {
    // The task is added; at worst its author hears of it once more.
    log.warn({ err, task: task.id }, 'could not record the new task as known to its author');
  }
}
