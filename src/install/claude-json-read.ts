// Reading Claude Code's per-user file, ~/.claude.json, where a project's local-scope MCP servers live: apart from
// claude-json.ts, which writes it, so a SessionStart can ask what a session's servers are without the install code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { homeDir } from '../agents/config-home.js';
import { UserError } from '../errors/user.js';
import { isJsonObject } from '../util/object.js';
import type { JsonObject } from './json-doc.js';
import { isTaskhooksLocalEntry } from './mcp-json.js';
import { MCP_SERVER_NAME } from '../hooks/hosts/mcp-tool-input.js';

/** ~/.claude.json, or the one in $CLAUDE_CONFIG_DIR where that is set. */
export function claudeJsonFile(env: NodeJS.ProcessEnv): string {
  const dir = env.CLAUDE_CONFIG_DIR?.trim();
  return dir ? path.join(dir, '.claude.json') : path.join(homeDir(env), '.claude.json');
}

export function readClaudeJson(file: string): JsonObject | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(
      `${file} is not valid JSON (${(err as Error).message}); start \`claude\` once to repair it, then run again — nothing was changed`,
    );
  }
  if (!isJsonObject(value))
    throw new UserError(`${file} does not hold a JSON object; repair it, then run again — nothing was changed`);
  return value;
}

/** A project's local-scope servers in the file's value. */
export function localServers(value: JsonObject | undefined, project: string): JsonObject | undefined {
  const projects = value?.projects;
  const entry = isJsonObject(projects) ? projects[project] : undefined;
  const servers = isJsonObject(entry) ? entry.mcpServers : undefined;
  return isJsonObject(servers) ? servers : undefined;
}

/** The file's value, read without the lock (a snapshot: Claude Code replaces it whole). */
export function readClaudeJsonValue(env: NodeJS.ProcessEnv): JsonObject | undefined {
  return readClaudeJson(claudeJsonFile(env));
}

/**
 * Whether Claude Code's sessions in one of `dirs` get the task tools from the monitor's store server (the local-scope
 * entry install writes), read without the lock; a file that cannot be read counts as no.
 */
export function hasLocalStoreServer(env: NodeJS.ProcessEnv, dirs: readonly string[]): boolean {
  const value = readClaudeJson(claudeJsonFile(env));
  return dirs.some((dir) => isTaskhooksLocalEntry(localServers(value, dir)?.[MCP_SERVER_NAME]));
}
