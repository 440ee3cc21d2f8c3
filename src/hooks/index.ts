// The hooks' public surface: one code path for the command hooks, the monitor's served hooks and `taskhooks context`.
import { preToolUse } from './pre-tool-use.js';
import { sessionStart } from './session-start.js';
import type { HookDeps, HookOutput } from './types.js';

export type { HookDeps, HookOutput, HookResult, HookEventName, PermissionDecision } from './types.js';
export { sessionStart, preToolUse };

export async function runSessionStart(input: unknown, deps: HookDeps): Promise<HookOutput | null> {
  return (await sessionStart(input, deps)).output;
}

export async function runPreToolUse(input: unknown, deps: HookDeps): Promise<HookOutput | null> {
  return (await preToolUse(input, deps)).output;
}
