import { makeRepo, type TempRepo } from '../helpers/git.js';
import type { TaskDb } from '../../src/server/index.js';

export { blackHole, closedPortUrl } from '../helpers/hooks.js';

/** A git repository whose folder name is `name` (the project name on the server), on branch main. */
export function makeRepoFor(name: string): TempRepo {
  // A first commit of its own: without an origin a repository is known by it, and two made alike in one second would
  // be one repository, so one project.
  return makeRepo({ name, branch: 'main', commits: [`initial commit of ${name}`] });
}

/**
 * A task on branch main of `project` in a task server's database, written in this process: for tests about what the
 * monitor does with a task, not how it got there. Its id.
 */
export function taskOnServer(db: TaskDb, project: string, title: string): string {
  const p = db.ensureProject(project);
  return db.createTask({ projectId: p.id, gitBranchId: db.ensureBranch(p.id, 'main').id, title }).id;
}
