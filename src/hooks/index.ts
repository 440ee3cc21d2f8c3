// The hooks' public surface: one code path for the command hooks, the monitor's served hooks and `taskhooks context`.
import { postToolUseHook } from './post-tool-use.js';
import { preToolUseHook } from './pre-tool-use.js';
import { sessionStart, sessionStartHook } from './session-start.js';
import { sessionEndHook } from './session-end.js';
import { subagentStartHook } from './subagent-start.js';
import { userPromptSubmitHook } from './user-prompt-submit.js';
import type { HookInput } from './input-fields.js';
import type { HookDeps, HookOutput } from './types.js';

export type { HookDeps, HookOutput, HookResult, HookEventName, PermissionDecision } from './types.js';
export type { CommandHook } from './types.js';
export { runHookPipeline } from './pipeline.js';
export { explain, type Fact, type Trace } from './trace.js';
export type { HookInput } from './input-fields.js';
export { sessionStartHook, preToolUseHook, postToolUseHook, userPromptSubmitHook, sessionEndHook, subagentStartHook };

export async function runSessionStart(input: HookInput, deps: HookDeps): Promise<HookOutput | null> {
  return (await sessionStart(input, deps)).output;
}
