// doctor's one question per agent, one row each: where do this agent's sessions get the built-in store's task tools?
// From the project's entry in the agent's `localTools` file (Claude Code's local scope), or from the user's own file
// of its servers (`mcp`), whatever the scope of its hooks. An entry for the
// monitor's store server is checked with the very credential a session sends; whether an entry is taskhooks' is
// install's call (mcp-json.ts, own-wiring.ts), never parsed here.
import { existsSync } from 'node:fs';
import { AGENTS, serversKey, type AgentAdapter, type AgentLocalTools } from '../agents/index.js';
import { currentStoreEndpoint } from '../home/endpoint.js';
import { readLiveOwner } from '../home/lock.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { hasTaskhooksServer, readTomlDoc, storeServerOf, type StoreServerTarget } from '../install/writing/index.js';
import { committedText } from '../install/git/ignore-check.js';
import { readJsonDoc, type JsonObject } from '../files/json-doc.js';
import { foreignServer, notOwnFix } from '../install/own-wiring.js';
import { mcpJsonFile } from '../install/paths.js';
import { isJsonObject } from '../util/object.js';
import { packageRoot } from '../util/package.js';
import type { AgentInstallation } from './agent-hooks.js';
import { step, type DoctorRun } from './step.js';
import { StepFailure } from './step-failure.js';
import { SESSION_TOOL_NAMES } from '../server/tools/tool-families.js';

const PROBE_MS = 3000;

/** The fix for an entry that no longer reaches the store server: install writes the current one. */
export const installFix = (agent: Pick<AgentAdapter, 'id' | 'localTools'>): string =>
  agent.localTools
    ? `point it at the monitor: \`taskhooks install --agent ${agent.id}\` in this project, then restart its sessions`
    : `point it at the monitor: \`taskhooks install --agent ${agent.id}\`, then restart its sessions`;

/** Asks the store server for its tools the way a session does; the tool names, or what went wrong. */
async function probe(target: StoreServerTarget, fix: string): Promise<string[]> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: {
      authorization: target.authorization,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    signal: AbortSignal.timeout(PROBE_MS),
  });
  if (res.status === 401)
    throw new StepFailure(`the store server refuses the token of the task tools' entry (${res.status})`, fix);
  if (!res.ok) throw new StepFailure(`the store server answered HTTP ${res.status} to a session's tools/list`, fix);
  const body = (await res.json()) as { result?: { tools?: Array<{ name?: unknown }> } };
  return (body.result?.tools ?? []).map((t) => String(t.name));
}

/**
 * What an entry for the monitor's store server (in `where`) gives a session: the endpoint it names must be the state
 * directory's current one, and the running server must list the tools for the token it sends.
 */
export async function servedTools(
  { args }: DoctorRun,
  target: StoreServerTarget,
  o: { where: string; fix: string },
): Promise<string> {
  const { settings } = args.loaded;
  const port = Number(new URL(target.url).port);
  const endpoint = currentStoreEndpoint(settings.home, settings.monitor);
  if (!endpoint)
    throw new StepFailure(
      `${o.where} names the store server on 127.0.0.1:${port}, but this config serves none (monitor.storeServerPort is 0): sessions get no task tools`,
      o.fix,
    );
  if (port !== endpoint.storePort || target.authorization !== `Bearer ${endpoint.storeToken}`)
    throw new StepFailure(
      `${o.where} names 127.0.0.1:${port}${port === endpoint.storePort ? ' with an old token' : `, where the store server no longer serves (it serves ${endpoint.storePort})`}: sessions get no task tools`,
      o.fix,
    );
  const entry = `http entry to the store server on port ${port} (${o.where})`;
  if (!readLiveOwner(settings.home))
    return `${entry}; the monitor is not running, so the next session starts it (\`taskhooks monitor start\` starts it now)`;
  const tools = await probe(target, o.fix);
  const missing = SESSION_TOOL_NAMES.filter((t) => !tools.includes(t));
  if (missing.length > 0)
    throw new StepFailure(
      `the store server lists no ${missing.join(', ')} to a session (it lists ${tools.join(', ') || 'nothing'})`,
      o.fix,
    );
  return `${entry}: it answers a session's token with ${tools.length} tools`;
}

/** taskhooks' entry of an earlier install in .mcp.json, and whether git's HEAD holds it (then it is the person's). */
async function mcpJsonEntry(projectRoot: string): Promise<'committed' | 'present' | undefined> {
  const file = mcpJsonFile(projectRoot);
  if (!existsSync(file)) return undefined;
  let value: JsonObject;
  try {
    value = readJsonDoc(file).value;
  } catch {
    return undefined; // the config step names a broken .mcp.json
  }
  if (!hasTaskhooksServer(value)) return undefined;
  const committed = await committedText(file);
  try {
    return committed !== undefined && hasTaskhooksServer(JSON.parse(committed) as JsonObject) ? 'committed' : 'present';
  } catch {
    return 'present';
  }
}

/** An agent's tools in its own file's entry for the project (an earlier install's .mcp.json named if left). */
async function localTaskTools(run: DoctorRun, agent: AgentAdapter, tools: AgentLocalTools, projectRoot: string) {
  const old = await mcpJsonEntry(projectRoot);
  if (old === 'committed')
    throw new StepFailure(
      `${mcpJsonFile(projectRoot)} is committed with a "taskhooks" server that names one machine's port: every clone's sessions try it and get no tools`,
      `remove its "taskhooks" entry and commit; \`taskhooks install\` gives each person the tools in their own ${tools.shown}`,
    );
  const file = tools.file(run.args.env);
  const entry = tools.entry(run.args.env, projectRoot);
  if (entry === undefined) {
    if (old === 'present')
      throw new StepFailure(
        `the task tools come from .mcp.json, as an earlier version wrote them: a session in a folder never trusted gets none, after 1.5 s of OAuth probing`,
        `move them into your own ${tools.shown}: \`taskhooks install\` in this project`,
      );
    return `none for this project in ${file} (\`taskhooks install\` adds them)`;
  }
  const target = tools.isOwn(entry) ? storeServerOf(entry) : undefined;
  if (!target) return `a "taskhooks" server of your own in ${file}`;
  const served = await servedTools(run, target, {
    where: `${file}, this project's local scope`,
    fix: installFix(agent),
  });
  // An earlier install's guard still starts a process before every connection; the store server now guards itself.
  const helper = isJsonObject(entry) && entry.headersHelper !== undefined;
  return helper
    ? `${served}; its headersHelper, an earlier install's, runs before each connection (\`taskhooks install\` drops it)`
    : served;
}

/** The agent's `taskhooks` entry in a file of its servers (JSON, or Codex's TOML); absent file, no entry. */
function entryIn(agent: AgentAdapter, file: string): unknown {
  let value: JsonObject;
  try {
    value = agent.mcp?.format === 'toml' ? readTomlDoc(file).value : readJsonDoc(file).value;
  } catch (err) {
    throw new StepFailure((err as Error).message, `make ${file} readable again: ${agent.label} cannot read it either`);
  }
  const servers = value[serversKey(agent.mcp ?? {})];
  return isJsonObject(servers) ? servers[MCP_SERVER_NAME] : undefined;
}

const keyOf = (agent: AgentAdapter): string =>
  agent.mcp?.format === 'toml'
    ? `[mcp_servers.${MCP_SERVER_NAME}]`
    : `${serversKey(agent.mcp ?? {})}.${MCP_SERVER_NAME}`;

/**
 * A `taskhooks` entry in the project's own servers file, which the agent reads over the user's: one install did not
 * write fails (it shadows the tools with whatever it runs); an earlier install's is named, since install moves it.
 */
function projectEntry(agent: AgentAdapter, projectRoot: string, env: NodeJS.ProcessEnv, root: string) {
  const { mcp } = agent;
  if (!mcp || !agent.scopes.includes('project')) return undefined;
  const file = mcp.file('project', projectRoot, env);
  if (file === mcp.userFile(env)) return undefined;
  const entry = entryIn(agent, file);
  if (entry === undefined) return undefined;
  const foreign = foreignServer(entry, root);
  if (foreign)
    throw new StepFailure(
      `${keyOf(agent)} of ${file}: ${foreign.detail}; read over your own, it shadows the task tools`,
      notOwnFix(foreign, agent.id, file),
    );
  return `; ${file} still holds an earlier install's ${keyOf(agent)}, read over your own (\`taskhooks install --agent ${agent.id}\` takes it out)`;
}

/**
 * Where an agent other than Claude Code gets the task tools: the entry install wrote in the user's own file, the
 * store server's (checked live) or `taskhooks mcp` by this machine's paths; anything else under the name fails.
 */
export async function agentTaskTools(run: DoctorRun, agent: AgentAdapter, projectRoot: string, root = packageRoot()) {
  const { env } = run.args;
  const file = agent.mcp?.userFile(env) ?? '';
  const key = keyOf(agent);
  const shadow = projectEntry(agent, projectRoot, env, root) ?? '';
  const entry = entryIn(agent, file);
  if (entry === undefined)
    return run.args.loaded.settings.source.plan.kind === 'embedded'
      ? `none: ${file} has no ${key} (\`taskhooks install --agent ${agent.id}\` adds it)${shadow}`
      : `none: the task source is not the built-in store${shadow}`;
  const foreign = foreignServer(entry, root);
  if (foreign) throw new StepFailure(`${key} of ${file}: ${foreign.detail}`, notOwnFix(foreign, agent.id, file));
  const target = storeServerOf(entry);
  if (target) return (await servedTools(run, target, { where: `${key} in ${file}`, fix: installFix(agent) })) + shadow;
  if (isJsonObject(entry) && entry.type === 'http')
    throw new StepFailure(
      `${key} of ${file} reads its token through a helper, as an earlier version wrote it`,
      installFix(agent),
    );
  return `stdio, this machine's paths: ${key} in ${file} starts \`taskhooks mcp\` (${root}/dist/cli.js) per session${shadow}`;
}

/** One row for each agent with local task tools (the built-in store only), then one for each with hooks here and `mcp`. */
export async function taskToolsSteps(
  run: DoctorRun,
  projectRoot: string,
  agents: readonly AgentInstallation[],
): Promise<void> {
  if (run.args.loaded.settings.source.plan.kind === 'embedded')
    for (const agent of Object.values(AGENTS)) {
      const tools = agent.localTools;
      if (tools)
        await step(run.steps, `${agent.label} task tools`, 'the task tools', () =>
          localTaskTools(run, agent, tools, projectRoot),
        );
    }
  for (const agent of new Set(agents.map((a) => a.agent))) {
    const file = agent.mcp?.userFile(run.args.env);
    if (file === undefined) continue;
    await step(run.steps, `${agent.label} task tools`, file, () => agentTaskTools(run, agent, projectRoot));
  }
}
