// The hooks' public surface: one code path for the command hooks, the monitor's served hooks and `taskhooks context`.
import { postToolUse } from './post-tool-use.js';
import { preToolUse } from './pre-tool-use.js';
import { sessionStart } from './session-start.js';
import type { HookDeps, HookOutput } from './types.js';

export type { HookDeps, HookOutput, HookResult, HookEventName, PermissionDecision } from './types.js';

export async function runSessionStart(input: unknown, deps: HookDeps): Promise<HookOutput | null> {
  return (await sessionStart(input, deps)).output;
}

export async function runPreToolUse(input: unknown, deps: HookDeps): Promise<HookOutput | null> {
  return (await preToolUse(input, deps)).output;
}

/** Always null: PostToolUse only brings the cache up to date with what the tool call changed. */
export async function runPostToolUse(input: unknown, deps: HookDeps): Promise<HookOutput | null> {
  return (await postToolUse(input, deps)).output;
}
