// What reading an agenthub listing means, with no zod: a task's fields made a Task, the bounds of a branch's read and
// of the branches scanned, and what the reader says of a branch the server does not know. The agenthub reader and the
// embedded store's local read (embedded/local-read.ts) both go by these, so they answer alike.
export { pendingOf, onBranchListing } from '../../tasks/pending.js';
export { taskOf, type AgenthubTaskFields } from '../../tasks/stored.js';

/** manage_task list answers at most 100 a page; ten pages bound a branch's read. */
export const LIST_PAGE = 100;
export const MAX_LIST_PAGES = 10;
/** How many branches an unregistered-branch fallback reads tasks from. */
export const MAX_BRANCHES_SCANNED = 20;

/**
 * Why a scope's tasks were read from the whole project: no task was ever tied to its branch (the server does not know
 * the branch), or it has none; said in a person's words.
 */
export const projectWideNote = (project: string, branch: string | undefined): string =>
  `${branch ? `no task is tied to branch ${branch} yet` : 'no git branch here'}: the open tasks of every branch of project ${project} shown`;
