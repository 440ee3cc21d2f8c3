// `--server` / `--adapter` land in the project's .claude/taskhooks.json, next to whatever else the user keeps there.
import { normalizeMcpUrl } from '../../config/env.js';
import { UserError } from '../../errors/user.js';
import type { JsonObject } from '../../files/json-doc.js';
import { isJsonObject } from '../../util/object.js';
import type { SourceAdapter } from '../../sources/plan.js';
import type { SourceName } from '../../sources/registry.js';

/**
 * The adapters install sets up with no more than a server URL. backlog reads no server and mcp needs the tool that
 * lists the tasks (source.tool), which install does not write: the config it left would be refused by every command.
 */
export const INSTALL_ADAPTERS = ['agenthub', 'tracker', 'taskmaster'] as const satisfies readonly SourceAdapter[];
type InstallAdapter = (typeof INSTALL_ADAPTERS)[number];

export interface SourceChoice {
  server?: string;
  adapter?: SourceName;
  /** Settings `install --source` found for the source, written beside `adapter`. */
  entries?: Record<string, unknown>;
  /** Where they were found, for the note install prints. */
  found?: string;
}

export function parseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UserError(
      `--server ${raw} is not a URL; give the task server's address, e.g. http://127.0.0.1:8000/mcp`,
      2,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserError(`--server ${raw} must be an http:// or https:// URL`, 2);
  return normalizeMcpUrl(raw);
}

export function parseAdapter(raw: string): InstallAdapter {
  const found = INSTALL_ADAPTERS.find((a) => a === raw);
  if (!found)
    throw new UserError(
      `--adapter ${raw} is not one of ${INSTALL_ADAPTERS.join(', ')}; backlog and mcp take settings install does not write: set them in .claude/taskhooks.json (see docs/sources.md)`,
      2,
    );
  return found;
}

/** The config with `source.servers` = [server] (unless it already lists it) and `source.adapter` set. */
export function withSource(config: JsonObject, choice: SourceChoice): JsonObject {
  const source: JsonObject = isJsonObject(config.source) ? { ...config.source } : {};
  if (choice.adapter) source.adapter = choice.adapter;
  for (const [key, value] of Object.entries(choice.entries ?? {})) source[key] = value as JsonObject[string];
  if (choice.server) {
    const servers = Array.isArray(source.servers) ? source.servers : [];
    if (!servers.includes(choice.server)) source.servers = [choice.server];
  }
  return { ...config, source };
}
