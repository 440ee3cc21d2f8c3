// Where Codex reads hooks: `$CODEX_HOME/hooks.json` (default ~/.codex) or a trusted project's `.codex/hooks.json`
// (beside `[hooks]` tables in config.toml, which install leaves alone). Its MCP servers are `[mcp_servers.<name>]`
// tables of `config.toml` in the same two places; install puts the task tools in `$CODEX_HOME/config.toml`, the
// user's own. A stdio server gets a few variables of Codex's environment only (HOME, PATH, …), so that entry forwards
// TASKHOOKS_HOME by name and the server finds the state directory the session's hooks use. It has no SessionEnd (a
// session ends with its process or its idle time) and no channel that wakes an idle session.
import path from 'node:path';
import type { AgentConfig } from '../agent.js';
import { homeDir } from '../config-home.js';

export function codexHome(env: NodeJS.ProcessEnv): string {
  return env.CODEX_HOME?.trim() || path.join(homeDir(env), '.codex');
}

export const codexConfig: AgentConfig = {
  bindings: [
    { event: 'SessionStart', matcher: 'startup|resume|clear|compact', hooks: ['session-start'] },
    { event: 'UserPromptSubmit', matcher: '', hooks: ['user-prompt-submit'] },
    { event: 'PreToolUse', matcher: 'Bash|apply_patch', hooks: ['pre-tool-use'] },
    { event: 'PostToolUse', matcher: '', hooks: ['post-tool-use'] },
    // No SessionEnd: each turn's end writes the session's work record, the last one stands.
    { event: 'Stop', matcher: '', hooks: ['turn-end'] },
  ],
  timeoutUnitMs: 1000,
  scopes: ['project', 'user'],
  userRoot: codexHome,
  configFile(scope, projectDir, env) {
    return scope === 'user' ? path.join(codexHome(env), 'hooks.json') : path.join(projectDir, '.codex', 'hooks.json');
  },
  idleWake: false,
  presence: { command: 'codex', dirs: (env) => [codexHome(env)] },
  mcp: {
    file: (scope, projectDir, env) =>
      path.join(scope === 'user' ? codexHome(env) : path.join(projectDir, '.codex'), 'config.toml'),
    userFile: (env) => path.join(codexHome(env), 'config.toml'),
    userLevel: false,
    format: 'toml',
    entry: (command, args) => ({ command, args: [...args], env_vars: ['TASKHOOKS_HOME'] }),
    // A streamable http server: `url`, and `http_headers` sent as they are on every request. Codex takes `type` too
    // (it reads the transport from `url`), and with it taskhooks' own checks know the store server's entry.
    httpEntry: (url, authorization) => ({ type: 'http', url, http_headers: { Authorization: authorization } }),
  },
};
