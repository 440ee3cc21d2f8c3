// `taskhooks uninstall` as two steps the command calls: what would be taken out, and taking it out. A monitor left with
// no project is pointed out, not stopped.
import { listProjects, unregisterProject, withCache } from '../cache/index.js';
import { hookTokenVar, readLiveOwner, wakeMonitor } from '../home/index.js';
import type { Logger } from '../log/logger.js';
import {
  applyLocalServer,
  applyPlan,
  foldersMadeAbove,
  hasLocalServer,
  hasOwnServedHooks,
  hasTaskhooksHooks,
  hookTokenChange,
  removeFoldersMade,
  withHookToken,
  stateBackupsIn,
  writesIn,
  type AppliedChange,
} from './writing/index.js';
import { confineToProject } from './planning/confine.js';
import { readJsonDoc, type JsonObject } from '../files/json-doc.js';
import { replannable, type FileChange } from '../files/file-change.js';
import { mcpJsonFile, projectConfigFile, SCOPES, settingsFile, type SettingsScope } from './paths.js';
import { AGENTS, loadsTaskhooksPlugin, type AgentAdapter } from '../agents/index.js';
import { planUninstallChanges, type Plan } from './planning/plan.js';
import { keepTrust } from './trust.js';
import { excludeRemoval } from './git/info-exclude.js';

export interface UninstallOptions {
  /** The project (absolute). */
  dir: string;
  /** The settings files to take taskhooks out of: these scopes of these agents' configuration. */
  scopes: readonly SettingsScope[];
  agents: readonly AgentAdapter[];
  home: string;
  env: NodeJS.ProcessEnv;
  /** The repository's exclude file (./git/info-exclude.ts), confined to its git directory; undefined outside git. */
  excludeFile?: string | undefined;
}

export interface UninstallOutcome {
  applied: AppliedChange[];
  /** The project left the monitor: no settings file wires it any more. */
  unregistered: boolean;
  /** The monitor still runs with no project left. */
  monitorIdle: boolean;
  /** The idle monitor's process, where monitorIdle. */
  monitorPid?: number | undefined;
}

/** Every configuration file of these agents in these scopes (the ones each agent has). */
function agentFiles(
  agents: readonly AgentAdapter[],
  scopes: readonly SettingsScope[],
  dir: string,
  env: NodeJS.ProcessEnv,
): string[] {
  const files = agents.flatMap((a) => scopes.filter((s) => a.scopes.includes(s)).map((s) => a.configFile(s, dir, env)));
  return [...new Set(files)];
}

/**
 * Whether a file holds taskhooks' hooks (or an agent's plugin); one that cannot be read is counted as holding them, the
 * safe side here.
 */
function holdsHooks(file: string): boolean {
  try {
    const { value } = readJsonDoc(file);
    return hasTaskhooksHooks(value) || loadsTaskhooksPlugin(value);
  } catch {
    return true;
  }
}

/** Whether the user's own entry of `a`'s task tools goes: one entry serves every project. */
function userEntryGoes(o: UninstallOptions, a: AgentAdapter, others: () => string[]): boolean {
  // `--scope user` alone; an uninstall of every scope is this project's, and the others keep the entry.
  if (o.scopes.every((s) => s === 'user')) return true;
  if (!o.scopes.some((s) => a.scopes.includes(s))) return false;
  return !others().some((root) => a.scopes.some((s) => holdsHooks(a.configFile(s, root, o.env))));
}

/**
 * The files to take these agents' task tools out of, by format: their user's own file with `--scope user` or when no
 * other registered project keeps the agent's hooks, and where an earlier install put them for these scopes. `kept`:
 * the user's own files whose entry stays, though they are also a settings file uninstall takes hooks out of.
 */
function serverFiles(
  o: UninstallOptions,
  log: Logger,
): { json: string[]; toml: string[]; kept: string[]; tables: Map<string, string>; others: () => string[] } {
  let roots: string[] | undefined;
  const others = () =>
    (roots ??= withCache({ home: o.home, log }, (cache) => listProjects(cache))
      .map((p) => p.root)
      .filter((root) => root !== o.dir));
  const out = {
    json: [] as string[],
    toml: [] as string[],
    kept: [] as string[],
    tables: new Map<string, string>(),
    others,
  };
  for (const a of o.agents) {
    const { mcp } = a;
    if (!mcp) continue;
    const user = mcp.userFile(o.env);
    const files = o.scopes.filter((s) => a.scopes.includes(s)).map((s) => mcp.file(s, o.dir, o.env));
    const goes = userEntryGoes(o, a, others);
    const all = [...new Set([...files.filter((f) => f !== user), ...(goes ? [user] : [])])];
    out[mcp.format === 'toml' ? 'toml' : 'json'].push(...all);
    // The project's file of the scope too: a settings file of this uninstall, whose servers it takes out.
    for (const f of [...all, ...files]) if (mcp.table) out.tables.set(f, mcp.table);
    if (!goes) out.kept.push(user);
  }
  return out;
}

/** The files a plan removes, by their name and, through a link, where they really were. */
const removedPaths = (plan: Plan): string[] =>
  plan.changes.filter((c) => c.action === 'remove').flatMap((c) => [c.file, ...(c.target ? [c.target] : [])]);

/**
 * Whether the hook token leaves the user's own settings: Claude Code's local hooks go here, and no other registered
 * project's local settings still post with it (one that cannot be read is counted as posting).
 */
function hookTokenGoes(o: UninstallOptions, others: () => string[]): boolean {
  if (!o.agents.some((a) => a.id === 'claude') || !o.scopes.includes('local')) return false;
  return !others().some((root) => {
    try {
      return hasOwnServedHooks(readJsonDoc(settingsFile('local', root, o.env)).value);
    } catch {
      return true;
    }
  });
}

/** `made`, the change of the user's settings `file` (if any), with the hook token taken out too. */
function withoutHookToken(made: FileChange | undefined, file: string, name: string): FileChange | undefined {
  if (!made) return hookTokenChange(file, name, undefined);
  if (made.after === null) return made;
  const next = withHookToken(JSON.parse(made.after) as JsonObject, name, undefined);
  if (Object.keys(next).length > 0) return { ...made, after: `${JSON.stringify(next, null, 2)}\n` };
  return { ...made, action: 'remove', after: null };
}

/** The hook token taken out of the user's settings, within the change the plan already makes there, if any. */
function takeOutHookToken(plan: Plan, file: string, name: string): void {
  const k = plan.changes.findIndex((c) => c.file === file);
  const made = plan.changes[k];
  const c = withoutHookToken(made, file, name);
  if (!c) return;
  // Planned again, the file's other change is planned again first.
  const again = made?.replan;
  const out = { ...c, replan: () => withoutHookToken(again?.(), file, name) };
  if (made) plan.changes[k] = out;
  else plan.changes.push(out);
}

/** What uninstall would change, with its notes; reads only. */
export function planUninstall(o: UninstallOptions, log: Logger): Plan {
  const { dir, env } = o;
  const settingsFiles = agentFiles(o.agents, o.scopes, dir, env);
  const servers = serverFiles(o, log);
  const markTargets = confineToProject(dir, env, [
    ...settingsFiles,
    mcpJsonFile(dir),
    projectConfigFile(dir),
    ...servers.json,
    ...servers.toml,
    settingsFile('user', dir, env),
  ]);
  const plan = planUninstallChanges({
    settingsFiles,
    mcpJsonFile: mcpJsonFile(dir),
    projectConfigFile: projectConfigFile(dir),
    serverFiles: servers.json.filter((f) => !settingsFiles.includes(f)),
    tomlServerFiles: servers.toml,
    keepServerIn: servers.kept,
    tables: servers.tables,
    stateBackups: stateBackupsIn(o.home),
  });
  markTargets(plan);
  // The exclude lines go once nothing of taskhooks is left to keep out: with every scope and agent only.
  const { excludeFile } = o;
  const exclude =
    excludeFile && o.scopes.length === SCOPES.length && o.agents.length === Object.keys(AGENTS).length
      ? replannable(() => excludeRemoval(excludeFile))
      : undefined;
  if (exclude) plan.changes.push(exclude);
  if (hookTokenGoes(o, servers.others)) takeOutHookToken(plan, settingsFile('user', dir, env), hookTokenVar(o.home));
  // An agent's task tools for this project in the person's own file (Claude Code's): taken out with its hooks.
  const local = o.agents.find((a) => hasLocalServer(a, env, dir));
  if (local) plan.localServer = { agent: local.id, project: dir };
  const removed = removedPaths(plan);
  const folders = foldersMadeAbove(o.home, removed, log);
  if (folders.length > 0) plan.notes.push(`${FOLDERS_NOTE}${folders.join(', ')}`);
  return plan;
}

/** How the plan names the folders it will take away; once they are gone, the list of what changed names them. */
/** The start of the note that names a monitor left with no project: the summary says it in its own line. */
export const MONITOR_IDLE_NOTE = 'no project is registered any more, but the monitor still runs ';
export const FOLDERS_NOTE = 'then removes the folders install made, each once nothing else is in it: ';

/**
 * Writes the plan and, once no settings file wires the project, unregisters it from the monitor. The plan's notes
 * gain what the person should know: trust, and a monitor left with nothing to watch.
 */
export function applyUninstall(o: UninstallOptions, plan: Plan, log: Logger): UninstallOutcome {
  const { dir, home } = o;
  const writes = writesIn(home);
  const applied = applyPlan(plan.changes, writes);
  const local = applyLocalServer(plan, o.env, writes.stateBackups);
  if (local) applied.push(local);
  const removed = removedPaths(plan);
  // The folders go in the list of what changed, after the files that were in them.
  for (const folder of removeFoldersMade(home, removed, log)) applied.push({ file: `${folder}/`, action: 'remove' });
  log.info({ project: dir, scopes: o.scopes, changes: applied }, 'uninstall applied');
  plan.notes.push(...keepTrust(home, plan.changes, projectConfigFile(dir)));
  // Another agent's file this uninstall did not take apart (a Gemini CLI one with comments, say) is read, never judged.
  const stillWired = agentFiles(Object.values(AGENTS), SCOPES, dir, o.env).some(holdsHooks);
  const { unregistered, projectsLeft } = stillWired
    ? { unregistered: false, projectsLeft: undefined }
    : withCache({ home, log }, (cache) => ({
        unregistered: unregisterProject(cache, dir),
        projectsLeft: listProjects(cache).length,
      }));
  // The monitor stops watching the repository at once instead of at its next cycle.
  if (unregistered) wakeMonitor(home, log, 'project unregistered');
  // Stopping it is the user's call (a session anywhere may register a project with it again): say how.
  const monitor = unregistered && projectsLeft === 0 ? readLiveOwner(home) : undefined;
  if (monitor) plan.notes.push(`${MONITOR_IDLE_NOTE}(pid ${monitor.pid}): \`taskhooks monitor stop\` stops it`);
  return { applied, unregistered, monitorIdle: monitor !== undefined, monitorPid: monitor?.pid };
}
