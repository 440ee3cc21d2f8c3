// git's program as the PATH has it, never a repository's own: its own module so that the resolver stays out of the
// hooks' bundles (a lazy file), loaded only by a hook that runs git.
import { programToRun } from '../util/executable.js';

/** git's absolute path on the PATH, or why it cannot run. */
export const gitProgram = (): string | Error => programToRun('git');
