// PostToolBatch: Claude Code runs it once after a batch of tool calls has resolved (one call or several in parallel),
// before the next model request. It tells the session what changed since it was last told (../news/news.ts), through
// the same once-only ledger as UserPromptSubmit and PostToolUse: whichever of them looks first tells an item, the
// others find nothing. Its input carries `tool_calls` (name, input, id, response of each); the news needs only the
// session.
import { defineHook } from './define.js';
import type { HookInput } from '../input-fields.js';
import { newsDue, safeSessionId } from '../news/news-gate.js';
import { tellNews } from '../news/news.js';
import type { Trace } from '../trace.js';
import type { HookDeps, HookResult } from '../types.js';

async function postToolBatch(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const sessionId = safeSessionId(input);
  const { cwd } = input;
  if (!sessionId || !cwd) return { output: null, trace: [{ kind: 'no-session', alsoCwd: true }] };
  const trace: Trace = [];
  const news = await tellNews({ sessionId, cwd, hook: 'PostToolBatch' }, deps, trace);
  if (!news) return { output: null, trace };
  return { output: { hookSpecificOutput: { hookEventName: 'PostToolBatch', additionalContext: news } }, trace };
}

/** The next model request waits on it: like PostToolUse, the entry stops at the news gate when nothing changed. */
export const postToolBatchHook = defineHook({
  name: 'post-tool-batch',
  event: 'PostToolBatch',
  matcher: '',
  timeout: 5,
  http: true,
  mcpTool: true,
  async: false,
  gates: [{ module: 'news/news-gate', check: 'mayHaveNews', env: true }],
  run: postToolBatch,
  wants: (input) => safeSessionId(input) !== undefined,
  wantsWith: (input, settings) => newsDue(settings.home, safeSessionId(input) ?? ''),
  marginMs: 3000,
  allowNetwork: false,
});
