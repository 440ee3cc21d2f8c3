// The plugin's sessions are told their start at their first prompt. The MCP server Claude Code starts for each session
// (the bridge, or `taskhooks mcp` in its place) is running by then, so the start costs no node of its own; a SessionStart
// command hook would start one per session. The plugin still runs that hook where a running session's conversation
// starts over (`clear|compact`). The start keeps SessionStart's `startup` key, so where an install's hooks also run in
// the project, whichever comes second tells nothing (src/hooks/input/event-key.ts).
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { HookName } from '../events/events.js';
import type { HookOutput } from '../types.js';

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

export interface FirstPrompt {
  /**
   * The SessionStart input to run before `event`, once per server: at the first prompt of a session in the server's own
   * folder (a call naming another folder starts nothing for it). Undefined for every other call.
   */
  startFor(event: string, input: unknown): Record<string, unknown> | undefined;
  /**
   * `event`'s answer from `run`, and at the session's first prompt its start's before it, as one answer. A start that
   * fails is `failed`'s to log, and the prompt still answers: the session is told its tasks at its next start.
   */
  answer(event: HookName, input: unknown, run: RunEvent, failed: (err: unknown) => void): Promise<object | null>;
}

/** The first prompt of the sessions a server started in `cwd` serves; nothing at all where that folder is unknown. */
export function firstPrompt(cwd: string | undefined): FirstPrompt {
  let pending = cwd !== undefined;
  const startFor: FirstPrompt['startFor'] = (event, input) => {
    if (!pending || event !== 'user-prompt-submit' || typeof input !== 'object' || input === null) return undefined;
    pending = false;
    const fields = input as Record<string, unknown>;
    if (typeof fields.cwd !== 'string' || cwd === undefined || realFolder(fields.cwd) !== realFolder(cwd))
      return undefined;
    return { ...fields, hook_event_name: 'SessionStart', source: 'startup' };
  };
  return {
    startFor,
    async answer(event, input, run, failed) {
      const start = startFor(event, input);
      const started = start
        ? await run('session-start', start).catch((err: unknown) => {
            failed(err);
            return null;
          })
        : null;
      return withStart(started, await run(event, input));
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

/** The first prompt's answer: the start's context, then what the prompt itself says; the start's other fields kept. */
export function withStart(start: object | null, prompt: object | null): object | null {
  if (!start) return prompt;
  const context = [contextOf(start), contextOf(prompt)].filter(Boolean).join('\n\n');
  const { hookSpecificOutput: _told, ...rest } = start as HookOutput;
  return {
    ...rest,
    hookSpecificOutput: { hookEventName: 'UserPromptSubmit', ...(context ? { additionalContext: context } : {}) },
  };
}
