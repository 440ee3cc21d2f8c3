// The installed files that name the monitor's endpoint, rewritten at once when it moves: each project's Claude Code
// settings holding taskhooks' http hooks (their port and hook token), its local-scope `taskhooks` server in
// ~/.claude.json, and the other agents' task tools in their user's own files (the store's port and token). Nothing
// else in those files changes, and a file is backed up first.
import type { Endpoint } from '../home/endpoint.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import type { Logger } from '../log/logger.js';
import { applyPlan } from './apply.js';
import { isTaskhooksLocalEntry, localServers, readClaudeJsonValue, setLocalServer } from './claude-json.js';
import { formatJson, readJsonDoc, sameJson, type JsonDoc } from './json-doc.js';
import { isStoreServerEntry, localMcpEntry, withTaskhooksServer } from './mcp-json.js';
import { readTomlDoc, withTomlServer } from './codex-toml.js';
import { AGENTS, type AgentAdapter } from '../agents/index.js';
import { serversKey } from '../agents/agent.js';
import { isJsonObject } from '../util/object.js';
import { settingsFile, SCOPES } from './paths.js';
import { withServedEndpoint } from './settings.js';

export interface EndpointRewrite {
  rewritten: string[];
  /** Each file that could not be rewritten, with why: its sessions are told at their start. */
  failed: string[];
}

function rewriteSettings(file: string, endpoint: Endpoint, out: EndpointRewrite): void {
  const doc = readJsonDoc(file);
  if (doc.text === null) return;
  const next = withServedEndpoint(doc.value, { port: endpoint.hookPort, token: endpoint.hookToken });
  if (sameJson(next, doc.value)) return;
  // The file carries the hook token: it stays the user's alone, as install wrote it.
  applyPlan([
    { file, action: 'update', before: doc.text, after: formatJson(next, doc.style), mode: 0o600, backup: true },
  ]);
  out.rewritten.push(file);
}

function rewriteLocalServer(project: string, endpoint: Endpoint, env: NodeJS.ProcessEnv, out: EndpointRewrite): void {
  const { storePort, storeToken } = endpoint;
  if (storePort === undefined || storeToken === undefined) return;
  // Only where install put one: a project without taskhooks' server gets none; its guard, if any, stays.
  const present = localServers(readClaudeJsonValue(env), project)?.[MCP_SERVER_NAME];
  if (!isTaskhooksLocalEntry(present)) return;
  const entry = localMcpEntry(storePort, storeToken, present.headersHelper);
  const outcome = setLocalServer(env, project, MCP_SERVER_NAME, { ...entry }, (p) => isTaskhooksLocalEntry(p));
  if (outcome === 'set') out.rewritten.push(`~/.claude.json (${project})`);
}

/** One agent's task tools in its user's own file, where install put the store server's entry there. */
function rewriteAgentServer(agent: AgentAdapter, endpoint: Endpoint, env: NodeJS.ProcessEnv, out: EndpointRewrite) {
  const { mcp } = agent;
  const { storePort, storeToken } = endpoint;
  if (!mcp || storePort === undefined || storeToken === undefined) return;
  const file = mcp.userFile(env);
  const doc = mcp.format === 'toml' ? readTomlDoc(file) : readJsonDoc(file);
  if (doc.text === null) return;
  const key = serversKey(mcp);
  const table = doc.value[key];
  // Only an entry for the store server: `taskhooks mcp` names no port, and a server of the user's is theirs.
  if (!isJsonObject(table) || !isStoreServerEntry(table[MCP_SERVER_NAME])) return;
  const { url, headers } = localMcpEntry(storePort, storeToken);
  const entry = mcp.httpEntry(url, headers.Authorization);
  const after =
    mcp.format === 'toml'
      ? withTomlServer(doc, entry)
      : formatJson(withTaskhooksServer(doc.value, entry, key), (doc as JsonDoc).style);
  if (after === null || after === doc.text) return;
  applyPlan([{ file, action: 'update', before: doc.text, after, mode: 0o600, backup: true }]);
  out.rewritten.push(file);
}

/**
 * Points every file of `projects` (and the user's own Claude Code settings, and the other agents' own task tools) that
 * names the endpoint at where it is now. A file that cannot be written is logged and listed, never thrown: the monitor
 * serves on regardless.
 */
export function rewriteEndpointFiles(o: {
  projects: readonly string[];
  endpoint: Endpoint;
  env: NodeJS.ProcessEnv;
  log: Logger;
}): EndpointRewrite {
  const out: EndpointRewrite = { rewritten: [], failed: [] };
  const attempt = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      o.log.error({ err, file: what }, 'could not point a file at the moved endpoint');
      out.failed.push(`${what} (${(err as Error).message})`);
    }
  };
  const files = new Set(o.projects.flatMap((dir) => SCOPES.map((scope) => settingsFile(scope, dir, o.env))));
  for (const file of files) attempt(file, () => rewriteSettings(file, o.endpoint, out));
  for (const project of o.projects)
    attempt(`~/.claude.json (${project})`, () => rewriteLocalServer(project, o.endpoint, o.env, out));
  // The other agents' entries serve every project: rewritten whether or not one is registered yet.
  for (const agent of Object.values(AGENTS))
    attempt(agent.mcp?.userFile(o.env) ?? agent.id, () => rewriteAgentServer(agent, o.endpoint, o.env, out));
  return out;
}
