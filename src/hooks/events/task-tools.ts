// Which MCP tool calls may change tasks, per tool family. Claude Code names them `mcp__<server>__<tool>`, where the
// server is whatever the user called it in .mcp.json, so only the tool part is matched.
import type { SourceAdapter, SourcePlan } from '../../sources/plan.js';
import { SOURCES } from '../../sources/registry.js';
import { isJsonObject } from '../../util/object.js';
import type { HookInput } from '../input/fields.js';

/** Per tool family (each source's definition), the tools whose calls may change tasks. */
export const TASK_CHANGING_TOOLS = Object.fromEntries(
  SOURCES.flatMap((d) => (d.name === 'embedded' ? [] : [[d.name, d.changingTools] as const])),
) as Readonly<Record<SourceAdapter, readonly string[]>>;

/**
 * Claude Code's matcher for PostToolUse: every MCP tool (`mcp__<server>__<tool>`, a plugin's
 * `mcp__plugin_<plugin>_<server>__<tool>`; an unanchored regex), so a task tool is matched whatever its server is called.
 */
export const MCP_TOOL_CALLS = 'mcp__.*';

const ANY_FAMILY: ReadonlySet<string> = new Set(Object.values(TASK_CHANGING_TOOLS).flat());

/** manage_task actions that only read. */
const READ_ONLY_ACTIONS: ReadonlySet<string> = new Set(['get', 'list', 'search', 'next']);

/** A call of a task-changing tool of the configured source. */
export interface TaskChangingCall {
  family: SourceAdapter;
  tool: string;
}

/** `<tool>` of `mcp__<server>__<tool>` (the server part not empty), else undefined. */
function toolPart(name: string): string | undefined {
  if (!name.startsWith('mcp__')) return undefined;
  const at = name.lastIndexOf('__');
  return at > 'mcp__'.length ? name.slice(at + 2) : undefined;
}

/** The tool families a source's server speaks: the embedded store is served with both the agenthub and the tracker tools. */
function familiesOf(plan: SourcePlan): readonly SourceAdapter[] {
  return plan.kind === 'embedded' ? ['agenthub', 'tracker'] : [plan.adapter];
}

/** A manage_task call whose action only reads changes nothing; any other call of these tools may. */
function mayWrite(tool: string, action: unknown): boolean {
  return !(tool === 'manage_task' && typeof action === 'string' && READ_ONLY_ACTIONS.has(action));
}

/** The call, when it is one of the configured source's task-changing tools and not a read. */
export function taskChangingCall(
  input: Pick<HookInput, 'tool_name' | 'tool_input'>,
  plan: SourcePlan,
): TaskChangingCall | undefined {
  const tool = toolPart(input.tool_name ?? '');
  if (tool === undefined || !mayWrite(tool, input.tool_input?.action)) return undefined;
  const family = familiesOf(plan).find((f) => TASK_CHANGING_TOOLS[f].includes(tool));
  return family && { family, tool };
}

/**
 * Whether a call may change tasks on some source, decided before zod, the config or SQLite are loaded (the
 * configuration says later which source is ours): false only for a well-formed call that changes no task anywhere.
 * Anything odd goes the full way (schema, log).
 */
export function mayChangeTasks(raw: unknown): boolean {
  if (!isJsonObject(raw)) return true;
  const { tool_name: name, tool_input: toolInput } = raw;
  if (typeof name !== 'string' || (toolInput !== undefined && !isJsonObject(toolInput))) return true;
  const tool = toolPart(name);
  return tool !== undefined && ANY_FAMILY.has(tool) && mayWrite(tool, toolInput?.action);
}
