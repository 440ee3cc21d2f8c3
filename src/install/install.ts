// `taskhooks install` as two steps the command calls: what would change (every target confined to the project, the
// notes a person should read) and, unless it is a dry run, applying it and telling the monitor of the project.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { registerProject } from '../cache/projects.js';
import { withCache } from '../cache/cache.js';
import { loadSettings, resolveSettings, type Settings } from '../config/settings.js';
import { UserError } from '../errors/user.js';
import { monitorSocketPath } from '../home/endpoint.js';
import { ensureMonitorRunning } from '../home/launch.js';
import { monitorCode, otherMonitorCode, otherMonitorLine, readMonitorInfo } from '../home/monitor-info.js';
import { homeFiles } from '../home/files.js';
import { ensureHookToken } from '../home/secrets.js';
import { wakeMonitor } from '../home/signals.js';
import type { Logger } from '../log/logger.js';
import { resolveScope } from '../tasks/scope.js';
import { packageRoot } from '../util/package.js';
import { applyPlan, type AppliedChange } from './apply.js';
import { confineToProject } from './confine.js';
import { isGitIgnored } from './git-ignore.js';
import { mcpServerEntry, servedMcpEntry, type TaskhooksServer } from './mcp-json.js';
import { mcpJsonFile, projectConfigFile, settingsFile, type SettingsScope } from './paths.js';
import type { AgentAdapter } from '../agents/agent.js';
import { desiredAgentHooks } from './agent-hooks.js';
import { approvalLine } from './agent-approval.js';
import { planInstallChanges, type Plan } from './plan.js';
import type { SourceChoice } from './project-config.js';
import { desiredHooks, HOOK_SCRIPTS, withIdleRewake, type HookTransport, type ServedEndpoint } from './settings.js';
import { desiredStatusLine, STATUS_LINE_SCRIPT } from './status-line.js';
import { keepTrust } from './trust.js';
import { opencodeWiring } from './opencode-json.js';

/** What one install is asked to do, checked by the command before it calls. */
export interface InstallOptions {
  /** The project (absolute). */
  dir: string;
  /** The coding agent whose configuration gets the hooks. */
  agent: AgentAdapter;
  scope: SettingsScope;
  transport: HookTransport;
  source: SourceChoice;
  /** Also set taskhooks' status line where the settings file has none. */
  statusLine: boolean;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** The settings the project will have once the chosen source is written. */
async function projectSettings(dir: string, env: NodeJS.ProcessEnv, choice: SourceChoice): Promise<Settings> {
  const { loaded } = await loadSettings({ cwd: dir, env });
  const source = { ...loaded.config.source };
  if (choice.adapter) source.adapter = choice.adapter;
  if (choice.server && !source.servers.includes(choice.server)) source.servers = [choice.server];
  return resolveSettings({ ...loaded.config, source }, loaded.home);
}

/**
 * The port the monitor serves hooks on: the one the running monitor holds (another process may hold the configured
 * one), else the configured or the home's own one.
 */
function servedHookPort(home: string, settings: Settings): number {
  const port = readMonitorInfo(home)?.hookPort;
  if (typeof port === 'number' && port > 0) return port;
  if (settings.monitor.hookPort > 0) return settings.monitor.hookPort;
  throw new UserError(
    'monitor.hookPort is 0 (a random port each start), which settings cannot name: remove it from the config (each state directory then has a port of its own) and run install again',
    2,
  );
}

/** The port the monitor's store server holds, else the configured or the home's own one. */
function servedStorePort(home: string, settings: Settings): number {
  const url = readMonitorInfo(home)?.storeServerUrl;
  const port = url === undefined ? undefined : Number(new URL(url).port);
  return port !== undefined && port > 0 ? port : settings.monitor.storeServerPort;
}

/** Where the http transport's hooks reach the installing person's monitor. */
function servedEndpoint(home: string, settings: Settings): ServedEndpoint {
  const g = settings.hooks.guards;
  return {
    port: servedHookPort(home, settings),
    token: ensureHookToken(home),
    socket: monitorSocketPath(home),
    guarded: g.protectedPaths.length > 0 || g.protectedBranches.length > 0 || g.requireActiveTask !== 'off',
  };
}

function distRoot(): string {
  const root = packageRoot();
  for (const script of [...HOOK_SCRIPTS, STATUS_LINE_SCRIPT, 'dist/cli.js', 'dist/opencode-plugin.js']) {
    if (!existsSync(path.join(root, script)))
      throw new UserError(`${path.join(root, script)} is missing; build taskhooks first (npm ci, or npm run build)`);
  }
  return root;
}

/**
 * `.mcp.json` is a file teams commit, and the entry install writes names this machine's node and checkout: say so
 * where it is about to be shared, with the two ways to keep it to this machine.
 */
async function mcpJsonNote(
  plan: Plan,
  file: string,
  names: string,
  mine: { node: string; cli: string },
): Promise<string | undefined> {
  if (!plan.changes.some((c) => c.file === file && c.after !== null) || (await isGitIgnored(file)) === true)
    return undefined;
  const quote = (v: string) => JSON.stringify(v);
  return (
    `${file} now holds paths of this machine (${names}): to keep them out of git, add .mcp.json to .git/info/exclude, ` +
    `or remove its "taskhooks" entry and add the server for yourself only: claude mcp add --scope local taskhooks -- ${quote(mine.node)} ${quote(mine.cli)} mcp`
  );
}

/**
 * What only some agents' files take: Copilot CLI's format version; OpenCode's plugin for its opencode.json, with the
 * task tools where the embedded store is the source.
 */
function agentInputs(agent: AgentAdapter, t: { node: string; root: string }, settings: Settings) {
  if (agent.format === 'copilot') return { formatVersion: 1 };
  if (agent.id !== 'opencode') return {};
  return { opencode: opencodeWiring(t.node, t.root, settings.source.plan.kind === 'embedded') };
}

/** The embedded store's task tools in the agent's own MCP servers, where it keeps them (not Claude Code's). */
function agentServer(o: InstallOptions, settings: Settings, t: { node: string; root: string }) {
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
function claudeServer(
  o: InstallOptions,
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

/**
 * Codex's and Gemini CLI's project hooks (and Codex's task tools) name this machine's node and checkout too, in files
 * teams may commit: said of each as for `.mcp.json`, with the line that keeps it out of git (and out of the context's
 * untracked count).
 */
async function machinePathsNotes(plan: Plan, dir: string, files: readonly string[], names: string): Promise<void> {
  for (const file of new Set(files)) {
    const note = await machinePathsNote(plan, dir, file, names);
    if (note) plan.notes.push(note);
  }
}

async function machinePathsNote(plan: Plan, dir: string, file: string, names: string): Promise<string | undefined> {
  const inProject = !path.relative(dir, file).startsWith('..');
  if (!inProject || !plan.changes.some((c) => c.file === file && c.after !== null)) return undefined;
  if ((await isGitIgnored(file)) !== false) return undefined;
  const relative = path.relative(dir, file);
  return (
    `${file} now holds paths of this machine (${names}): to keep it out of git and of \`git status\`, ` +
    `echo ${JSON.stringify(`/${relative}`)} >> .git/info/exclude`
  );
}

/**
 * What install would change, with its notes. Reads, and writes nothing but the served hooks' token (made once, kept in
 * the state directory) when the transport is http.
 */
export async function planInstall(o: InstallOptions): Promise<Plan> {
  const { dir, home, env, transport, agent } = o;
  const target = agent.configFile(o.scope, dir, env);
  const local = settingsFile('local', dir, env);
  const settings = await projectSettings(dir, env, o.source);
  const root = distRoot();
  const node = process.execPath;
  const agentMcp = agentServer(o, settings, { node, root });
  const markTargets = confineToProject(dir, env, [
    target,
    local,
    mcpJsonFile(dir),
    projectConfigFile(dir),
    ...(agentMcp ? [agentMcp.file] : []),
  ]);
  const served = transport === 'http' ? servedEndpoint(home, settings) : undefined;
  const viaMcp = transport === 'mcp' && agent.id === 'claude';
  const mcpServer = claudeServer(o, settings, { node, root }, served);
  const plan = planInstallChanges({
    settingsFile: target,
    hooks:
      agent.id === 'claude'
        ? withIdleRewake(desiredHooks(served ? { node, root, transport, served } : { node, root, transport }), {
            node,
            root,
          })
        : desiredAgentHooks(agent, { node, root }),
    statusLine: desiredStatusLine(node, root),
    addStatusLine: o.statusLine,
    secretSettings: transport === 'http',
    mcpJsonFile: mcpJsonFile(dir),
    ...(mcpServer ? { mcpServer } : {}),
    // Claude Code asks before it connects a server of .mcp.json: install is the person's yes.
    ...(viaMcp || (mcpServer && transport === 'http') ? { approvalFile: local } : {}),
    projectConfigFile: projectConfigFile(dir),
    source: o.source,
    ...(agentMcp ? { agentMcp } : {}),
    ...agentInputs(agent, { node, root }, settings),
  });
  if (served && (await isGitIgnored(target)) === false)
    plan.notes.push(
      `${target} holds the hook token but git does not ignore it: add ".claude/settings.local.json" to .gitignore`,
    );
  const mcpNote =
    mcpServer &&
    (await mcpJsonNote(
      plan,
      mcpJsonFile(dir),
      mcpServer.type === 'stdio' ? `${mcpServer.command}, ${mcpServer.args[0] as string}` : mcpServer.url,
      { node, cli: `${root}/dist/cli.js` },
    ));
  if (mcpNote) plan.notes.push(mcpNote);
  if (agent.id !== 'claude')
    await machinePathsNotes(plan, dir, [target, ...(agentMcp ? [agentMcp.file] : [])], `${node}, ${root}/dist`);
  markTargets(plan);
  if (o.source.found) plan.notes.push(`the ${o.source.adapter} source: found ${o.source.found}`);
  const approval = approvalLine(agent, { dir, scope: o.scope, file: target });
  if (approval) plan.notes.push(approval);
  return plan;
}

/**
 * Writes the plan (backups first), keeps the trust of what it wrote and registers the project with the monitor,
 * waking it for a new one. The plan's notes gain what the person should know about trust.
 */
export async function applyInstall(o: InstallOptions, plan: Plan, log: Logger): Promise<AppliedChange[]> {
  const { dir, home } = o;
  const applied = applyPlan(plan.changes);
  log.info({ project: dir, scope: o.scope, transport: o.transport, changes: applied }, 'install applied');
  plan.notes.push(...keepTrust(home, plan.changes, projectConfigFile(dir)));
  const { settings: registered } = await loadSettings({ cwd: dir, env: o.env });
  const isNew = withCache({ home, log }, (cache) =>
    registerProject(cache, {
      root: dir,
      name: resolveScope(registered.project, dir, '').project,
      sourceKey: registered.source.key,
      registeredBy: 'install',
    }),
  );
  if (isNew) wakeMonitor(home, log, 'new project');
  return applied;
}

export type MonitorState = {
  state: 'running' | 'started' | 'not-started' | 'disabled';
  pid?: number;
  /** The code it runs, in words (monitorCode), once it has said. */
  code?: string;
  /** The line saying that code is not this command's, when it is not: a monitor of another copy is never adopted silently. */
  other?: string;
};

/** How long install waits for a monitor it started to listen: the first session after it finds the monitor up. */
const MONITOR_UP_MS = 10_000;

/** Starts the monitor unless one runs, waits (bounded) for one it started to publish where it serves, and says which. */
export async function startMonitor(home: string, log: Logger): Promise<MonitorState> {
  const r = ensureMonitorRunning(home, log);
  const state: MonitorState = { state: r.started ? 'started' : r.running ? 'running' : 'not-started' };
  if (r.pid !== undefined) state.pid = r.pid;
  if (r.started && r.pid !== undefined) {
    const deadline = Date.now() + MONITOR_UP_MS;
    while (readMonitorInfo(home)?.pid !== r.pid && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
  }
  const info = readMonitorInfo(home);
  if (info) {
    state.code = monitorCode(info);
    const other = otherMonitorCode(info);
    if (other) state.other = otherMonitorLine(other);
  }
  return state;
}
