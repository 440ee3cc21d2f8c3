// doctor's steps on the other agents: for each one whose configuration holds taskhooks' wiring, whether the agent runs
// it (its hooks approved, OpenCode's plugin ready), with the line that approves them; and for an agent whose task
// tools live in a TOML file of its own (Codex's config.toml), whether the table install wrote is there and the
// taskhooks it starts still exists (a moved or rebuilt checkout leaves the agent a server it cannot start, and it
// says so only in its own log).
import { existsSync } from 'node:fs';
import { approvalLine } from '../install/agent-approval.js';
import { hasTomlServer, readTomlDoc } from '../install/codex-toml.js';
import type { JsonObject } from '../install/json-doc.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { isExecutable } from '../util/executable.js';
import { isJsonObject } from '../util/object.js';
import { agentApproval, type AgentInstallation } from './agent-hooks.js';
import type { Approval } from './approval.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

export async function agentSteps(
  { args, steps }: DoctorRun,
  projectRoot: string,
  agents: readonly AgentInstallation[],
): Promise<void> {
  for (const a of agents) {
    const { agent } = a;
    const what = agent.id === 'opencode' ? ['plugin ready', 'plugin'] : ['hooks approved', 'hook approval'];
    await step(steps, `${agent.label} ${what[0]}`, `${agent.label}'s ${what[1]}`, async () => {
      const answer: Approval = await agentApproval(agent, projectRoot, args.env, a.file);
      if ('unknown' in answer) return answer;
      if (answer.approved) return answer.detail;
      throw new StepFailure(
        answer.detail,
        approvalLine(agent, { dir: projectRoot, scope: a.scope, file: a.file }, true) ??
          `run \`taskhooks install --agent ${agent.id}\` again from the taskhooks you use`,
      );
    });
    if (agent.mcp?.format !== 'toml') continue;
    const file = agent.mcp.file(a.scope, projectRoot, args.env);
    await step(steps, `${agent.label} task tools`, file, () => tomlTaskTools(file, agent.id));
  }
}

/** Whether `file` (a config.toml) offers taskhooks' task tools, and the node and script it names still exist. */
export function tomlTaskTools(file: string, agentId: string): string {
  const again = `run \`taskhooks install --agent ${agentId}\` again from the taskhooks you use`;
  let value: JsonObject;
  try {
    value = readTomlDoc(file).value;
  } catch (err) {
    throw new StepFailure((err as Error).message, `make ${file} readable TOML again: Codex cannot read it either`);
  }
  if (!hasTomlServer(value))
    return `${file} has no [mcp_servers.${MCP_SERVER_NAME}]: no task tools (install writes it where the built-in store is the task source)`;
  const servers = value.mcp_servers;
  const server = isJsonObject(servers) ? servers[MCP_SERVER_NAME] : undefined;
  const command = isJsonObject(server) && typeof server.command === 'string' ? server.command : '';
  const script = isJsonObject(server) && Array.isArray(server.args) ? String(server.args[0]) : '';
  const problems = [
    ...(isExecutable(command) ? [] : [`the node it names (${command || 'none'}) cannot be run`]),
    ...(existsSync(script) ? [] : [`its ${script} does not exist`]),
  ];
  if (problems.length > 0)
    throw new StepFailure(`[mcp_servers.${MCP_SERVER_NAME}] of ${file}: ${problems.join('; ')}`, again);
  return `[mcp_servers.${MCP_SERVER_NAME}] in ${file} starts ${script}`;
}
