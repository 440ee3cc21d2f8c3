// PostToolBatch: Claude Code runs it once after a batch of tool calls has resolved (one call or several in parallel),
// before the next model request. It tells the session what changed since it was last told (../news/news.ts), through
// the same once-only ledger as UserPromptSubmit and PostToolUse: whichever of them looks first tells an item, the
// others find nothing. Its input carries `tool_calls` (name, input, id, response of each); the news needs only the
// session.
import { defineHook } from './define.js';
import type { HookInput } from '../input-fields.js';
import { NEWS_GATE, newsDue, safeSessionId } from '../news/news-gate.js';
import { newsAnswer } from '../news/news.js';
import type { HookDeps, HookResult } from '../types.js';

const postToolBatch = (input: HookInput, deps: HookDeps): Promise<HookResult> =>
  newsAnswer(input, deps, 'PostToolBatch', 'PostToolBatch');

/** The next model request waits on it: like PostToolUse, the entry stops at the news gate when nothing changed. */
export const postToolBatchHook = defineHook({
  name: 'post-tool-batch',
  event: 'PostToolBatch',
  http: true,
  mcpTool: true,
  gates: [NEWS_GATE],
  run: postToolBatch,
  wants: (input) => safeSessionId(input) !== undefined,
  wantsWith: (input, settings) => newsDue(settings.home, safeSessionId(input) ?? ''),
  marginMs: 3000,
  allowNetwork: false,
});
