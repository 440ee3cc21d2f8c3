// `taskhooks install` as two steps the command calls: what would change (every target confined to the project, the
// notes a person should read) and, unless it is a dry run, applying it and telling the monitor of the project. What
// each agent's files get is `agent-wiring.ts`; where http hooks reach the monitor, `served-endpoint.ts`.
import type { AgentAdapter } from '../agents/agent.js';
import { loadSettings, resolveSettings, type Settings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import { approvalLine } from './agent-approval.js';
import { agentHooks, agentInputs, agentServer, claudeServer } from './agent-wiring.js';
import { applyPlan, type AppliedChange } from './apply.js';
import { confineToProject } from './confine.js';
import { distRoot } from './dist-root.js';
import { keepOutOfGit } from './install-notes.js';
import { mcpJsonFile, projectConfigFile, settingsFile, type SettingsScope } from './paths.js';
import { planInstallChanges, type Plan } from './plan.js';
import type { SourceChoice } from './project-config.js';
import { registerInstalled } from './register.js';
import { servedEndpoint } from './served-endpoint.js';
import type { HookTransport } from './settings.js';
import { desiredStatusLine } from './status-line.js';
import { keepTrust } from './trust.js';

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
    hooks: agentHooks(agent, { node, root, transport, served }),
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
  await keepOutOfGit(plan, dir, [
    ...(served || agent.id !== 'claude' ? [target] : []),
    ...(mcpServer ? [mcpJsonFile(dir)] : []),
    ...(agent.id !== 'claude' && agentMcp ? [agentMcp.file] : []),
  ]);
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
  await registerInstalled(o, log);
  return applied;
}
