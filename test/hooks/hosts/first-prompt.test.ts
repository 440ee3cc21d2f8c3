// The start a plugin session is told at its first prompt: once, in the server's own folder (a link to it counts), and
// one answer carrying the start before what the prompt says.
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
    expect(await first.answer('user-prompt-submit', prompt(project), run, (err) => failures.push(err))).toBe(news);
    expect(ran).toEqual(['session-start', 'user-prompt-submit']);
    expect(failures).toEqual([new Error('the cache is locked')]);
    expect(await first.answer('user-prompt-submit', prompt(project), run, (err) => failures.push(err))).toBe(news);
    expect(ran).toEqual(['session-start', 'user-prompt-submit', 'user-prompt-submit']);
  });
});

describe('withStart', () => {
  const start = {
    systemMessage: 'seen by the person',
    hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'the tasks' },
  };

  it("answers as UserPromptSubmit: the start's context, then the prompt's, the start's other fields kept", () => {
    const news = { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the news' } };
    expect(withStart(start, news)).toEqual({
      systemMessage: 'seen by the person',
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the tasks\n\nthe news' },
    });
    expect(withStart(start, null)).toEqual({
      systemMessage: 'seen by the person',
      hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the tasks' },
    });
  });

  it("is the prompt's own answer where no start was told", () => {
    const news = { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: 'the news' } };
    expect(withStart(null, news)).toBe(news);
    expect(withStart(null, null)).toBeNull();
  });
});
