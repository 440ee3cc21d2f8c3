// What each agent's files get from install: its hooks (Claude Code's by transport, another agent's from its adapter),
// the task tools' MCP server where that agent keeps one, and what only its file takes.
import type { AgentAdapter } from '../agents/agent.js';
import type { Settings } from '../config/settings.js';
import { homeFiles } from '../home/files.js';
import { desiredAgentHooks } from './agent-hooks.js';
import { mcpServerEntry, servedMcpEntry, type TaskhooksServer } from './mcp-json.js';
import { opencodeWiring } from './opencode-json.js';
import type { SettingsScope } from './paths.js';
import { servedStorePort } from './served-endpoint.js';
import { desiredHooks, withIdleRewake, type HookTransport, type ServedEndpoint } from './settings.js';

/** What of one install's options an agent's wiring depends on. */
export interface WiringTarget {
  dir: string;
  agent: AgentAdapter;
  scope: SettingsScope;
  transport: HookTransport;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** The hooks the agent's settings file gets: Claude Code's by transport (and its idle rewake), another's its own. */
export function agentHooks(
  agent: AgentAdapter,
  t: { node: string; root: string; transport: HookTransport; served: ServedEndpoint | undefined },
) {
  const { node, root, transport, served } = t;
  return agent.id === 'claude'
    ? withIdleRewake(desiredHooks(served ? { node, root, transport, served } : { node, root, transport }), {
        node,
        root,
      })
    : desiredAgentHooks(agent, { node, root });
}

/**
 * What only some agents' files take: Copilot CLI's format version, in a file of its own; OpenCode's plugin for its opencode.json, with the
 * task tools where the embedded store is the source.
 */
export function agentInputs(agent: AgentAdapter, t: { node: string; root: string }, settings: Settings) {
  // Copilot CLI's hooks file is taskhooks.json: taskhooks' own, so whatever else it holds runs under its name.
  if (agent.format === 'copilot') return { formatVersion: 1, ownFile: true };
  if (agent.id !== 'opencode') return {};
  return { opencode: opencodeWiring(t.node, t.root, settings.source.plan.kind === 'embedded') };
}

/** The embedded store's task tools in the agent's own MCP servers, where it keeps them (not Claude Code's). */
export function agentServer(o: WiringTarget, settings: Settings, t: { node: string; root: string }) {
  const { mcp } = o.agent;
  if (!mcp || settings.source.plan.kind !== 'embedded') return undefined;
  return {
    file: mcp.file(o.scope, o.dir, o.env),
    entry: mcp.entry(t.node, [`${t.root}/dist/cli.js`, 'mcp']),
    ...(mcp.format ? { format: mcp.format } : {}),
  };
}

/**
 * Claude Code's server of .mcp.json: the one the tool-call hooks call under the mcp transport, which also serves the
 * embedded store's tools where it is the source.
 */
export function claudeServer(
  o: WiringTarget,
  settings: Settings,
  t: { node: string; root: string },
  served: ServedEndpoint | undefined,
): TaskhooksServer | undefined {
  if (o.agent.id !== 'claude') return undefined;
  if (o.transport === 'mcp') return mcpServerEntry(t.node, t.root);
  if (settings.source.plan.kind !== 'embedded') return undefined;
  return served
    ? servedMcpEntry(servedStorePort(o.home, settings), homeFiles(o.home).hookToken)
    : mcpServerEntry(t.node, t.root);
}
