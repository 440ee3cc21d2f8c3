// Install and uninstall as data: the files that would change and how, so `--dry-run` can show it and write nothing.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { formatJson, readJsonDoc, sameJson, type JsonDoc, type JsonObject } from '../../files/json-doc.js';
import {
  approvesServer,
  hasTaskhooksHooks,
  refuseForeignHandlers,
  withServerApproval,
  withTaskhooksHooks,
  type EventEntries,
} from '../writing/settings.js';
import { hasTaskhooksStatusLine, withTaskhooksStatusLine, type StatusLineSetting } from '../writing/status-line.js';
import { hasTaskhooksServer, withTaskhooksServer, type TaskhooksServer } from '../writing/mcp-json.js';
import { MCP_SERVERS_KEY } from '../../agents/agent.js';
import { MCP_SERVER_NAME } from '../../hooks/hosts/mcp-tool-input.js';
import type { AgentId } from '../../agents/agent.js';
import { withSource, type SourceChoice } from '../writing/project-config.js';
import { AGENT_PLUGINS, loadsTaskhooksPlugin, type AgentPlugin, type PluginWiring } from '../../agents/index.js';
import { hasTomlServer, parseToml, readTomlDoc, withTomlServer } from '../writing/toml-doc.js';
import { parseJsonFile } from '../../util/json.js';
import { isJsonObject } from '../../util/object.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../../util/safe-read.js';
import { backupPlace, replannable, type FileChange } from '../../files/file-change.js';
import { listAt, refusingIn } from './refusals.js';
import type { AgentServer } from '../writing/agent-wiring.js';

export { BACKUP_MARK, type FileAction, type FileChange } from '../../files/file-change.js';

export interface Plan {
  changes: FileChange[];
  /** An agent's `taskhooks` entry for a project in its `localTools` file: set, or taken out (no entry). */
  localServer?: { agent: AgentId; project: string; entry?: JsonObject };
  /** Things a person should know that are not file changes (kept config, a status line of their own…). */
  notes: string[];
  /**
   * Files of the project the plan writes this machine's paths or the hook token into and git does not ignore:
   * install says them once for every agent, and `--git-exclude` adds them to .git/info/exclude.
   */
  keepOut?: string[];
}

/** `mode` for a file that does not exist yet; settings that carry the hook token are the user's alone. */
function change(doc: JsonDoc, next: JsonObject | null, newMode: number, restoreText?: string): FileChange | undefined {
  if (next === null) {
    if (doc.text === null) return undefined;
    return {
      file: doc.file,
      action: 'remove',
      before: doc.text,
      after: null,
      mode: doc.mode ?? newMode,
      backup: false,
    };
  }
  if (doc.text !== null && sameJson(doc.value, next) && restoreText === undefined) return undefined;
  const after = restoreText ?? formatJson(next, doc.style);
  if (after === doc.text) return undefined;
  return {
    file: doc.file,
    action: doc.text === null ? 'create' : 'update',
    before: doc.text,
    after,
    mode: doc.mode ?? newMode,
    backup: doc.text !== null,
  };
}

/** A mode-only update for an unchanged file that group or others can still read (an install before this rule). */
function tightened(doc: { file: string; text: string | null; mode?: number }): FileChange | undefined {
  if (doc.text === null || doc.mode === undefined || (doc.mode & 0o077) === 0) return undefined;
  return { file: doc.file, action: 'update', before: doc.text, after: doc.text, mode: 0o600, backup: false };
}

export interface InstallInputs {
  settingsFile: string;
  /** By event: Claude Code's (DesiredHooks) or another agent's (../writing/agent-hooks.ts). */
  hooks: Readonly<Record<string, EventEntries>>;
  /** The `version` a hooks file of its own format starts with (Copilot CLI's). */
  formatVersion?: number;
  /** taskhooks' status line: kept current where the file has it, added only with `addStatusLine`. */
  statusLine: StatusLineSetting;
  addStatusLine: boolean;
  /** Set when the settings carry the served-hooks token. */
  secretSettings: boolean;
  mcpJsonFile: string;
  /** The `taskhooks mcp` entry: the hooks' server under the mcp transport, and the embedded store's tools. */
  mcpServer?: TaskhooksServer;
  /** The settings file that approves that server for this person (the local one), when the hooks call it. */
  approvalFile?: string;
  /** `.mcp.json`, when taskhooks' old entry there is to be taken out (with the approval install gave it). */
  moveOutOf?: { mcpJsonFile: string; approvalFile: string };
  /** The task tools in another agent's own MCP servers (the user's own file, JSON or TOML), and where they were. */
  agentMcp?: AgentServer;
  projectConfigFile: string;
  source: SourceChoice;
  /** The agent's plugin, which its settings file takes instead of hooks, and its entry for this taskhooks. */
  plugin?: { agent: AgentPlugin; wiring: PluginWiring };
  /** The settings file is taskhooks' own (Copilot CLI's taskhooks.json): every handler in it must be install's. */
  ownFile?: boolean;
}

/** The settings with taskhooks' wiring: the agent's plugin, else the hooks. */
function wired(inputs: InstallInputs, value: JsonObject): JsonObject {
  if (inputs.ownFile) refuseForeignHandlers(value);
  const { plugin } = inputs;
  return plugin ? plugin.agent.withWiring(value, plugin.wiring, listAt) : withTaskhooksHooks(value, inputs.hooks);
}

/** The settings file's value with everything install puts there; a refusal names the file. */
function settingsValue(inputs: InstallInputs, doc: JsonDoc): JsonObject {
  return refusingIn(inputs.settingsFile, () => {
    const { agentMcp } = inputs;
    let value = inputs.approvalFile === inputs.settingsFile ? withServerApproval(doc.value, true) : doc.value;
    if (inputs.moveOutOf?.approvalFile === inputs.settingsFile) value = withServerApproval(value, false);
    if (inputs.formatVersion !== undefined && value.version === undefined)
      value = { version: inputs.formatVersion, ...value };
    if (agentMcp?.file === inputs.settingsFile) value = withTaskhooksServer(value, agentMcp.entry, agentMcp.table);
    else if (agentMcp?.formerFile === inputs.settingsFile)
      value = withTaskhooksServer(value, undefined, agentMcp.table);
    return wired(inputs, value);
  });
}

/** taskhooks' old entry taken out of .mcp.json, and the approval install gave it, where the settings file is another. */
function movedOut(inputs: InstallInputs): FileChange[] {
  const { moveOutOf } = inputs;
  if (!moveOutOf) return [];
  const approval =
    moveOutOf.approvalFile === inputs.settingsFile
      ? undefined
      : replannable(() => {
          const local = readJsonDoc(moveOutOf.approvalFile);
          return local.text === null ? undefined : change(local, withServerApproval(local.value, false), 0o644);
        });
  const server = replannable(() => {
    const mcp = readJsonDoc(moveOutOf.mcpJsonFile);
    return planRemoval(mcp, withTaskhooksServer(mcp.value), hasTaskhooksServer);
  });
  return [approval, server].filter((c) => c !== undefined);
}

/** The settings file's change, and whether it keeps a status line of the user's own (`line`). */
function settingsChange(inputs: InstallInputs, line: { keptTheirs: boolean }): FileChange | undefined {
  const settings = readJsonDoc(inputs.settingsFile);
  const { agentMcp } = inputs;
  const wiredLine = withTaskhooksStatusLine(settingsValue(inputs, settings), inputs.statusLine, inputs.addStatusLine);
  line.keptTheirs = wiredLine.keptTheirs;
  // The settings file may take the agent's task tools, with the store token (a user-scope install of Gemini CLI).
  const secretSettings = inputs.secretSettings || (agentMcp?.secret === true && agentMcp.file === inputs.settingsFile);
  const s = change(settings, wiredLine.settings, secretSettings ? 0o600 : 0o644);
  // The token must not sit in a file others can read, whatever mode the user's settings.local.json had before.
  if (secretSettings) return s ? { ...s, mode: 0o600 } : tightened(settings);
  return s;
}

/** `file` changed by `next` (of its value), planned again from the file as it is when written. */
function jsonChange(file: string, next: (value: JsonObject) => JsonObject, newMode: number): FileChange | undefined {
  return replannable(() => {
    const doc = readJsonDoc(file);
    return change(
      doc,
      refusingIn(file, () => next(doc.value)),
      newMode,
    );
  });
}

export function planInstallChanges(inputs: InstallInputs): Plan {
  const changes: FileChange[] = [];
  const notes: string[] = [];
  const approveHere = inputs.approvalFile === inputs.settingsFile;
  const { agentMcp } = inputs;
  const line = { keptTheirs: false };
  const s = replannable(() => settingsChange(inputs, line));
  if (line.keptTheirs)
    notes.push(
      `${inputs.settingsFile} already has a status line of its own: left it as it is (docs/statusline.md shows how to run both)`,
    );
  if (s) changes.push(s);
  if (inputs.approvalFile && !approveHere) {
    const a = jsonChange(inputs.approvalFile, (value) => withServerApproval(value, true), 0o644);
    if (a) changes.push(a);
  }
  changes.push(...movedOut(inputs));
  const { source } = inputs;
  if (source.server || source.adapter) {
    const c = jsonChange(inputs.projectConfigFile, (value) => withSource(value, source), 0o644);
    if (c) changes.push(c);
  }
  if (agentMcp) changes.push(...agentServerChanges(agentMcp, inputs.settingsFile));
  const server = inputs.mcpServer;
  if (server) {
    const m = jsonChange(inputs.mcpJsonFile, (value) => withTaskhooksServer(value, server), 0o644);
    if (m) changes.push(m);
  }
  return { changes, notes };
}

/**
 * The agent's task tools set in its user's own file (0600 once it holds the store token) and taken out of where an
 * earlier install put them, each where the settings file does not already take that part.
 */
function agentServerChanges(agentMcp: AgentServer, settingsFile: string): FileChange[] {
  const { file, entry, formerFile, secret, table } = agentMcp;
  if (agentMcp.format === 'toml') {
    const set = replannable(() => {
      const t = planTomlServer(file, entry);
      if (t) return secret ? { ...t, mode: 0o600 } : t;
      return secret ? tightened(readTomlDoc(file)) : undefined;
    });
    const former = formerFile ? replannable(() => planTomlServer(formerFile, undefined)) : undefined;
    return [set, former].filter((c) => c !== undefined);
  }
  const set =
    file === settingsFile
      ? undefined
      : replannable(() => {
          const doc = readJsonDoc(file);
          const m = change(
            doc,
            refusingIn(file, () => withTaskhooksServer(doc.value, entry, table)),
            secret ? 0o600 : 0o644,
          );
          return m && secret ? { ...m, mode: 0o600 } : (m ?? (secret ? tightened(doc) : undefined));
        });
  const former =
    formerFile && formerFile !== settingsFile
      ? replannable(() => {
          const doc = readJsonDoc(formerFile);
          const stripped = withTaskhooksServer(doc.value, undefined, table);
          return planRemoval(doc, stripped, (v) => hasTaskhooksServer(v, table));
        })
      : undefined;
  return [set, former].filter((c) => c !== undefined);
}

/**
 * taskhooks' server set in a TOML config (Codex's config.toml), or taken out when `entry` is undefined: out, the file
 * gets its bytes back from install's backup when nothing else changed since, and one that held nothing else goes.
 */
function planTomlServer(file: string, entry: JsonObject | undefined, stateBackups?: string): FileChange | undefined {
  const doc = readTomlDoc(file);
  const text = refusingIn(file, () => withTomlServer(doc, entry));
  if (text === doc.text || text === null) return undefined;
  const before = doc.text;
  // A new config.toml is the user's alone: Codex keeps servers' environment, tokens among it, there.
  const base = { file, before, mode: doc.mode ?? 0o600 };
  if (entry) return { ...base, action: before === null ? 'create' : 'update', after: text, backup: before !== null };
  const original = matchingBackup(file, parseToml(text, file), hasTomlServer, parseToml, stateBackups);
  if (original !== undefined) return { ...base, action: 'update', after: original, backup: false };
  if (text.trim() === '') return { ...base, action: 'remove', after: null, backup: false };
  return { ...base, action: 'update', after: text, backup: true };
}

/** The newest backup of `file` that holds none of taskhooks' entries and equals `value`: the file as it was. */
function matchingBackup(
  file: string,
  value: JsonObject,
  holdsOurs: (v: JsonObject) => boolean,
  read: (text: string, name: string) => unknown = parseJsonFile,
  stateBackups?: string,
): string | undefined {
  const places = [backupPlace(file), ...(stateBackups === undefined ? [] : [backupPlace(file, stateBackups)])];
  const found: Array<{ name: string; full: string }> = [];
  for (const { dir, prefix } of places) {
    try {
      for (const n of readdirSync(dir))
        if (n.startsWith(prefix)) found.push({ name: n.slice(prefix.length), full: path.join(dir, n) });
    } catch {
      // no such folder: no backup there
    }
  }
  for (const { name, full } of found.sort((a, b) => a.name.localeCompare(b.name)).reverse()) {
    try {
      const text = readTextCapped(full, CONFIG_MAX_BYTES);
      const parsed = read(text, name);
      if (isJsonObject(parsed) && !holdsOurs(parsed) && sameJson(parsed, value)) return text;
    } catch {
      // an unreadable or edited backup is simply not a candidate
    }
  }
  return undefined;
}

/**
 * Takes out what install added. When nothing else changed since, the file gets its original bytes back from the
 * backup install made; a file that held nothing else (install created it) is removed.
 */
function planRemoval(
  doc: JsonDoc,
  stripped: JsonObject,
  holdsOurs: (v: JsonObject) => boolean,
  stateBackups?: string,
): FileChange | undefined {
  if (doc.text === null || sameJson(doc.value, stripped)) return undefined;
  const original = matchingBackup(doc.file, stripped, holdsOurs, parseJsonFile, stateBackups);
  if (original !== undefined) {
    const c = change(doc, stripped, 0o644, original);
    return c && { ...c, backup: false };
  }
  if (Object.keys(stripped).length === 0) return change(doc, null, 0o644);
  return change(doc, stripped, 0o644);
}

/**
 * A file uninstall may take taskhooks out of; undefined for one it cannot parse that does not name taskhooks at all
 * (Gemini CLI's settings with comments, say): nothing of install's is there, and it is left as it is.
 */
function readToTakeOut(file: string): JsonDoc | undefined {
  try {
    return readJsonDoc(file);
  } catch (err) {
    let text: string;
    try {
      text = readTextCapped(file, CONFIG_MAX_BYTES);
    } catch {
      throw err;
    }
    if (text.includes('taskhooks')) throw err;
    return undefined;
  }
}

/** taskhooks taken out of one agent's settings file: hooks, status line, its server (unless kept) and approval. */
function settingsRemoval(
  file: string,
  o: { keepServerIn?: readonly string[]; table: string; foreignServer: boolean; stateBackups?: string },
): FileChange | undefined {
  const doc = readToTakeOut(file);
  if (!doc) return undefined;
  const { table } = o;
  // An agent's own MCP servers may sit in its hooks' settings file (Gemini CLI, Qwen Code, OpenCode's plugin file).
  const hooksOff = withTaskhooksStatusLine(withTaskhooksHooks(doc.value)).settings;
  const hooksOut = o.keepServerIn?.includes(file) ? hooksOff : withTaskhooksServer(hooksOff, undefined, table);
  const unwired = AGENT_PLUGINS.reduce((config, p) => p.without(config), hooksOut);
  const cleared = o.foreignServer ? unwired : withServerApproval(unwired, false);
  // A hooks file of its own format (Copilot CLI's) left with nothing but its version held only taskhooks'.
  const onlyVersion = hasTaskhooksHooks(doc.value) && Object.keys(cleared).every((k) => k === 'version');
  const stripped = onlyVersion ? {} : cleared;
  return planRemoval(
    doc,
    stripped,
    (v) =>
      hasTaskhooksHooks(v) ||
      hasTaskhooksStatusLine(v) ||
      approvesServer(v) ||
      hasTaskhooksServer(v, table) ||
      loadsTaskhooksPlugin(v),
    o.stateBackups,
  );
}

export function planUninstallChanges(inputs: {
  settingsFiles: string[];
  mcpJsonFile: string;
  projectConfigFile: string;
  /** Agents' own MCP server files to take taskhooks' entry out of (a user-level one: the last project's uninstall). */
  serverFiles?: readonly string[];
  /** Agents' TOML configs (Codex's config.toml) to take taskhooks' server table out of. */
  tomlServerFiles?: readonly string[];
  /** Settings files whose task tools entry stays (the user's own, still serving other projects). */
  keepServerIn?: readonly string[];
  /** The key of a file's servers where it is not `mcpServers` (OpenCode's `mcp`), by file. */
  tables?: ReadonlyMap<string, string>;
  /** The state directory's backups of files holding a secret (see apply.ts). */
  stateBackups?: string;
}): Plan {
  const changes: FileChange[] = [];
  const mcp = readJsonDoc(inputs.mcpJsonFile);
  // A server of the user's own under the name keeps its approval; taskhooks' goes with its entry.
  const servers = isJsonObject(mcp.value.mcpServers) ? mcp.value.mcpServers : {};
  const foreignServer = servers[MCP_SERVER_NAME] !== undefined && !hasTaskhooksServer(mcp.value);
  const tableOf = (file: string) => inputs.tables?.get(file) ?? MCP_SERVERS_KEY;
  for (const file of inputs.settingsFiles) {
    const c = replannable(() => settingsRemoval(file, { ...inputs, table: tableOf(file), foreignServer }));
    if (c) changes.push(c);
  }
  for (const file of [inputs.mcpJsonFile, ...(inputs.serverFiles ?? [])]) {
    const table = tableOf(file);
    const m = replannable(() => {
      const doc = readToTakeOut(file);
      if (!doc) return undefined;
      const stripped = withTaskhooksServer(doc.value, undefined, table);
      return planRemoval(doc, stripped, (v) => hasTaskhooksServer(v, table), inputs.stateBackups);
    });
    if (m) changes.push(m);
  }
  const notes: string[] = [];
  for (const file of inputs.tomlServerFiles ?? []) {
    const t = replannable(() => planTomlServer(file, undefined, inputs.stateBackups));
    if (t) changes.push(t);
  }
  const cfg = readJsonDoc(inputs.projectConfigFile);
  if (cfg.text !== null)
    notes.push(
      `kept ${inputs.projectConfigFile}: it is your task-source configuration, not wiring; delete it if you no longer want it`,
    );
  return { changes, notes };
}
