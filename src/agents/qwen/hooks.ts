// Qwen Code's hooks have Claude Code's shape (event names, input, hookSpecificOutput) with Gemini CLI's tools. What
// reaches its model: SessionStart's context, UserPromptSubmit's (a user message) and PostToolUse's (appended to the
// tool's result), never PreToolUse's, where only a decision counts. So the edit reminder is told at PostToolUse, as
// for Gemini CLI. UserPromptSubmit also runs before each model request that follows tool results, with an empty
// prompt: that one is no prompt but the point after a batch of calls, and is read as PostToolBatch. It runs as `node`.
import { AFTER_CALL, BEFORE_CALL, FULL_REACH, type AgentHooks, type CommonOutput } from '../agent.js';
import { modelReadResponse, renamedTool } from '../tools.js';

export const TOOLS: Readonly<Record<string, string>> = { run_shell_command: 'Bash', edit: 'Edit', write_file: 'Write' };

/** The UserPromptSubmit Qwen Code sends before the request that carries tool results: no one typed anything. */
function afterToolResults(raw: Record<string, unknown>): boolean {
  return raw.hook_event_name === 'UserPromptSubmit' && raw.prompt === '' && raw.submitted_prompt === undefined;
}

function toCommon(raw: Record<string, unknown>): Record<string, unknown> {
  const input = modelReadResponse(renamedTool(raw, TOOLS));
  return afterToolResults(raw)
    ? { ...input, hook_event_name: 'PostToolBatch', agent_event_name: 'UserPromptSubmit' }
    : input;
}

function fromCommon(output: CommonOutput, agentEvent: string): Record<string, unknown> | null {
  const { additionalContext, permissionDecision, permissionDecisionReason } = output.hookSpecificOutput;
  if (agentEvent === 'PreToolUse') {
    if (!permissionDecision || permissionDecision === 'allow') return null;
    return {
      hookSpecificOutput: {
        hookEventName: agentEvent,
        permissionDecision,
        permissionDecisionReason: permissionDecisionReason ?? '',
      },
    };
  }
  return additionalContext ? { hookSpecificOutput: { hookEventName: agentEvent, additionalContext } } : null;
}

export const qwenHooks: AgentHooks = {
  id: 'qwen',
  label: 'Qwen Code',
  toCommon,
  fromCommon,
  reach: (agentEvent) =>
    agentEvent === 'PreToolUse' ? BEFORE_CALL : agentEvent === 'PostToolUse' ? AFTER_CALL : FULL_REACH,
  processName: 'node',
};
