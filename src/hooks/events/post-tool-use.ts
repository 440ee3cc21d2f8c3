// PostToolUse, after an MCP tool call: when the session changes its tasks through the configured source's MCP tools, the
// cached snapshot follows at once where the tool's answer says what changed, and is marked stale where it does not (the
// next hook then fetches live), and a running monitor is asked to fetch. Then, mid-turn, the session hears what changed
// since it was last told (../news/news.ts), beside the tool's result. After any other tool PostToolBatch tells it.
import { MCP_TOOL_CALLS, mayChangeTasks, taskChangingCall } from './task-tools.js';
import { loadTokenFormats } from '../../log/redact.js';
import { defineHook } from './define.js';
import { followChange } from './follow-change.js';
import { NEWS_GATE, newsDue, safeSessionId } from '../news/news-gate.js';
import { candidateCall } from '../guards/watched.js';
import { oneContext, remindAfterCall } from './after-call.js';
import { tellNews } from '../news/news.js';
import { eventKey } from '../input/event-key.js';
import type { HookInput } from '../input/fields.js';
import type { Trace } from '../trace.js';
import type { HookDeps, HookResult } from '../types.js';

export async function postToolUse(input: HookInput, deps: HookDeps): Promise<HookResult> {
  const call = taskChangingCall(input, deps.settings.source.plan);
  const sessionId = safeSessionId(input);
  const edits = deps.agent !== undefined && candidateCall(input) !== undefined;
  if (!call && !sessionId && !edits)
    return { output: null, trace: [{ kind: 'tool-ignored', tool: input.tool_name, why: 'no-task-change' }] };
  const { cwd } = input;
  if (!cwd) {
    deps.log.warn({ tool: input.tool_name }, 'PostToolUse input has no cwd: cache left as it is, nothing said');
    return { output: null, trace: [{ kind: 'no-cwd' }] };
  }
  const trace: Trace = [];
  // The tool's answer patches the cache: a token of a known format in it is masked there too.
  if (call) await loadTokenFormats(input.tool_response);
  // The answer's zod schemas are a lazy file: only task tools' answers need them, and most calls are not those.
  const change = call
    ? (await import('./task-answers.js')).readTaskChange(call, input.tool_input, input.tool_response)
    : undefined;
  const quiet = change ? followChange({ ...input, cwd }, deps, change, trace) : undefined;
  const reminded = await remindAfterCall(input, deps);
  if (reminded) trace.push(...reminded.trace);
  // A call let on for its reminder alone skips the news, as the news gate would have.
  const news =
    sessionId && (call || newsDue(deps.settings.home, sessionId))
      ? await tellNews(
          { sessionId, cwd, hook: 'PostToolUse', key: eventKey(input), ...(quiet ? { quiet } : {}) },
          deps,
          trace,
        )
      : undefined;
  const told = news ? { hookSpecificOutput: { hookEventName: 'PostToolUse' as const, additionalContext: news } } : null;
  return { output: oneContext([reminded?.output, told], 'PostToolUse', deps.marker), trace };
}

/**
 * After MCP tool calls only, where every task tool is: Bash, Read, Write and the rest fire no hook here, and
 * PostToolBatch, which runs after every batch, tells their news. Waited on: its news must land before
 * the next model request. A call stops in the entry, which reads two small files, unless it changes tasks or there is
 * news, or (another agent's, which binds its own matcher) it edits, commits or pushes: its reminder comes here. Over
 * http the running monitor answers in milliseconds. It never fetches.
 */
export const postToolUseHook = defineHook({
  name: 'post-tool-use',
  event: 'PostToolUse',
  matcher: MCP_TOOL_CALLS,
  http: true,
  mcpTool: true,
  gates: [
    { module: 'events/task-tools', check: 'mayChangeTasks' },
    NEWS_GATE,
    { module: 'guards/prefilter', check: 'mayBeWatched' },
  ],
  run: postToolUse,
  wants: (input) => mayChangeTasks(input) || safeSessionId(input) !== undefined || candidateCall(input) !== undefined,
  wantsWith: (input, settings) => {
    if (taskChangingCall(input, settings.source.plan) !== undefined) return true;
    if (candidateCall(input) !== undefined) return true;
    const sessionId = safeSessionId(input);
    return sessionId !== undefined && newsDue(settings.home, sessionId);
  },
  marginMs: 3000,
  allowNetwork: false,
});
