// An agent's task tools in a per-project entry of the person's own file (Claude Code's local scope of ~/.claude.json),
// planned and applied through the agent's `localTools`: install sets it, uninstall takes it out.
import { AGENTS, MCP_SERVER_NAME, type AgentAdapter, type LocalServerOutcome } from '../../agents/index.js';
import type { FileAction } from '../../files/file-change.js';
import type { JsonObject } from '../../files/json-doc.js';
import type { AppliedChange } from './apply.js';
import { isTaskhooksServer } from './mcp-json.js';
import type { Plan } from '../planning/plan.js';

/** What each outcome did to the file, as install and uninstall report it: creating it is not updating it. */
const FILE_ACTIONS: Readonly<Record<LocalServerOutcome, FileAction | undefined>> = {
  created: 'create',
  set: 'update',
  removed: 'update',
  deleted: 'remove',
  unchanged: undefined,
  foreign: undefined,
};

/**
 * The planned entry set in (or taken out of) its agent's file, as the agent writes it. A server of the person's own
 * under the name stays, and the plan's notes say so; an earlier install's entry (`.mcp.json`'s shape) is taskhooks'.
 */
export function applyLocalServer(plan: Plan, env: NodeJS.ProcessEnv, stateBackups: string): AppliedChange | undefined {
  const wanted = plan.localServer;
  const tools = wanted && AGENTS[wanted.agent].localTools;
  if (!wanted || !tools) return undefined;
  const mine = (present: unknown) => tools.isOwn(present) || isTaskhooksServer(present);
  const outcome = tools.set(env, wanted.project, { entry: wanted.entry, stateBackups }, mine);
  const file = tools.file(env);
  if (outcome === 'foreign')
    plan.notes.push(
      `${file} already has a server named "${MCP_SERVER_NAME}" for ${wanted.project} that is not this one; left it as it is`,
    );
  const action = FILE_ACTIONS[outcome];
  return action && { file, action };
}

/** The agent's entry planned for `project`, its file read first: a damaged one refuses it all. */
export function planLocalServer(
  plan: Plan,
  agent: AgentAdapter,
  project: string,
  entry: JsonObject,
  env: NodeJS.ProcessEnv,
) {
  agent.localTools?.entry(env, project);
  plan.localServer = { agent: agent.id, project, entry };
}

/** Whether the agent's file holds the entry install wrote for `project`; a file that cannot be read counts as no. */
export function hasLocalServer(agent: AgentAdapter, env: NodeJS.ProcessEnv, project: string): boolean {
  const tools = agent.localTools;
  try {
    return tools?.isOwn(tools.entry(env, project)) ?? false;
  } catch {
    return false; // an unreadable file is the agent's to repair; the hooks still come out
  }
}
