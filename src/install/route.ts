// Whether this session can reach the project's `taskhooks` server, and the way back when it cannot. Claude Code
// reports an `mcp_tool` hook whose server is not connected as a hook error on every tool call (checked against
// 2.1.330), so a project whose person disabled the server, or whose .mcp.json lost it, gets the tool-call hooks
// install wrote as commands instead: slower, never failing. SessionStart runs this (a lazy file of its own); Claude
// Code reloads a settings file that changes while it runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EVENT_ARG, isOurMcpToolHandler, MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';
import { isJsonObject } from '../util/object.js';
import { applyPlan } from './apply.js';
import { commandHook, hookScript } from './command-hook.js';
import { formatJson, readJsonDoc, type JsonObject } from './json-doc.js';
import { mcpJsonFile, settingsFile } from './paths.js';

/** The settings files of a project Claude Code merges, the person's own first. */
function settingsFiles(projectDir: string, env: NodeJS.ProcessEnv): string[] {
  return [
    settingsFile('user', projectDir, env),
    settingsFile('project', projectDir, env),
    settingsFile('local', projectDir, env),
  ];
}

const readValue = (file: string): JsonObject | undefined => {
  try {
    return readJsonDoc(file).value;
  } catch {
    return undefined; // a file Claude Code cannot read either does not speak
  }
};

const names = (v: JsonObject | undefined, key: string): unknown[] =>
  Array.isArray(v?.[key]) ? (v[key] as unknown[]) : [];

/** Why the session will not connect the project's `taskhooks` server, or undefined when it will. */
export function serverUnusable(projectDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const mcp = readValue(mcpJsonFile(projectDir));
  if (!isJsonObject(mcp?.mcpServers) || mcp.mcpServers[MCP_SERVER_NAME] === undefined)
    return `${mcpJsonFile(projectDir)} has no "${MCP_SERVER_NAME}" server`;
  const files = settingsFiles(projectDir, env).map((file) => ({ file, value: readValue(file) }));
  const disabled = files.find((f) => names(f.value, 'disabledMcpjsonServers').includes(MCP_SERVER_NAME));
  if (disabled) return `disabledMcpjsonServers in ${disabled.file} names "${MCP_SERVER_NAME}"`;
  const approved = files.some(
    (f) =>
      names(f.value, 'enabledMcpjsonServers').includes(MCP_SERVER_NAME) || f.value?.enableAllProjectMcpServers === true,
  );
  return approved
    ? undefined
    : `no settings file approves the "${MCP_SERVER_NAME}" server of ${mcpJsonFile(projectDir)}`;
}

/** The settings with each of taskhooks' `mcp_tool` hooks replaced by the command of the same event; undefined: none. */
function toolCallsAsCommands(settings: JsonObject, t: { node: string; root: string }): JsonObject | undefined {
  if (!isJsonObject(settings.hooks)) return undefined;
  let changed = false;
  const hooks: JsonObject = {};
  for (const [event, groups] of Object.entries(settings.hooks)) {
    hooks[event] = !Array.isArray(groups)
      ? groups
      : groups.map((group) => {
          if (!isJsonObject(group) || !Array.isArray(group.hooks)) return group;
          return {
            ...group,
            hooks: group.hooks.map((h) => {
              if (!isJsonObject(h) || !isOurMcpToolHandler(h)) return h;
              changed = true;
              const name = String((h.input as JsonObject)[EVENT_ARG]);
              return commandHook(
                t.node,
                `${t.root}/${hookScript(name)}`,
                typeof h.timeout === 'number' ? h.timeout : 5,
              );
            }),
          };
        });
  }
  return changed ? { ...settings, hooks } : undefined;
}

/**
 * Switches the project's settings files that hold taskhooks' `mcp_tool` hooks to commands (each backed up first) when
 * the session cannot reach the server; answers why it switched, or undefined when nothing needed to change.
 */
export function keepToolHooksReachable(
  projectDir: string,
  env: NodeJS.ProcessEnv,
  t: { node: string; root: string },
): { why: string; files: string[] } | undefined {
  const targets = [settingsFile('project', projectDir, env), settingsFile('local', projectDir, env)];
  const docs = targets.flatMap((file) => {
    try {
      const doc = readJsonDoc(file);
      const after = doc.text === null ? undefined : toolCallsAsCommands(doc.value, t);
      return after ? [{ doc, after }] : [];
    } catch {
      return [];
    }
  });
  if (docs.length === 0) return undefined;
  const why = serverUnusable(projectDir, env);
  // The commands must exist before the hooks name them: a moved checkout keeps its failing hooks for install to fix.
  if (!why || !existsSync(path.join(t.root, hookScript('post-tool-use')))) return undefined;
  applyPlan(
    docs.map(({ doc, after }) => ({
      file: doc.file,
      action: 'update' as const,
      before: doc.text,
      after: formatJson(after, doc.style),
      mode: doc.mode ?? 0o644,
      backup: true,
    })),
  );
  return { why, files: docs.map((d) => d.doc.file) };
}
