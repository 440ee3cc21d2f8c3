// GitHub Copilot CLI's hooks, in its native format: camelCase events whose input names neither the event (its
// registration passes it as `--event=<name>`) nor a tool call's id, `{sessionId, cwd, toolName, toolArgs, toolResult}`,
// and a top-level answer, `{additionalContext, permissionDecision, permissionDecisionReason}`. Every event's context
// reaches its model (preToolUse's as a user message after the call's result). Its shell is `bash` with `{command}`;
// its edits are `apply_patch` (the patch is the input, as Codex's), `edit` and `create`.
import { FULL_REACH, type AgentHooks, type CommonOutput } from '../agent.js';
import { isObject, patchFiles, renamedTool } from '../tools.js';

const EVENTS: Readonly<Record<string, string>> = {
  sessionStart: 'SessionStart',
  userPromptSubmitted: 'UserPromptSubmit',
  preToolUse: 'PreToolUse',
  postToolUse: 'PostToolUse',
  sessionEnd: 'SessionEnd',
};
const TOOLS: Readonly<Record<string, string>> = { bash: 'Bash', apply_patch: 'Edit', edit: 'Edit', create: 'Write' };
/** Its start sources, in Claude Code's words. */
const SOURCES: Readonly<Record<string, string>> = { new: 'startup', resume: 'resume' };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The call's arguments as Claude Code's tool_input: a patch (a string) as Codex's `{command}`. */
function toolInput(args: unknown): Record<string, unknown> | undefined {
  if (typeof args === 'string') return { command: args };
  if (!isObject(args)) return undefined;
  const file = str(args.file_path) ?? str(args.path);
  return file === undefined ? args : { ...args, file_path: file };
}

function toCommon(raw: Record<string, unknown>): Record<string, unknown> {
  const event = str(raw.hook_event_name) ?? '';
  const result = isObject(raw.toolResult) ? raw.toolResult.textResultForLlm : undefined;
  const input = toolInput(raw.toolArgs);
  const source = str(raw.source);
  const common: Record<string, unknown> = {
    ...raw,
    hook_event_name: EVENTS[event] ?? event,
    agent_event_name: event,
    ...(str(raw.sessionId) ? { session_id: raw.sessionId } : {}),
    ...(str(raw.transcriptPath) ? { transcript_path: raw.transcriptPath } : {}),
    ...(source ? { source: SOURCES[source] ?? source } : {}),
    ...(str(raw.toolName) ? { tool_name: raw.toolName } : {}),
    ...(input ? { tool_input: input } : {}),
    ...(result !== undefined ? { tool_response: result } : {}),
  };
  const files = raw.toolName === 'apply_patch' ? patchFiles(raw.toolArgs) : [];
  return renamedTool(common, TOOLS, files.length > 0 ? () => files[0] : undefined, files.slice(1));
}

function fromCommon(output: CommonOutput): Record<string, unknown> | null {
  const { additionalContext, permissionDecision, permissionDecisionReason } = output.hookSpecificOutput;
  const deny = permissionDecision && permissionDecision !== 'allow';
  if (!additionalContext && !deny) return null;
  return {
    ...(additionalContext ? { additionalContext } : {}),
    ...(deny ? { permissionDecision, permissionDecisionReason: permissionDecisionReason ?? '' } : {}),
  };
}

export const copilotHooks: AgentHooks = {
  id: 'copilot',
  label: 'Copilot CLI',
  toCommon,
  fromCommon,
  reach: () => FULL_REACH,
};
