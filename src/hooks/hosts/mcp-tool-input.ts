// How an event reaches taskhooks' MCP server through a Claude Code `mcp_tool` hook, and back: the hook's `input`
// (one `${path}` per field the event reads) and the hook input rebuilt from the tool's arguments. Claude Code fills a
// `${path}` with the field's text, an object as its JSON, and an absent field as "" (checked against 2.1.330).
// Light on purpose: install and `npm run derive` read it, and the server's start must not wait on more.
import { isJsonObject } from '../../util/object.js';
import { MCP_SERVER_NAME } from '../../agents/agent.js';

/** The tool of `taskhooks mcp` that runs a hook event; kept from the model (see src/server/hook-tool.ts). */
export const HOOK_TOOL = 'hook';
/** The argument naming the event's definition (`post-tool-use`); every other one is a field of the hook input. */
export const EVENT_ARG = 'event';
export { MCP_SERVER_NAME };
/** Claude Code's name of a plugin's server: `plugin:<plugin>:<server>`. */
export const PLUGIN_MCP_SERVER = `plugin:taskhooks:${MCP_SERVER_NAME}`;

/**
 * What the plugin's PostCompact hook names in the `event` argument: no event of taskhooks' own, only word that the
 * session's conversation was compacted, so its next prompt or tool call is told the start again
 * (src/hooks/hosts/first-prompt.ts).
 */
export const COMPACTED_EVENT = 'compacted';

/** Fields every event passes on: who the session is, where it runs, which agent fired the event. */
const COMMON_FIELDS = [
  'session_id',
  'transcript_path',
  'cwd',
  'hook_event_name',
  'permission_mode',
  'agent_id',
  'agent_type',
] as const;
const TOOL_FIELDS = ['tool_name', 'tool_use_id', 'tool_input'] as const;
/** What each event reads beyond the common fields (PostToolBatch and the prompt's news need only the session). */
const EVENT_FIELDS: Record<string, readonly string[]> = {
  PreToolUse: TOOL_FIELDS,
  PostToolUse: [...TOOL_FIELDS, 'tool_response'],
  // The turn's closing words, for its work record.
  Stop: ['last_assistant_message'],
};
/** Fields that arrive as an object's JSON text and are read back as the object. */
const OBJECT_FIELDS: ReadonlySet<string> = new Set(['tool_input', 'tool_response']);

export interface McpToolHandler {
  type: 'mcp_tool';
  server: string;
  tool: string;
  input: Record<string, string>;
  timeout: number;
  onFailure?: 'block';
}

/**
 * The `mcp_tool` hook for one event: the whole tool input passes (the push guard parses the full command). PreToolUse
 * blocks the call when the hook tool fails (its server gone, an error, its timeout): Claude Code's default lets it
 * through unchecked.
 */
export function mcpToolHandler(spec: { name: string; event: string; timeout: number }, server: string): McpToolHandler {
  const fields = [...COMMON_FIELDS, ...(EVENT_FIELDS[spec.event] ?? [])];
  const input: Record<string, string> = { [EVENT_ARG]: spec.name };
  for (const f of fields) input[f] = `\${${f}}`;
  const handler: McpToolHandler = { type: 'mcp_tool', server, tool: HOOK_TOOL, input, timeout: spec.timeout };
  if (spec.event === 'PreToolUse') handler.onFailure = 'block';
  return handler;
}

/** The plugin's PostCompact hook: the compacted session, and the agent whose conversation it was (a subagent's). */
export function compactedHandler(server: string): McpToolHandler {
  const input: Record<string, string> = { [EVENT_ARG]: COMPACTED_EVENT };
  for (const f of ['session_id', 'agent_id']) input[f] = `\${${f}}`;
  return { type: 'mcp_tool', server, tool: HOOK_TOOL, input, timeout: 5 };
}

/** A handler taskhooks wrote: the hook tool of a server of ours. */
export function isOurMcpToolHandler(h: Record<string, unknown>): boolean {
  return (
    h.type === 'mcp_tool' &&
    (h.server === MCP_SERVER_NAME || h.server === PLUGIN_MCP_SERVER) &&
    h.tool === HOOK_TOOL &&
    isJsonObject(h.input) &&
    typeof h.input[EVENT_ARG] === 'string'
  );
}

/** An object's JSON text back as the object; any other text (a tool answering plain text) stays as it came. */
function objectField(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The event's name and the hook input as Claude Code would have sent it on stdin, from the tool's arguments. */
export function hookInputFromArgs(args: Record<string, unknown>): { event: unknown; input: Record<string, unknown> } {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === EVENT_ARG || value === '' || value === undefined || value === null) continue;
    input[key] = typeof value === 'string' && OBJECT_FIELDS.has(key) ? objectField(value) : value;
  }
  return { event: args[EVENT_ARG], input };
}
