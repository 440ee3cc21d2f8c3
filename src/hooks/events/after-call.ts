// What an answer after a tool call gives besides the news: PreToolUse's reminder, for the agents whose model reads it
// best there (after an edit or commit, beside the call's result), and one context out of several texts.
import { AFTER_CALL } from '../../agents/agent.js';
import { marked, unmarked } from '../../context/marker.js';
import { candidateCall } from '../guards/watched.js';
import type { HookInput } from '../input/fields.js';
import type { HookDeps, HookEventName, HookOutput, HookResult } from '../types.js';
import { preToolUse } from './pre-tool-use-run.js';

/**
 * Another agent's edit, commit or push: PreToolUse's reminder, told after the call. Gemini CLI's and Qwen Code's model
 * never reads one given before it, and with no guard on an edit runs no hook before it at all. Where one did run and
 * remind, the reminder ledger finds it said. Claude Code's reminder comes from PreToolUse or PostToolBatch.
 */
export async function remindAfterCall(input: HookInput, deps: HookDeps): Promise<HookResult | undefined> {
  if (!deps.agent?.reach.context || !candidateCall(input)) return undefined;
  // After the call no decision counts: the reminder alone, the guards not even loaded.
  const agent = { id: deps.agent.id, reach: AFTER_CALL } as const;
  return preToolUse({ ...input, hook_event_name: 'PreToolUse' }, { ...deps, agent }, undefined);
}

/** The answers' contexts as one, with one marker: the delivery check looks for it at the end of the first line. */
export function oneContext(
  outputs: ReadonlyArray<HookOutput | null | undefined>,
  hookEventName: HookEventName,
  marker: string | undefined,
): HookOutput | null {
  const texts = outputs.map((o) => o?.hookSpecificOutput.additionalContext).filter((t): t is string => Boolean(t));
  if (texts.length === 0) return null;
  return { hookSpecificOutput: { hookEventName, additionalContext: marked(texts.map(unmarked).join('\n'), marker) } };
}
