// What a file install writes outside the project does to other folders, said beside it in install's output and its
// dry run: an agent's own user-wide file reaches every folder that agent opens.
import path from 'node:path';
import { AGENTS } from '../../agents/index.js';

const inside = (file: string, dir: string): boolean => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** The agent whose own file of per-project task tools `file` is (Claude Code's ~/.claude.json). */
const localToolsOf = (file: string, env: NodeJS.ProcessEnv) =>
  Object.values(AGENTS).find((a) => a.localTools?.file(env) === file);

/** Where a run writes: the project, and the files in which it puts hooks (an agent's user scope, say). */
export interface ReachOf {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** The files this run writes hooks into; the others outside the project hold task tools only. */
  hookFiles: readonly string[];
  /** The files this run writes a secret into (0600): an agent's task tools with the store token. */
  secretFiles: readonly string[];
}

/** Why such an entry is not put in the project's own file, where the agent would read it for that folder alone. */
const NOT_IN_PROJECT = "user-wide, as in the project's own file the entry would hold the store token";

/** For a file install writes outside the project, what that does to other folders (one line); undefined inside it. */
export function globalReach(file: string, o: ReachOf): string | undefined {
  if (inside(file, o.dir)) return undefined;
  const local = localToolsOf(file, o.env);
  if (local)
    return `global: this project's entry alone (${local.label}'s local scope): no other folder gets the task tools`;
  if (file === AGENTS.claude.configFile('user', o.dir, o.env) && !o.hookFiles.includes(file))
    return "global: the hook token's value in `env`, which Claude Code sets in every session; it opens this monitor's hook port only";
  const reach: string[] = [];
  for (const agent of Object.values(AGENTS)) {
    if (o.hookFiles.includes(file) && agent.scopes.includes('user') && file === agent.configFile('user', o.dir, o.env))
      reach.push(`${agent.label} runs taskhooks' hooks in every folder it opens`);
    if (agent.mcp && file === agent.mcp.userFile(o.env))
      reach.push(
        `${agent.label} offers the task tools in every folder it opens${o.secretFiles.includes(file) ? ` (${NOT_IN_PROJECT})` : ''}`,
      );
  }
  return `global: ${reach.length > 0 ? reach.join('; ') : 'outside this project'}`;
}

/** For a file uninstall changes outside the project: what taking taskhooks out of it does to other folders. */
export function globalRemoval(file: string, o: Pick<ReachOf, 'dir' | 'env'>): string | undefined {
  if (inside(file, o.dir)) return undefined;
  if (localToolsOf(file, o.env)) return "global: this project's entry alone: other folders keep theirs";
  const agent = Object.values(AGENTS).find(
    (a) =>
      (a.scopes.includes('user') && file === a.configFile('user', o.dir, o.env)) || a.mcp?.userFile(o.env) === file,
  );
  return `global: ${agent ? `taskhooks is gone from every folder ${agent.label} opens` : 'outside this project'}`;
}
