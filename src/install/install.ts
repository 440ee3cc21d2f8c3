// `taskhooks install` as two steps the command calls: what would change (every target confined to the project, the
// notes a person should read) and, unless it is a dry run, applying it and telling the monitor of the project. What
// each agent's files get is `agent-wiring.ts`; where http hooks reach the monitor, `src/home/endpoint.ts`.
import { type AgentAdapter, shownFile } from '../agents/agent.js';
import { anyGuard, loadSettings, resolveSettings, type Settings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import {
  agentHooks,
  agentInputs,
  agentServer,
  applyLocalServer,
  applyPlan,
  desiredStatusLine,
  hookTokenVar,
  localToolsServer,
  mcpJsonServer,
  moveBackupsAside,
  planLocalServer,
  planUserToken,
  recordFoldersMade,
  refuseForeignServers,
  stateBackupsIn,
  writesIn,
  type AppliedChange,
  type HookTransport,
  type ServedEndpoint,
  type SourceChoice,
} from './writing/index.js';
import { addClosingNotes } from './planning/closing-notes.js';
import { confineToProject } from './planning/confine.js';
import { distRoot } from './planning/dist-root.js';
import { keepOutOfGit, mcpJsonMoveOut } from './git/commit-notes.js';
import { mcpJsonFile, projectConfigFile, settingsFile, type SettingsScope } from './paths.js';
import { planInstallChanges, type Plan } from './planning/plan.js';
import { registerInstalled } from './endpoint/register.js';
import { currentEndpoint, currentStoreEndpoint, monitorSocketPath, type Endpoint } from '../home/endpoint.js';
import { keepTrust } from './trust.js';
import { bareNodeNote, installNode } from './hook-node.js';

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

/** Where the http hooks post: the endpoint's hook port and token, the home's socket, and whether a guard is on. */
function servedHooks(home: string, endpoint: Endpoint, settings: Settings): ServedEndpoint {
  return {
    port: endpoint.hookPort,
    tokenVar: hookTokenVar(home),
    socket: monitorSocketPath(home),
    guarded: anyGuard(settings.hooks.guards),
  };
}

/** The store server another agent's task tools reach, where the embedded store is the source and one is served. */
function agentStore(o: InstallOptions, settings: Settings) {
  if (!o.agent.mcp || settings.source.plan.kind !== 'embedded') return undefined;
  return currentStoreEndpoint(o.home, settings.monitor);
}

/**
 * What install would change, with its notes. Reads, and writes nothing but the endpoint's tokens (made once, kept in
 * the state directory) when the transport is http.
 */
export async function planInstall(o: InstallOptions): Promise<Plan> {
  const { dir, home, env, transport, agent } = o;
  const target = agent.configFile(o.scope, dir, env);
  const local = settingsFile('local', dir, env);
  const settings = await projectSettings(dir, env, o.source);
  const root = distRoot();
  const node = installNode();
  const endpoint = transport === 'http' ? currentEndpoint(home, settings.monitor) : undefined;
  const userSettings = settingsFile('user', dir, env);
  const agentMcp = agentServer(o, settings, { node, root }, agentStore(o, settings));
  const markTargets = confineToProject(dir, env, [
    target,
    local,
    mcpJsonFile(dir),
    projectConfigFile(dir),
    ...(endpoint ? [userSettings] : []),
    ...(agentMcp ? [agentMcp.file, ...(agentMcp.formerFile ? [agentMcp.formerFile] : [])] : []),
  ]);
  const served = endpoint && servedHooks(home, endpoint, settings);
  refuseForeignServers(agent, mcpJsonFile(dir), agentMcp);
  const localServer = localToolsServer(o, settings, { node, root }, endpoint);
  const viaMcp = mcpJsonServer(o, { node, root });
  const moveOut = agent.id === 'claude' && !viaMcp ? await mcpJsonMoveOut(mcpJsonFile(dir)) : undefined;
  const plan = planInstallChanges({
    settingsFile: target,
    hooks: agentHooks(agent, {
      node,
      root,
      transport,
      served,
      midTurnNews: settings.hooks.midTurnNews,
      socket: { socket: monitorSocketPath(home), guarded: anyGuard(settings.hooks.guards) },
    }),
    statusLine: desiredStatusLine(node, root),
    addStatusLine: o.statusLine,
    secretSettings: transport === 'http',
    mcpJsonFile: mcpJsonFile(dir),
    ...(viaMcp ? { mcpServer: viaMcp, approvalFile: local } : {}),
    ...(moveOut?.move ? { moveOutOf: { mcpJsonFile: mcpJsonFile(dir), approvalFile: local } } : {}),
    projectConfigFile: projectConfigFile(dir),
    source: o.source,
    ...(agentMcp ? { agentMcp } : {}),
    ...agentInputs(agent, { node, root }),
  });
  if (localServer) planLocalServer(plan, agent, dir, { ...localServer }, env);
  if (endpoint) await planUserToken(plan, userSettings, hookTokenVar(home), endpoint.hookToken);
  if (moveOut?.note) plan.notes.push(moveOut.note);
  const bare = bareNodeNote(node, process.platform, agent.windows.runs);
  if (bare) plan.notes.push(bare);
  await keepOutOfGit(
    plan,
    dir,
    [...(served || agent.id !== 'claude' ? [target] : []), ...(viaMcp ? [mcpJsonFile(dir)] : [])],
    agent.id === 'claude' ? local : undefined,
  );
  markTargets(plan);
  addClosingNotes(plan, o, target);
  return plan;
}

/**
 * Writes the plan (backups first), keeps the trust of what it wrote and registers the project with the monitor,
 * waking it for a new one. The plan's notes gain what the person should know about trust.
 */
export async function applyInstall(o: InstallOptions, plan: Plan, log: Logger): Promise<AppliedChange[]> {
  const { dir, home } = o;
  const applied = applyPlan(plan.changes, writesIn(home));
  const moved = moveBackupsAside(settingsFile('local', dir, o.env), stateBackupsIn(home));
  if (moved.length > 0)
    plan.notes.push(
      `moved ${moved.length} backup(s) of ${shownFile({ configFile: settingsFile }, 'local')}, which held the hook token, into ${stateBackupsIn(home)}`,
    );
  const local = applyLocalServer(plan, o.env, stateBackupsIn(home));
  if (local) applied.push(local);
  log.info({ project: dir, scope: o.scope, transport: o.transport, changes: applied }, 'install applied');
  recordFoldersMade(
    home,
    applied.flatMap((a) => a.made ?? []),
    log,
  );
  plan.notes.push(...keepTrust(home, plan.changes, projectConfigFile(dir)));
  await registerInstalled(o, log);
  return applied;
}
