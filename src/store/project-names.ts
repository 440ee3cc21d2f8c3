// A project's and a git branch's names as both engines take them, and the refusal of a name already taken: one
// wording whichever engine holds the store.
import { TaskDbError, requireNonEmpty } from './errors.js';

export const projectName = (name: string): string => requireNonEmpty('Project name', name);

export const branchName = (name: string): string => requireNonEmpty('Git branch name', name);

export const projectTaken = (name: string): TaskDbError =>
  new TaskDbError('ALREADY_EXISTS', `Project already exists: ${name}`);

/** A branch name taken; `project` names where when a branch is created in a project the caller gave by id. */
export const branchTaken = (name: string, project?: string): TaskDbError =>
  new TaskDbError(
    'ALREADY_EXISTS',
    project === undefined ? `Git branch already exists: ${name}` : `Git branch already exists in ${project}: ${name}`,
  );
