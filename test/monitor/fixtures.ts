import { makeRepo, type TempRepo } from '../helpers/git.js';

export { blackHole, closedPortUrl } from '../helpers/hooks.js';

/** A git repository whose folder name is `name` (the project name on the server), on branch main. */
export function makeRepoFor(name: string): TempRepo {
  return makeRepo({ name, branch: 'main' });
}
