// Google Gemini CLI's hooks: its own event and tool names. What reaches its model: additionalContext from SessionStart,
// BeforeAgent and AfterTool (appended to the tool's result), never from BeforeTool, where only a decision counts (a
// denial's reason becomes the tool's result). So the edit reminder is told at AfterTool, right after the edit, and
// BeforeTool keeps the guards. It runs as `node`.
import { AFTER_CALL, BEFORE_CALL, FULL_REACH, type AgentHooks, type CommonOutput } from '../agent.js';
import { modelReadResponse, renamedEvent, renamedTool } from '../tools.js';

const EVENTS: Readonly<Record<string, string>> = {
  BeforeAgent: 'UserPromptSubmit',
  BeforeTool: 'PreToolUse',
  AfterTool: 'PostToolUse',
};
export const TOOLS: Readonly<Record<string, string>> = {
  run_shell_command: 'Bash',
  replace: 'Edit',
  write_file: 'Write',
};

function fromCommon(output: CommonOutput, agentEvent: string): Record<string, unknown> | null {
  const { additionalContext, permissionDecision, permissionDecisionReason } = output.hookSpecificOutput;
  if (agentEvent === 'BeforeTool') {
    if (!permissionDecision || permissionDecision === 'allow') return null;
    return { decision: permissionDecision, reason: permissionDecisionReason ?? '' };
  }
  return additionalContext ? { hookSpecificOutput: { hookEventName: agentEvent, additionalContext } } : null;
}

export const geminiHooks: AgentHooks = {
  id: 'gemini',
  label: 'Gemini CLI',
  toCommon: (raw) => modelReadResponse(renamedTool(renamedEvent(raw, EVENTS), TOOLS)),
  fromCommon,
  reach: (agentEvent) =>
    agentEvent === 'BeforeTool' ? BEFORE_CALL : agentEvent === 'AfterTool' ? AFTER_CALL : FULL_REACH,
  processName: 'node',
};
