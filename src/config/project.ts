import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathKind } from '../util/safe-read.js';

/** The files of the project around a directory that take part in its configuration. */
export interface ProjectFiles {
  /** The nearest `.claude/taskhooks.json` from the directory up to the git root (inclusive). */
  configFile: string | undefined;
  /** Where the project's `.mcp.json` is, at the git root (it may not exist); undefined outside a repository. */
  mcpJson: string | undefined;
}

/** The project's config files around `cwd`, from one walk up the tree (it runs on every hook). */
export function findProjectFiles(cwd: string): ProjectFiles {
  let configFile: string | undefined;
  let dir = path.resolve(cwd);
  for (;;) {
    if (configFile === undefined) {
      const candidate = path.join(dir, '.claude', 'taskhooks.json');
      if (existsSync(candidate)) configFile = candidate;
    }
    // Any `.git` ends the walk, as in findRepo: a refused repository's files are read (and refused) through safe-read.
    if (pathKind(path.join(dir, '.git')) !== 'missing') return { configFile, mcpJson: path.join(dir, '.mcp.json') };
    const parent = path.dirname(dir);
    if (parent === dir) return { configFile, mcpJson: undefined };
    dir = parent;
  }
}
