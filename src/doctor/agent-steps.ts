// doctor's steps on the other agents: for each one whose configuration holds taskhooks' wiring, whether the agent runs
// it (its hooks approved, OpenCode's plugin ready), with the line that approves them; and for an agent whose task
// tools live in a TOML file of its own (Codex's config.toml), whether the table install wrote is there and the
// taskhooks it starts still exists (a moved or rebuilt checkout leaves the agent a server it cannot start, and it
// says so only in its own log).
import { approvalLine } from '../install/agent-approval.js';
import { readTomlDoc } from '../install/codex-toml.js';
import { foreignServer, notOwnFix } from '../install/own-wiring.js';
import { packageRoot } from '../util/package.js';
import type { JsonObject } from '../install/json-doc.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { isJsonObject } from '../util/object.js';
import { agentApproval, notOwnWiring, type AgentInstallation } from './agent-hooks.js';
import type { Approval } from './approval.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';

export async function agentSteps(
  { args, steps }: DoctorRun,
  projectRoot: string,
  agents: readonly AgentInstallation[],
): Promise<void> {
  const root = packageRoot();
  for (const a of agents) {
    const { agent } = a;
    const what = agent.id === 'opencode' ? ['plugin ready', 'plugin'] : ['hooks approved', 'hook approval'];
    await step(steps, `${agent.label} ${what[0]}`, `${agent.label}'s ${what[1]}`, async () => {
      const notOwn = notOwnWiring(a, projectRoot, args.env, root);
      if (notOwn)
        throw new StepFailure(
          `${notOwn.detail}: not what taskhooks install writes for this taskhooks`,
          notOwnFix(notOwn, agent.id, 'that file'),
        );
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
