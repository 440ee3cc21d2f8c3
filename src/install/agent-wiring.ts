// What each agent's files get from install: its hooks (Claude Code's by transport, another agent's from its adapter),
// the task tools' MCP server where that agent keeps one, and what only its file takes.
import type { AgentAdapter } from '../agents/agent.js';
import type { Settings } from '../config/settings.js';
import { desiredAgentHooks, type AgentSocket } from './agent-hooks.js';
import { localMcpEntry, mcpServerEntry, type LocalHttpServer, type StdioServer } from './mcp-json.js';
import { opencodeWiring } from './opencode-json.js';
import type { SettingsScope } from './paths.js';
import type { Endpoint } from '../home/endpoint.js';
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
  t: {
    node: string;
    root: string;
    transport: HookTransport;
    served: ServedEndpoint | undefined;
    midTurnNews: boolean;
    /** Another agent's way to the monitor (it needs no token, so no http transport). */
    socket: AgentSocket;
  },
) {
  const { node, root, transport, served, midTurnNews } = t;
  return agent.id === 'claude'
    ? withIdleRewake(desiredHooks({ node, root, transport, midTurnNews, ...(served ? { served } : {}) }), {
        node,
        root,
      })
    : desiredAgentHooks(agent, { node, root, served: t.socket });
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
 * Claude Code's `taskhooks` server for this person only (the project's local scope in ~/.claude.json, never the
 * committed .mcp.json): the running monitor's store server, or `taskhooks mcp` under the command transport, where the
 * embedded store is the source. The mcp transport's server stays in .mcp.json (`mcpJsonServer`).
 */
export function claudeServer(
  o: WiringTarget,
  settings: Settings,
  t: { node: string; root: string },
  endpoint: Endpoint | undefined,
): StdioServer | LocalHttpServer | undefined {
  if (o.agent.id !== 'claude' || o.transport === 'mcp') return undefined;
  if (settings.source.plan.kind !== 'embedded') return undefined;
  return endpoint?.storePort !== undefined && endpoint.storeToken !== undefined
    ? localMcpEntry(endpoint.storePort, endpoint.storeToken)
    : mcpServerEntry(t.node, t.root);
}

/** The mcp transport's `taskhooks mcp` in .mcp.json: its tool-call hooks call it, and Claude Code approves it there. */
export function mcpJsonServer(o: WiringTarget, t: { node: string; root: string }): StdioServer | undefined {
  return o.agent.id === 'claude' && o.transport === 'mcp' ? mcpServerEntry(t.node, t.root) : undefined;
}
