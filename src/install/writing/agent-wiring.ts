// What each agent's files get from install: its hooks (Claude Code's by transport, another agent's from its adapter),
// the task tools' MCP server where that agent keeps one, and what only its file takes.
import { serversKey, type AgentAdapter } from '../../agents/agent.js';
import type { Settings } from '../../config/settings.js';
import { desiredAgentHooks, type AgentSocket } from './agent-hooks.js';
import { refuseForeignTomlServer } from './toml-doc.js';
import { cliScript, localMcpEntry, mcpServerEntry, refuseForeignServer, type StdioServer } from './mcp-json.js';
import type { SettingsScope } from '../paths.js';
import type { Endpoint } from '../../home/endpoint.js';
import type { JsonObject } from '../../files/json-doc.js';
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

/** What only some agents' files take: Copilot CLI's format version, in a file of its own; OpenCode's plugin. */
export function agentInputs(agent: AgentAdapter, t: { node: string; root: string }) {
  // Copilot CLI's hooks file is taskhooks.json: taskhooks' own, so whatever else it holds runs under its name.
  if (agent.format === 'copilot') return { formatVersion: 1, ownFile: true };
  return agent.plugin ? { plugin: { agent: agent.plugin, wiring: agent.plugin.wiring(t.node, t.root) } } : {};
}

/** An agent's entry for the embedded store's task tools, and where it goes. */
export interface AgentServer {
  /** The user's own file of the agent's servers: never committed. */
  file: string;
  entry: JsonObject;
  format?: 'toml';
  /** The key of the file's servers (`mcpServers`, OpenCode's `mcp`; TOML's is the toml-doc module's). */
  table: string;
  /** The entry carries the store token: its file is the user's alone (0600). */
  secret: boolean;
  /** Where an earlier install put it (the scope's file, maybe a project's), taken out of there now. */
  formerFile?: string;
}

/**
 * The embedded store's task tools in the agent's own MCP servers (not Claude Code's), in the user's own file: the
 * monitor's store server where its endpoint is known, else `taskhooks mcp` by this machine's paths. One entry serves
 * every project; each tool that acts on a project takes its `project_id`, which the session's context names.
 */
export function agentServer(
  o: WiringTarget,
  settings: Settings,
  t: { node: string; root: string },
  store: { storePort: number; storeToken: string } | undefined,
): AgentServer | undefined {
  const { mcp } = o.agent;
  if (!mcp || settings.source.plan.kind !== 'embedded') return undefined;
  const file = mcp.userFile(o.env);
  const former = mcp.file(o.scope, o.dir, o.env);
  const http = store && localMcpEntry(store.storePort, store.storeToken);
  return {
    file,
    entry: http ? mcp.httpEntry(http.url, http.headers.Authorization) : mcp.entry(t.node, [cliScript(t.root), 'mcp']),
    secret: http !== undefined,
    table: serversKey(mcp),
    ...(former !== file ? { formerFile: former } : {}),
    ...(mcp.format ? { format: mcp.format } : {}),
  };
}

/**
 * The agent's `taskhooks` server in its `localTools` file, for this person only (Claude Code's local scope, never the
 * committed .mcp.json): the running monitor's store server, or `taskhooks mcp` under the command transport, where the
 * embedded store is the source. The mcp transport's server stays in .mcp.json (`mcpJsonServer`).
 */
export function localToolsServer(
  o: WiringTarget,
  settings: Settings,
  t: { node: string; root: string },
  endpoint: Endpoint | undefined,
): StdioServer | Record<string, unknown> | undefined {
  const tools = o.agent.localTools;
  if (!tools || o.transport === 'mcp') return undefined;
  if (settings.source.plan.kind !== 'embedded') return undefined;
  return endpoint?.storePort !== undefined && endpoint.storeToken !== undefined
    ? tools.storeEntry({ port: endpoint.storePort, token: endpoint.storeToken })
    : mcpServerEntry(t.node, t.root);
}

/** The mcp transport's `taskhooks mcp` in .mcp.json: its tool-call hooks call it, and Claude Code approves it there. */
export function mcpJsonServer(o: WiringTarget, t: { node: string; root: string }): StdioServer | undefined {
  return o.agent.id === 'claude' && o.transport === 'mcp' ? mcpServerEntry(t.node, t.root) : undefined;
}

/**
 * A server under taskhooks' name that install did not write, refused, naming it, before anything is written: in
 * .mcp.json for Claude Code (the local one would shadow it, and what it runs is not taskhooks'), and in another agent's
 * project servers, which it reads over the user's own file where install puts the task tools.
 */
export function refuseForeignServers(
  agent: AgentAdapter,
  mcpJson: string,
  agentMcp: Pick<AgentServer, 'formerFile' | 'format' | 'table'> | undefined,
): void {
  if (agent.id === 'claude') refuseForeignServer(mcpJson);
  if (!agentMcp?.formerFile) return;
  if (agentMcp.format === 'toml') refuseForeignTomlServer(agentMcp.formerFile);
  else refuseForeignServer(agentMcp.formerFile, agentMcp.table);
}
