// doctor's step on an agent whose task tools live in a TOML file of its own (Codex's config.toml): whether the table
// install wrote is there and the taskhooks it starts still exists. A moved or rebuilt checkout leaves the agent a
// server it cannot start, and the agent says so only in its own log. Whether its hooks run is ./hooks-run.ts's row.
import { readTomlDoc } from '../install/codex-toml.js';
import { foreignServer, notOwnFix } from '../install/own-wiring.js';
import { packageRoot } from '../util/package.js';
import type { JsonObject } from '../install/json-doc.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { isJsonObject } from '../util/object.js';
import type { AgentInstallation } from './agent-hooks.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

/** For each agent whose task tools live in a TOML file of its own, whether that file offers this taskhooks' tools. */
export async function tomlTaskToolsSteps(
  { args, steps }: DoctorRun,
  projectRoot: string,
  agents: readonly AgentInstallation[],
): Promise<void> {
  for (const { agent, scope } of agents) {
    if (agent.mcp?.format !== 'toml') continue;
    const file = agent.mcp.file(scope, projectRoot, args.env);
    await step(steps, `${agent.label} task tools`, file, () => tomlTaskTools(file, agent.id));
  }
}

/**
 * Whether `file` (a config.toml) offers taskhooks' task tools, and that they are this taskhooks' (at `root`) own: a
 * table under the name that runs anything else, or a taskhooks or node gone since, fails with the fix.
 */
export function tomlTaskTools(file: string, agentId: string, root = packageRoot()): string {
  let value: JsonObject;
  try {
    value = readTomlDoc(file).value;
  } catch (err) {
    throw new StepFailure((err as Error).message, `make ${file} readable TOML again: Codex cannot read it either`);
  }
  const servers = value.mcp_servers;
  const server = isJsonObject(servers) ? servers[MCP_SERVER_NAME] : undefined;
  if (server === undefined)
    return `${file} has no [mcp_servers.${MCP_SERVER_NAME}]: no task tools (install writes it where the built-in store is the task source)`;
  const foreign = foreignServer(server, root);
  if (foreign)
    throw new StepFailure(
      `[mcp_servers.${MCP_SERVER_NAME}] of ${file}: ${foreign.detail}`,
      notOwnFix(foreign, agentId, file),
    );
  return `[mcp_servers.${MCP_SERVER_NAME}] in ${file} starts ${root}/dist/cli.js`;
}
