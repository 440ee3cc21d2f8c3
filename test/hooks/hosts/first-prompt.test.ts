// The start a plugin session is told by its server: at each conversation's first prompt (the session's, and one a
// /clear began under a new id), and after a compaction at the next prompt or tool call; in the server's own folder (a
// link to it counts), never to a subagent, and as one answer carrying the start before what the event says.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { firstPrompt, withStart } from '../../../src/hooks/hosts/first-prompt.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folders(): { project: string; link: string; other: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'th-first-prompt-'));
  dirs.push(root);
  const project = path.join(root, 'project');
  const other = path.join(root, 'other');
  mkdirSync(project);
  mkdirSync(other);
  const link = path.join(root, 'link');
  symlinkSync(project, link);
  return { project, link, other };
}

const prompt = (cwd: string) => ({ session_id: 's1', cwd, hook_event_name: 'UserPromptSubmit', prompt: 'go on' });
const promptCall = (cwd: string) => ({
  event: 'user-prompt-submit' as const,
  hook: { event: 'UserPromptSubmit' },
  input: prompt(cwd),
});

describe('firstPrompt', () => {
  it("starts the session once, at its first prompt, as SessionStart's startup", () => {
    const { project } = folders();
    const first = firstPrompt(project);
    expect(first.startFor('pre-tool-use', prompt(project))).toBeUndefined();
    expect(first.startFor('user-prompt-submit', prompt(project))).toEqual({
      ...prompt(project),
      hook_event_name: 'SessionStart',
      source: 'startup',
    });
    expect(first.startFor('user-prompt-submit', prompt(project))).toBeUndefined();
  });

  it('takes a link to its folder for the folder, and starts nothing for another folder, or where it has none', () => {
    const { project, link, other } = folders();
    expect(firstPrompt(link).startFor('user-prompt-submit', prompt(project))?.source).toBe('startup');
    const elsewhere = firstPrompt(project);
    expect(elsewhere.startFor('user-prompt-submit', prompt(other))).toBeUndefined();
    // The first prompt has passed: a later one in the right folder starts nothing either.
    expect(elsewhere.startFor('user-prompt-submit', prompt(project))).toBeUndefined();
    expect(firstPrompt(undefined).startFor('user-prompt-submit', prompt(project))).toBeUndefined();
  });

  it('starts a conversation a /clear began (a new session id) at its first prompt, as the clear source', () => {
    const { project } = folders();
    const first = firstPrompt(project);
    expect(first.startFor('user-prompt-submit', prompt(project))?.source).toBe('startup');
    const cleared = { ...prompt(project), session_id: 's2' };
    expect(first.startFor('pre-tool-use', cleared)).toBeUndefined();
    expect(first.startFor('user-prompt-submit', cleared)).toEqual({
      ...cleared,
      hook_event_name: 'SessionStart',
      source: 'clear',
    });
    expect(first.startFor('user-prompt-submit', cleared)).toBeUndefined();
  });

  it("tells a compacted conversation its start once, at its next prompt or tool call, a subagent's call excepted", () => {
    const { project } = folders();
    const first = firstPrompt(project);
    first.startFor('user-prompt-submit', prompt(project));
    const call = { ...prompt(project), hook_event_name: 'PreToolUse', tool_name: 'Bash' };
    expect(first.compacted({ event: 'compacted', session_id: 's1', agent_id: '' })).toBe(true);
    expect(first.startFor('turn-end', prompt(project))).toBeUndefined();
    expect(first.startFor('pre-tool-use', { ...call, agent_id: 'a1' })).toBeUndefined();
    expect(first.startFor('pre-tool-use', call)).toEqual({
      ...call,
      hook_event_name: 'SessionStart',
      source: 'compact',
    });
    expect(first.startFor('post-tool-use', call)).toBeUndefined();
    // A subagent's compaction leaves the session's own conversation as it was; another session's is not this one's.
    expect(first.compacted({ event: 'compacted', session_id: 's1', agent_id: 'a1' })).toBe(true);
    expect(first.compacted({ event: 'compacted', session_id: 'elsewhere', agent_id: '' })).toBe(true);
    expect(first.startFor('user-prompt-submit', prompt(project))).toBeUndefined();
    // Any other event is not a compaction: it is the hook tool's to run.
    expect(first.compacted({ event: 'pre-tool-use', session_id: 's1' })).toBe(false);
  });
});

describe('answer', () => {
  it("runs the start before the first prompt's event, and a start that fails leaves that event's answer", async () => {
    const { project } = folders();
    const ran: string[] = [];
    const failures: unknown[] = [];
    const news = { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the news' } };
    const run = async (event: string) => {
      ran.push(event);
      if (event === 'session-start') throw new Error('the cache is locked');
      return news;
    };
    const first = firstPrompt(project);
    expect(await first.answer(promptCall(project), run, (err) => failures.push(err))).toBe(news);
    expect(ran).toEqual(['session-start', 'user-prompt-submit']);
    expect(failures).toEqual([new Error('the cache is locked')]);
    expect(await first.answer(promptCall(project), run, (err) => failures.push(err))).toBe(news);
    expect(ran).toEqual(['session-start', 'user-prompt-submit', 'user-prompt-submit']);
  });
});

describe('withStart', () => {
  const start = {
    systemMessage: 'seen by the person',
    hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'the tasks' },
  };

  it("answers as the event: the start's context, then the event's, the start's other fields kept", () => {
    const news = { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the news' } };
    expect(withStart(start, news, 'UserPromptSubmit')).toEqual({
      systemMessage: 'seen by the person',
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the tasks\n\nthe news' },
    });
    expect(withStart(start, null, 'UserPromptSubmit')).toEqual({
      systemMessage: 'seen by the person',
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the tasks' },
    });
  });

  it("keeps a tool call's refusal, the start told beside it", () => {
    const refusal = {
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'main' },
    };
    expect(withStart(start, refusal, 'PreToolUse')).toEqual({
      systemMessage: 'seen by the person',
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: 'main',
        additionalContext: 'the tasks',
      },
    });
  });

  it("is the event's own answer where no start was told", () => {
    const news = { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the news' } };
    expect(withStart(null, news, 'UserPromptSubmit')).toBe(news);
    expect(withStart(null, null, 'UserPromptSubmit')).toBeNull();
  });
});
