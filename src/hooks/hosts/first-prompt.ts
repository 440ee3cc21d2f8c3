// The plugin's sessions are told their start by the MCP server Claude Code starts for each session (the bridge, or
// `taskhooks mcp` in its place), which runs by then, so a start costs no process of its own; a SessionStart command
// hook would start one, and on Windows would find `node` in the project folder first. So each conversation is told at
// its first prompt: the session's, and one a /clear (or /resume) began, which comes with a new session id. A compaction
// keeps the id: the plugin's PostCompact hook says it happened, and the conversation's next prompt or tool call is told
// the start again. The start keeps SessionStart's key for its source, so where an install's hooks also run in the
// project, whichever comes second tells nothing (src/hooks/input/event-key.ts).
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { HookName } from '../events/events.js';
import type { HookOutput } from '../types.js';
import { COMPACTED_EVENT, hookInputFromArgs } from './mcp-tool-input.js';

/** One call of the hook tool: the event, its definition's Claude Code event and the hook input. */
interface HookCall {
  event: HookName;
  hook: { event: string };
  input: unknown;
}

/** How a server runs one event: its answer, null for nothing to say. */
type RunEvent = (event: HookName, input: unknown) => Promise<object | null>;

/** A folder as the filesystem names it, so a link and its target are one folder; as given where it cannot be read. */
function realFolder(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** The events whose answer reaches the model: a start owed after a compaction is told with the first of them. */
const TELLS: ReadonlySet<string> = new Set<HookName>(['user-prompt-submit', 'pre-tool-use', 'post-tool-use']);

export interface FirstPrompt {
  /**
   * The SessionStart input to run before `event`, in the server's own folder (a call naming another folder starts
   * nothing for it): at a conversation's first prompt, and at the first prompt or tool call after its compaction.
   * Undefined for every other call, and for a subagent's, whose answer would reach the subagent.
   */
  startFor(event: string, input: unknown): Record<string, unknown> | undefined;
  /** Whether the hook tool's `args` say the session's conversation was compacted: it is then noted, and nothing run. */
  compacted(args: Record<string, unknown>): boolean;
  /**
   * The call's answer from `run`, with a start owed before it, as one answer (as the call's Claude Code event, `hook`'s).
   * A start that fails is `failed`'s to log, and the event still answers: the session is told its tasks at its next
   * start.
   */
  answer(call: HookCall, run: RunEvent, failed: (err: unknown) => void): Promise<object | null>;
}

/** The starts owed to the sessions a server started in `cwd`; none at all where that folder is unknown. */
export function firstPrompt(cwd: string | undefined): FirstPrompt {
  // The session id of the conversation told last (null before the first prompt), and one whose compaction is not told.
  let told: string | null | undefined = cwd === undefined ? undefined : null;
  let owed: string | undefined;
  const own = (fields: Record<string, unknown>): boolean =>
    typeof fields.cwd === 'string' && cwd !== undefined && realFolder(fields.cwd) === realFolder(cwd);
  const startFor: FirstPrompt['startFor'] = (event, input) => {
    if (told === undefined || typeof input !== 'object' || input === null) return undefined;
    const fields = input as Record<string, unknown>;
    if (fields.agent_id !== undefined) return undefined;
    const session = typeof fields.session_id === 'string' ? fields.session_id : '';
    let source: string;
    if (event === 'user-prompt-submit' && session !== told) {
      source = told === null ? 'startup' : 'clear';
      told = session;
      owed = undefined;
    } else if (owed === session && TELLS.has(event)) {
      source = 'compact';
      owed = undefined;
    } else return undefined;
    return own(fields) ? { ...fields, hook_event_name: 'SessionStart', source } : undefined;
  };
  return {
    startFor,
    compacted(args) {
      const { event, input } = hookInputFromArgs(args);
      if (event !== COMPACTED_EVENT) return false;
      if (told !== undefined && input.agent_id === undefined) owed = String(input.session_id ?? '');
      return true;
    },
    async answer({ event, hook, input }, run, failed) {
      const start = startFor(event, input);
      const started = start
        ? await run('session-start', start).catch((err: unknown) => {
            failed(err);
            return null;
          })
        : null;
      return withStart(started, await run(event, input), hook.event);
    },
  };
}

/** The context an answer carries, if any. */
function contextOf(answer: object | null): string | undefined {
  const specific = (answer as { hookSpecificOutput?: { additionalContext?: unknown } } | null)?.hookSpecificOutput;
  return typeof specific?.additionalContext === 'string' && specific.additionalContext !== ''
    ? specific.additionalContext
    : undefined;
}

/**
 * An event's answer with the start told before it: the start's context, then the event's; the event's own fields (a
 * refusal) and the start's other ones kept.
 */
export function withStart(start: object | null, answer: object | null, eventName: string): object | null {
  if (!start) return answer;
  const context = [contextOf(start), contextOf(answer)].filter(Boolean).join('\n\n');
  const { hookSpecificOutput: _told, ...rest } = start as HookOutput;
  const own = (answer ?? {}) as HookOutput;
  return {
    ...rest,
    ...own,
    hookSpecificOutput: {
      ...own.hookSpecificOutput,
      hookEventName: eventName,
      ...(context ? { additionalContext: context } : {}),
    },
  };
}
