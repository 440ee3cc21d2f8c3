// What most agents' configurations share: an own home beside the user's (`$QWEN_HOME`, else ~/.qwen), a hooks file
// there for the user scope and in the project's own folder for the project scope, and events that mirror Claude
// Code's one for one. Claude Code's own and Codex's keep their particular shapes in their modules.
import os from 'node:os';
import path from 'node:path';
import type { AgentBinding, AgentConfig, AgentMcp } from './agent.js';

/**
 * The user's home: `$HOME` when set (the tests' and install's own), else the system's. On Windows %USERPROFILE%, where
 * Claude Code and the other agents keep their settings: a HOME set there for Git Bash or an editor may name another.
 */
export function homeDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  return (platform === 'win32' ? env.USERPROFILE : env.HOME)?.trim() || os.homedir();
}

/** An agent's own home: `$<variable>` when set, else `<dir>` in the user's home. */
export function agentHome(dir: string, variable?: string): (env: NodeJS.ProcessEnv) => string {
  return (env) => (variable && env[variable]?.trim()) || path.join(homeDir(env), dir);
}

/** The hooks file: `userFile` in the agent's home for the user scope, `projectFile` below the project otherwise. */
export function homeOrProjectFile(
  home: (env: NodeJS.ProcessEnv) => string,
  userFile: string,
  projectFile: string,
): AgentConfig['configFile'] {
  return (scope, projectDir, env) =>
    scope === 'user' ? path.join(home(env), userFile) : path.join(projectDir, projectFile);
}

/** The agent's names of the events taskhooks' entries run at, where they mirror Claude Code's. */
export interface MirroredEvents {
  sessionStart: string;
  userPrompt: string;
  preTool: string;
  postTool: string;
  sessionEnd: string;
}

/**
 * Each entry at the agent's event of its kind, in install's order. `tools`: the agent's tool names PreToolUse runs
 * for (none: every call). After the call, post-tool-use tells the news and, for another agent than Claude Code, the
 * edit reminder too; `remindAfter` adds pre-tool-use's own run there (OpenCode's plugin asks each entry in turn).
 */
export function mirroredBindings(
  events: MirroredEvents,
  tools?: Record<string, unknown>,
  o: { remindAfter?: boolean } = {},
): AgentBinding[] {
  return [
    { event: events.sessionStart, matcher: '', hooks: ['session-start'] },
    { event: events.userPrompt, matcher: '', hooks: ['user-prompt-submit'] },
    { event: events.preTool, matcher: tools ? Object.keys(tools).join('|') : '', hooks: ['pre-tool-use'] },
    {
      event: events.postTool,
      matcher: '',
      hooks: o.remindAfter ? ['post-tool-use', 'pre-tool-use'] : ['post-tool-use'],
    },
    { event: events.sessionEnd, matcher: '', hooks: ['session-end'] },
  ];
}

/** How `install --agent all` tells the agent is here: its command on the PATH, or its own home. */
export function presenceOf(command: string, home: (env: NodeJS.ProcessEnv) => string): AgentConfig['presence'] {
  return { command, dirs: (env) => [home(env)] };
}

/** What a settings-file agent's configuration has of its own; the rest is that of every such agent. */
export interface SettingsFileAgent {
  command: string;
  /** Its own home, holding its user-scope `settings.json`. */
  home: (env: NodeJS.ProcessEnv) => string;
  /** Its folder in a project, holding the project's `settings.json` (`.qwen`). */
  projectFolder: string;
  userRoot: AgentConfig['userRoot'];
  bindings: readonly AgentBinding[];
  timeoutUnitMs: number;
  /**
   * The key of a streamable http server's URL beside `type: "http"`: Gemini CLI's `url` (its `httpUrl` is
   * deprecated), Qwen Code's `httpUrl` (its `url` is SSE).
   */
  httpUrlKey: 'url' | 'httpUrl';
}

/**
 * An agent that keeps hooks and MCP servers in a `settings.json` of Claude Code's shape, in its home for the user scope
 * or in its folder of the project (Gemini CLI, Qwen Code): servers in `mcpServers` of that file, each `{command,
 * args}` or an http server's (the task tools: in the user's own file); no channel that wakes an idle session.
 */
export function settingsFileConfig(agent: SettingsFileAgent): AgentConfig {
  const configFile = homeOrProjectFile(agent.home, 'settings.json', path.join(agent.projectFolder, 'settings.json'));
  const mcp: AgentMcp = {
    file: configFile,
    userFile: (env) => path.join(agent.home(env), 'settings.json'),
    userLevel: false,
    entry: (command, args) => ({ command, args: [...args] }),
    // `headers` go with every request; `type` also tells taskhooks' own checks the entry is the store server's.
    httpEntry: (url, authorization) => ({
      type: 'http',
      [agent.httpUrlKey]: url,
      headers: { Authorization: authorization },
    }),
  };
  return {
    bindings: agent.bindings,
    timeoutUnitMs: agent.timeoutUnitMs,
    scopes: ['project', 'user'],
    userRoot: agent.userRoot,
    configFile,
    idleWake: false,
    mcp,
    presence: presenceOf(agent.command, agent.home),
  };
}
