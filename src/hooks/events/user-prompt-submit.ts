// UserPromptSubmit: tells a running session what changed since it was last told (../news/news.ts), and nothing when
// nothing did (the entry file answers that case from two small files, see src/cache/news-generation.ts).
import { isSafeSessionId } from '../../cache/news-generation.js';
import { defineHook } from './define.js';
import type { HookInput } from '../input/fields.js';
import { NEWS_GATE } from '../news/news-gate.js';
import { newsAnswer } from '../news/news.js';
import type { HookDeps, HookResult } from '../types.js';

async function userPromptSubmit(input: HookInput, deps: HookDeps): Promise<HookResult> {
  // An agent that runs it again before the request carrying tool results (Qwen Code) is mid-turn, not at a prompt:
  // its adapter names that PostToolBatch, which tells the news without the prompt's live fetch.
  const hook = input.hook_event_name === 'PostToolBatch' ? 'PostToolBatch' : 'UserPromptSubmit';
  const result = await newsAnswer(input, deps, hook, 'UserPromptSubmit');
  if (result.output) deps.log.debug('UserPromptSubmit told news');
  return result;
}

/**
 * The prompt waits on it, so it is bounded like PreToolUse: a live fetch (only after a change) within
 * hooks.preToolUseDeadlineMs. A command in both transports: with nothing new (nearly every prompt) it answers from
 * two small files, cheaper than a request to the monitor.
 */
export const userPromptSubmitHook = defineHook({
  name: 'user-prompt-submit',
  event: 'UserPromptSubmit',
  http: true,
  mcpTool: true,
  gates: [NEWS_GATE],
  run: userPromptSubmit,
  wants: (input) => typeof input.session_id === 'string' && isSafeSessionId(input.session_id),
  deadline: 'preToolUseDeadlineMs',
  marginMs: 2000,
  allowNetwork: true,
});
