// Which Claude Code settings files send tool calls through `mcp_tool` hooks, the route of an earlier version. Apart
// from hooks-installed.ts so the monitor, which asks once per version, loads no install code for it.
import { isOurMcpToolHandler } from '../hooks/hosts/mcp-tool-input.js';
import { readSettings } from '../hooks/ports/stray-hooks.js';
import { isJsonObject } from '../util/object.js';

/** Whether a settings file's hook group holds taskhooks' `mcp_tool` handler. */
function groupViaMcp(group: unknown): boolean {
  return (
    isJsonObject(group) &&
    Array.isArray(group.hooks) &&
    group.hooks.some((h) => isJsonObject(h) && isOurMcpToolHandler(h))
  );
}

/** The settings files among `files` whose tool-call hooks call `taskhooks mcp` through `mcp_tool` hooks. */
export function toolHooksViaMcp(files: readonly string[]): string[] {
  return files.filter((file) => {
    const settings = readSettings(file);
    if (!isJsonObject(settings) || !isJsonObject(settings.hooks)) return false;
    // An event's groups, or a lone group where the list was left out.
    return Object.values(settings.hooks).flat().some(groupViaMcp);
  });
}
