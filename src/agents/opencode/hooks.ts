// OpenCode has no command hooks: taskhooks' plugin (./plugin.ts) runs in its process and sends each of its
// plugin hooks here under the hook's own name, the tool's arguments as OpenCode has them (`filePath`), and reads back
// `{context, deny}`. What reaches its model: text pushed to the system prompt (SessionStart), a text part added to the
// prompt (UserPromptSubmit), text appended to a tool's output (PostToolUse); `tool.execute.before` can only refuse
// the call, by throwing, its message becoming the tool's result. So the edit reminder is told after the edit, as for
// Gemini CLI, and the guards keep the call before it.
import { AFTER_CALL, BEFORE_CALL, FULL_REACH, type AgentHooks, type CommonOutput } from '../agent.js';
import { renamedEvent, renamedTool } from '../tools.js';

const EVENTS: Readonly<Record<string, string>> = {
  'experimental.chat.system.transform': 'SessionStart',
  'chat.message': 'UserPromptSubmit',
  'tool.execute.before': 'PreToolUse',
  'tool.execute.after': 'PostToolUse',
  'session.deleted': 'SessionEnd',
};
export const TOOLS: Readonly<Record<string, string>> = { bash: 'Bash', edit: 'Edit', write: 'Write' };

/** The name install gives taskhooks' MCP server in opencode.json. */
const OWN_SERVER = 'taskhooks';

/** What the plugin reads: text for the model, or the reason a call is refused. */
export interface OpencodeAnswer {
  context?: string;
  deny?: string;
}

/** OpenCode names a server's tool `<server>_<tool>`: taskhooks' own become Claude Code's `mcp__taskhooks__<tool>`. */
function commonToolName(raw: Record<string, unknown>): Record<string, unknown> {
  const name = raw.tool_name;
  if (typeof name !== 'string' || !name.startsWith(`${OWN_SERVER}_`)) return raw;
  return { ...raw, tool_name: `mcp__${OWN_SERVER}__${name.slice(OWN_SERVER.length + 1)}`, agent_tool_name: name };
}

function fromCommon(output: CommonOutput, agentEvent: string): OpencodeAnswer | null {
  const { additionalContext, permissionDecision, permissionDecisionReason } = output.hookSpecificOutput;
  if (agentEvent === 'tool.execute.before')
    return permissionDecision === 'deny' || permissionDecision === 'ask'
      ? { deny: permissionDecisionReason || 'taskhooks refused this call' }
      : null;
  return additionalContext ? { context: additionalContext } : null;
}

export const opencodeHooks: AgentHooks = {
  id: 'opencode',
  label: 'OpenCode',
  toCommon: (raw) =>
    commonToolName(
      renamedTool(renamedEvent(raw, EVENTS), TOOLS, (input) =>
        typeof input.filePath === 'string' ? input.filePath : undefined,
      ),
    ),
  fromCommon: (output, agentEvent) => fromCommon(output, agentEvent) as Record<string, unknown> | null,
  reach: (agentEvent) =>
    agentEvent === 'tool.execute.before' ? BEFORE_CALL : agentEvent === 'tool.execute.after' ? AFTER_CALL : FULL_REACH,
};
