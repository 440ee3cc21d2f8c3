// The hooks' public surface: one code path for the command hooks, the monitor's served hooks and `taskhooks context`.
import { sessionStart } from './session-start.js';
import type { HookInput } from './input-fields.js';
import type { HookDeps, HookOutput } from './types.js';

export type { HookDeps, HookOutput, HookResult, HookEventName, PermissionDecision } from './types.js';
export type { CommandHook } from './types.js';
export { runHookPipeline } from './pipeline.js';
export { explain, type Fact, type Trace } from './trace.js';
export type { HookInput } from './input-fields.js';
export { HOOK_EVENTS, HOOKS_BY_NAME, type HookName } from './events.js';
export { sessionStartHook } from './session-start.js';
export { preToolUseHook } from './pre-tool-use.js';
export { postToolUseHook } from './post-tool-use.js';
export { postToolBatchHook } from './post-tool-batch.js';
export { userPromptSubmitHook } from './user-prompt-submit.js';
export { sessionEndHook } from './session-end.js';
export { subagentStartHook } from './subagent-start.js';

export async function runSessionStart(input: HookInput, deps: HookDeps): Promise<HookOutput | null> {
  return (await sessionStart(input, deps)).output;
}
