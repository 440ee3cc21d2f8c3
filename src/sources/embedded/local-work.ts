// `taskhooks tasks forget`: a task's work records dropped from the built-in store, in the command's own process. The
// task itself, its notes and its status stay as they are.
import { UserError } from '../../errors/user.js';
import type { Logger } from '../../log/logger.js';
import { stripControls } from '../../context/sanitize.js';
import { storeFileOptions } from '../../store/tasks-db/recover.js';
import { openStoreWrites } from '../../store/tasks-db/writer.js';
import { refuseOtherProject } from '../refusals.js';
import { taskIn } from './local-read.js';
import { damaged } from './store-access.js';

/** Drops the records of task `id` of `project` from the store at `file`; returns how many there were. */
export function forgetLocalWork(file: string, o: { id: string; project: string; home: string; log: Logger }): number {
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
