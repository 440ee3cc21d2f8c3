// PostToolBatch: Claude Code runs it once after a batch of tool calls has resolved (one call or several in parallel),
// before the next model request. It tells the session what changed since it was last told (../news/news.ts), through
// the same once-only ledger as UserPromptSubmit and PostToolUse: whichever of them looks first tells an item, the
// others find nothing. Its input carries `tool_calls` (name, input, id, response of each). When the batch edited, it
// also gives PreToolUse's reminder for the first edit: an install with no guard posts no PreToolUse for edits, and a
// reminder given before an edit reaches the model in the same request as one given after the batch. Where PreToolUse
// did run for the edit (a guard on, the plugin), the reminder ledger finds it already said.
import { defineHook } from './define.js';
import type { HookInput } from '../input/fields.js';
import { plainHookInput } from '../input/read.js';
import { EDIT_TOOLS } from '../guards/prefilter.js';
import { NEWS_GATE, newsDue, safeSessionId } from '../news/news-gate.js';
import { newsAnswer } from '../news/news.js';
import { AFTER_CALL, FULL_REACH } from '../../agents/agent.js';
import { isJsonObject } from '../../util/object.js';
import type { HookDeps, HookResult } from '../types.js';
import { preToolUse } from './pre-tool-use-run.js';
import { oneContext } from './after-call.js';

/** The batch's first edit as PreToolUse's input, or undefined when it made none (or one this cannot read). */
function firstEdit(input: HookInput): HookInput | undefined {
  const calls = Array.isArray(input.tool_calls) ? input.tool_calls : [];
  const edit = calls.find((c) => isJsonObject(c) && typeof c.tool_name === 'string' && EDIT_TOOLS.has(c.tool_name));
  if (!isJsonObject(edit)) return undefined;
  const { tool_name, tool_input, tool_use_id } = edit;
  return plainHookInput({ ...input, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id });
}

async function postToolBatch(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const edit = (deps.agent?.reach ?? FULL_REACH).context ? firstEdit(input) : undefined;
  const agent = { id: deps.agent?.id ?? 'claude', reach: AFTER_CALL } as const;
  // After the call no decision counts: the reminder alone, the guards not even loaded.
  const reminded = edit ? await preToolUse(edit, { ...deps, agent }, undefined) : undefined;
  // A batch let on for its edit alone skips the news, as the news gate would have.
  const news = newsDue(deps.settings.home, safeSessionId(input) ?? '')
    ? await newsAnswer(input, deps, 'PostToolBatch', 'PostToolBatch')
    : undefined;
  const trace = [...(reminded?.trace ?? []), ...(news?.trace ?? [])];
  return { output: oneContext([reminded?.output, news?.output], 'PostToolBatch', deps.marker), trace };
}

/**
 * The next model request waits on it: like PostToolUse, the entry stops at its gates when nothing changed and the
 * batch edited nothing.
 */
export const postToolBatchHook = defineHook({
  name: 'post-tool-batch',
  event: 'PostToolBatch',
  http: true,
  mcpTool: true,
  gates: [NEWS_GATE, { module: 'guards/prefilter', check: 'mayHoldEdits' }],
  run: postToolBatch,
  wants: (input) => safeSessionId(input) !== undefined,
  wantsWith: (input, settings) => newsDue(settings.home, safeSessionId(input) ?? '') || firstEdit(input) !== undefined,
  // A fetch (the news' or the reminder's) is bounded as PreToolUse's is: the watchdog fires inside the 5 s timeout.
  deadline: 'preToolUseDeadlineMs',
  marginMs: 2000,
  allowNetwork: false,
});
