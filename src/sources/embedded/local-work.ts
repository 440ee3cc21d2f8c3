// `taskhooks tasks forget`: a task's work records dropped from the built-in store, in the command's own process. The
// task itself, its notes and its status stay as they are.
import { UserError } from '../../errors/user.js';
import { homeFiles } from '../../home/files.js';
import type { Logger } from '../../log/logger.js';
import { stripControls } from '../../context/sanitize.js';
import { storeFileOptions } from '../../store/tasks-db/recover.js';
import { openStoreWrites } from '../../store/tasks-db/writer.js';
import { refuseOtherProject } from '../refusals.js';
import { taskIn } from './local-read.js';
import { damaged } from './store-access.js';

/**
 * Drops the records of task `id` of `project` from the built-in store (the home's, or `dbFile`); returns how many
 * there were. Another source keeps none: refused.
 */
export function forgetLocalWork(o: {
  source: string;
  dbFile: string | undefined;
  home: string;
  id: string;
  project: string;
  log: Logger;
}): number {
  if (o.source !== 'embedded')
    throw new UserError(`the ${o.source} task source keeps no work records: only the built-in store does`, 2);
  const file = o.dbFile ?? homeFiles(o.home).tasks;
  let db: ReturnType<typeof openStoreWrites>;
  try {
    db = openStoreWrites(file, storeFileOptions(file, o.home, o.log));
  } catch (err) {
    throw damaged(err);
  }
  try {
    const task = db.getTask(taskIn(db, o.project, o.id));
    if (!task)
      throw new UserError(
        `${stripControls(o.id)} is no task of the built-in store: \`taskhooks tasks list --all\` lists them`,
        2,
      );
    refuseOtherProject(o.id, db.listProjects().find((p) => p.id === task.projectId)?.name, o.project, 'tasks forget');
    return db.forgetWorkRecords({ projectId: task.projectId, id: task.id });
  } finally {
    db.close();
  }
}
