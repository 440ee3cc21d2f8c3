// UserPromptSubmit: tells a running session what changed since it was last told (../news/news.ts), and nothing when
// nothing did (the entry file answers that case from two small files, see src/cache/news-generation.ts).
import { isSafeSessionId } from '../../cache/news-generation.js';
import { defineHook } from './define.js';
import type { HookInput } from '../input-fields.js';
import { tellNews } from '../news/news.js';
import type { Trace } from '../trace.js';
import type { HookDeps, HookResult } from '../types.js';

async function userPromptSubmit(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const { session_id: sessionId, cwd } = input;
  if (!sessionId || !isSafeSessionId(sessionId) || !cwd)
    return { output: null, trace: [{ kind: 'no-session', alsoCwd: true }] };
  const trace: Trace = [];
  // An agent that runs it again before the request carrying tool results (Qwen Code) is mid-turn, not at a prompt:
  // its adapter names that PostToolBatch, which tells the news without the prompt's live fetch.
  const hook = input.hook_event_name === 'PostToolBatch' ? 'PostToolBatch' : 'UserPromptSubmit';
  const news = await tellNews({ sessionId, cwd, hook }, deps, trace);
  if (!news) return { output: null, trace };
  deps.log.debug('UserPromptSubmit told news');
  return { output: { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: news } }, trace };
}

/**
 * The prompt waits on it, so it is bounded like PreToolUse: a live fetch (only after a change) within
 * hooks.preToolUseDeadlineMs. A command in both transports: with nothing new (nearly every prompt) it answers from
 * two small files, cheaper than a request to the monitor.
 */
export const userPromptSubmitHook = defineHook({
  name: 'user-prompt-submit',
  event: 'UserPromptSubmit',
  matcher: '',
  timeout: 5,
  http: true,
  mcpTool: true,
  async: false,
  gates: [{ module: 'news/news-gate', check: 'mayHaveNews', env: true }],
  run: userPromptSubmit,
  wants: (input) => typeof input.session_id === 'string' && isSafeSessionId(input.session_id),
  deadline: 'preToolUseDeadlineMs',
  marginMs: 2000,
  allowNetwork: true,
});
