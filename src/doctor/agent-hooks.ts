// Where the other agents' configurations hold taskhooks' wiring for a project, and whether it is taskhooks' own.
// Whether each agent lets it run is the agent's own check (`approval` in src/agents/<id>/).
import { AGENTS, type AgentAdapter, type ConfigScope, serversKey } from '../agents/index.js';
import { readJsonDoc } from '../files/json-doc.js';
import { hasTaskhooksHooks } from '../install/writing/settings.js';
import { isJsonObject } from '../util/object.js';
import { notOwnHooks } from '../install/own-wiring.js';
import { isTaskhooksServer } from '../install/writing/mcp-json.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';

export interface AgentInstallation {
  agent: AgentAdapter;
  scope: ConfigScope;
  file: string;
}

/** The files of the other agents that hold taskhooks' wiring for this project (project scope, then user). */
export function agentInstallations(projectRoot: string, env: NodeJS.ProcessEnv): AgentInstallation[] {
  return Object.values(AGENTS)
    .filter((agent) => agent.id !== 'claude')
    .flatMap((agent) =>
      agent.scopes.flatMap((scope) => {
        const file = agent.configFile(scope, projectRoot, env);
        try {
          const { value } = readJsonDoc(file);
          return hasTaskhooksHooks(value) || agent.plugin?.loads(value) || pluginServer(agent, value)
            ? [{ agent, scope, file }]
            : [];
        } catch {
          // A file the agent cannot read either: its own doctor says why; here it holds no hook that runs.
          return [];
        }
      }),
    );
}

/**
 * A server under taskhooks' name that taskhooks did not write, in the file that loads an agent's plugin (OpenCode's
 * opencode.json): its plugin's row names it. taskhooks' own entry counts not (in the user's own file it serves every
 * project, the task tools row's question), nor does any other agent's server: a file counts by its hooks.
 */
function pluginServer(agent: AgentAdapter, value: Record<string, unknown>): boolean {
  const servers = agent.plugin && agent.mcp ? value[serversKey(agent.mcp)] : undefined;
  return (
    isJsonObject(servers) && servers[MCP_SERVER_NAME] !== undefined && !isTaskhooksServer(servers[MCP_SERVER_NAME])
  );
}

/**
 * The hooks of an agent's file that pass for taskhooks' (they name its scripts) but are not this taskhooks' own (at
 * `root`). A server under its name is the task tools row's question (./task-tools.ts); OpenCode's plugin has a step of
 * its own.
 */
export function notOwnWiring(a: AgentInstallation, root: string) {
  const problems = notOwnHooks(readJsonDoc(a.file).value, root).map((h) => `${a.file}: ${h}`);
  return problems.length === 0 ? undefined : { detail: problems.join('; '), written: true };
}
