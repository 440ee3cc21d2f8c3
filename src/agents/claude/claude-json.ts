// Reading Claude Code's per-user file, ~/.claude.json, where a project's local-scope MCP servers live, and knowing the
// store server's entry there: apart from install's claude-json.ts, which writes it, so a SessionStart can ask what a
// session's servers are without the install code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MCP_SERVER_NAME } from '../agent.js';
import { homeDir } from '../config-home.js';
import { UserError } from '../../errors/user.js';
import { isJsonObject } from '../../util/object.js';
import { inHomeFolder, type Reader, readerNow } from '../../util/shown.js';

type JsonObject = Record<string, unknown>;

/** The URL of a monitor's store server, as install writes it into an entry. */
export const SERVED_URL = /^http:\/\/127\.0\.0\.1:\d+\/mcp$/;

/**
 * The store server in a project's local scope of ~/.claude.json: a static header, which needs no trust and runs
 * nothing. An earlier install also wrote a `headersHelper` (perl reading /proc before each connection); the store
 * server now closes every other user's connection itself, so install and a port move write the entry without it.
 */
export interface LocalHttpServer {
  type: 'http';
  url: string;
  headers: { Authorization: string };
  headersHelper?: string;
}

/** The monitor's store server on `port`, with the token good there. */
export function localMcpEntry(port: number, token: string): LocalHttpServer {
  return { type: 'http', url: `http://127.0.0.1:${port}/mcp`, headers: { Authorization: `Bearer ${token}` } };
}

/** The guard an earlier install wrote (perl hooks/store-guard.pl of some taskhooks folder), still taskhooks' own. */
const EARLIER_GUARD = /^perl (?:'[^']*\/hooks\/store-guard\.pl'|[\w.@%+=:,/-]*\/hooks\/store-guard\.pl)$/;

/** A local-scope entry taskhooks wrote: the store server's URL with a bearer header, perhaps with an earlier guard. */
export function isTaskhooksLocalEntry(entry: unknown): entry is LocalHttpServer {
  return (
    isJsonObject(entry) &&
    entry.type === 'http' &&
    typeof entry.url === 'string' &&
    SERVED_URL.test(entry.url) &&
    isJsonObject(entry.headers) &&
    typeof entry.headers.Authorization === 'string' &&
    (entry.headersHelper === undefined ||
      (typeof entry.headersHelper === 'string' && EARLIER_GUARD.test(entry.headersHelper))) &&
    Object.keys(entry).every((k) => ['type', 'url', 'headers', 'headersHelper'].includes(k))
  );
}

/** How help and messages name Claude Code's own per-user file: `~/.claude.json`, on Windows its real path. */
export const claudeJsonShown = (reader: Reader = readerNow()): string => inHomeFolder(['.claude.json'], reader);

/** ~/.claude.json, or the one in $CLAUDE_CONFIG_DIR where that is set. */
export function claudeJsonFile(env: NodeJS.ProcessEnv): string {
  const dir = env.CLAUDE_CONFIG_DIR?.trim();
  return dir ? path.join(dir, '.claude.json') : path.join(homeDir(env), '.claude.json');
}

/** The file's text; undefined when there is none. */
export function readClaudeJsonText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function readClaudeJson(file: string): JsonObject | undefined {
  const text = readClaudeJsonText(file);
  return text === undefined ? undefined : parseClaudeJson(file, text);
}

/** The value of the file's `text`; one that is not a JSON object is refused with the fix. */
export function parseClaudeJson(file: string, text: string): JsonObject {
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
