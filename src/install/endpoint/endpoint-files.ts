// The installed files that name the monitor's endpoint, rewritten at once when it moves: each project's local Claude
// Code settings holding taskhooks' http hooks (their port), the hook token in the user's own settings, its local-scope
// `taskhooks` server in ~/.claude.json, and the other agents' task tools in their user's own files (the store's port
// and token). Only entries install wrote change, and a file is backed up first.
import { envValue, homeFiles, hookTokenVar, type Endpoint } from '../../home/index.js';
import { MCP_SERVER_NAME } from '../../hooks/hosts/mcp-tool-input.js';
import type { Logger } from '../../log/logger.js';
import { applyPlan, writesIn } from '../writing/apply.js';
import { formatJson, readJsonDoc, sameJson, type JsonDoc } from '../../files/json-doc.js';
import { isStoreServerEntry, localMcpEntry, withTaskhooksServer } from '../writing/mcp-json.js';
import { readTomlDoc, withTomlServer } from '../writing/toml-doc.js';
import { AGENTS, serversKey, type AgentAdapter, type AgentLocalTools } from '../../agents/index.js';
import { isJsonObject } from '../../util/object.js';
import { homeDir, settingsFile } from '../paths.js';
import { hasOwnServedHooks, withServedEndpoint } from '../writing/settings.js';
import { confineToProject } from '../planning/confine.js';
import { gitTakesAnyway } from '../git/ignore-check.js';
import { hookTokenChange } from '../writing/user-token.js';
import { replannable, type FileChange } from '../../files/file-change.js';

export interface EndpointRewrite {
  rewritten: string[];
  /** Each file that could not be rewritten, with why: its sessions are told at their start. */
  failed: string[];
}

/**
 * A project's local Claude Code settings, the one file install writes http hooks into: its own entries repointed (an
 * earlier install's token taken out for the variable). Resolved and confined as install's writes are, and left alone
 * where git would commit it. Whether it holds install's hooks.
 */
async function rewriteSettings(project: string, o: RewriteInputs, out: EndpointRewrite): Promise<boolean> {
  const file = settingsFile('local', project, o.env);
  confineToProject(project, o.env, [file]);
  const repointed = (): { doc: JsonDoc; change: FileChange | undefined } => {
    const doc = readJsonDoc(file);
    if (doc.text === null) return { doc, change: undefined };
    const next = withServedEndpoint(doc.value, { port: o.endpoint.hookPort, tokenVar: hookTokenVar(o.home) });
    if (sameJson(next, doc.value)) return { doc, change: undefined };
    const after = formatJson(next, doc.style);
    return { doc, change: { file, action: 'update', before: doc.text, after, mode: doc.mode ?? 0o600, backup: true } };
  };
  const { doc, change } = repointed();
  if (doc.text === null) return false;
  if (!change) return hasOwnServedHooks(doc.value);
  const why = await gitTakesAnyway(file);
  if (why !== undefined) throw new Error(`git would commit it (${why}), so it is left as it is`);
  applyPlan([{ ...change, replan: () => repointed().change }], writesIn(o.home));
  out.rewritten.push(file);
  return true;
}

/** The new hook token in the user's own settings, where install put the variable or a project's hooks now name it. */
function rewriteUserToken(o: RewriteInputs, named: boolean, out: EndpointRewrite): void {
  const file = settingsFile('user', '', o.env);
  const name = hookTokenVar(o.home);
  confineToProject(homeDir(o.env), o.env, [file]);
  if (!named && envValue(readJsonDoc(file).value, name) === undefined) return;
  const c = replannable(() => hookTokenChange(file, name, o.endpoint.hookToken));
  if (!c) return;
  applyPlan([c], writesIn(o.home));
  out.rewritten.push(file);
}

/** A project's entry in an agent's own file of local task tools, where install put one: the agent repoints it. */
function rewriteLocalServer(tools: AgentLocalTools, project: string, o: RewriteInputs, out: EndpointRewrite): void {
  const { storePort, storeToken } = o.endpoint;
  if (storePort === undefined || storeToken === undefined) return;
  const store = { port: storePort, token: storeToken };
  if (tools.repoint(o.env, project, store, homeFiles(o.home).fileBackups))
    out.rewritten.push(`${tools.shown} (${project})`);
}

/** One agent's task tools in its user's own file, where install put the store server's entry there. */
function rewriteAgentServer(agent: AgentAdapter, o: RewriteInputs, out: EndpointRewrite) {
  const { mcp } = agent;
  const { storePort, storeToken } = o.endpoint;
  if (!mcp || storePort === undefined || storeToken === undefined) return;
  const file = mcp.userFile(o.env);
  confineToProject(agent.userRoot(o.env), o.env, [file]);
  const c = replannable((): FileChange | undefined => {
    const doc = mcp.format === 'toml' ? readTomlDoc(file) : readJsonDoc(file);
    if (doc.text === null) return undefined;
    const key = serversKey(mcp);
    const table = doc.value[key];
    // Only an entry for the store server: `taskhooks mcp` names no port, and a server of the user's is theirs.
    if (!isJsonObject(table) || !isStoreServerEntry(table[MCP_SERVER_NAME])) return undefined;
    const { url, headers } = localMcpEntry(storePort, storeToken);
    const entry = mcp.httpEntry(url, headers.Authorization);
    const after =
      mcp.format === 'toml'
        ? withTomlServer(doc, entry)
        : formatJson(withTaskhooksServer(doc.value, entry, key), (doc as JsonDoc).style);
    if (after === null || after === doc.text) return undefined;
    return { file, action: 'update', before: doc.text, after, mode: 0o600, backup: true };
  });
  if (!c) return;
  applyPlan([c], writesIn(o.home));
  out.rewritten.push(file);
}

interface RewriteInputs {
  projects: readonly string[];
  endpoint: Endpoint;
  /** The state directory: its hook token's variable, and where backups of files holding a secret go. */
  home: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/**
 * Points every file of `projects` (and the user's own Claude Code settings, and the other agents' own task tools) that
 * names the endpoint at where it is now, touching only the entries install wrote. A file that cannot be written is
 * logged and listed, never thrown: the monitor serves on regardless.
 */
export async function rewriteEndpointFiles(o: RewriteInputs): Promise<EndpointRewrite> {
  const out: EndpointRewrite = { rewritten: [], failed: [] };
  const attempt = async <T>(what: string, fn: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      o.log.error({ err, file: what }, 'could not point a file at the moved endpoint');
      out.failed.push(`${what} (${(err as Error).message})`);
      return undefined;
    }
  };
  let named = false;
  for (const project of o.projects)
    named = (await attempt(settingsFile('local', project, o.env), () => rewriteSettings(project, o, out))) || named;
  await attempt(settingsFile('user', '', o.env), () => rewriteUserToken(o, named, out));
  for (const tools of Object.values(AGENTS).flatMap((a) => a.localTools ?? []))
    for (const project of o.projects)
      await attempt(`${tools.shown} (${project})`, () => rewriteLocalServer(tools, project, o, out));
  // The other agents' entries serve every project: rewritten whether or not one is registered yet.
  for (const agent of Object.values(AGENTS))
    await attempt(agent.mcp?.userFile(o.env) ?? agent.id, () => rewriteAgentServer(agent, o, out));
  return out;
}
