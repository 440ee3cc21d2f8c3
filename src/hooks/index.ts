// The hooks' public surface: one code path for the command hooks, the monitor's served hooks and `taskhooks context`.
import { sessionStart } from './events/session-start.js';
import type { HookInput } from './input/fields.js';
import type { HookDeps, HookOutput } from './types.js';

export type { HookDeps, HookOutput, HookResult, HookEventName, PermissionDecision } from './types.js';
export type { CommandHook } from './types.js';
export { runHookPipeline } from './hosts/pipeline.js';
export { passesGates } from './hosts/gates.js';
export { runServedHook, type ServedCaller } from './hosts/served.js';
export { explain, type Fact, type Trace } from './trace.js';
export type { HookInput } from './input/fields.js';
export { HOOK_EVENTS, HOOKS_BY_NAME, type HookName } from './events/events.js';
export { sessionStartHook } from './events/session-start.js';
export { preToolUseHook } from './events/pre-tool-use.js';
export { postToolUseHook } from './events/post-tool-use.js';
export { postToolBatchHook } from './events/post-tool-batch.js';
export { userPromptSubmitHook } from './events/user-prompt-submit.js';
export { sessionEndHook } from './events/session-end.js';
export { subagentStartHook } from './events/subagent-start.js';

export async function runSessionStart(input: HookInput, deps: HookDeps): Promise<HookOutput | null> {
  return (await sessionStart(input, deps)).output;
}
