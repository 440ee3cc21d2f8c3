// git's program as the PATH has it, never a repository's own: its own module so that the hooks load the resolver
// (a lazy file) only on Windows, the one system that looks in the working folder first.
import { programToRun } from '../util/executable.js';

/** git's absolute path on Windows (its name elsewhere), or why it cannot run. */
export const gitProgram = (): string | Error => programToRun('git');
