import path from 'node:path';
import type { Config } from '../config/schema.js';

/** Which project and branch a session, a refresh or a CLI command is about. */
export interface Scope {
  /** Git root, or the working directory when it is not a git repository. */
  projectRoot: string;
  /** The project's name on the task server: configured, else the root folder's name. */
  project: string;
  /** The local git branch; '' when not in a repository or detached. */
  branch: string;
}

export function resolveScope(config: Config, projectRoot: string, branch: string | null | undefined): Scope {
  return { projectRoot, project: config.source.project ?? path.basename(projectRoot), branch: branch ?? '' };
}
