// The built hook entries run as Codex and Gemini CLI run them (`--agent=<id>`, their own input): the answer in the
// agent's shape, the guards on every file of a Codex patch, and Gemini CLI's reminder kept for AfterTool, where its
// model reads it.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoProject, runHook, seedSnapshot, task } from '../helpers/hooks.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function project(config: unknown = {}) {
  const p = demoProject({ config });
  cleanups.push(p.cleanup);
  seedSnapshot(p.home, {
    sourceKey: 'embedded',
    project: 'demo',
    branch: 'main',
    tasks: [task('T-1', { status: 'in_progress', title: 'Fix the checkout total' })],
  });
  return p;
}

const common = (cwd: string, session: string) => ({ session_id: session, transcript_path: '', cwd });

describe('Codex', () => {
  it('denies a patch whose second file is protected, in the shape Codex reads', async () => {
    const p = project({ hooks: { guards: { protectedPaths: ['secrets/**'] } } });
    const patch = '*** Begin Patch\n*** Update File: src/a.ts\n+x\n*** Add File: secrets/key\n+k\n*** End Patch\n';
    const run = await runHook(
      'pre-tool-use',
      {
        ...common(p.repo.dir, 'codex-1'),
        hook_event_name: 'PreToolUse',
        turn_id: 't-1',
        model: 'gpt-5.5',
        permission_mode: 'bypassPermissions',
        tool_name: 'apply_patch',
        tool_input: { command: patch },
        tool_use_id: 'call_1',
      },
      { home: p.home, args: ['--agent=codex'] },
    );
    expect(run.output?.hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'deny' });
    expect(run.output?.hookSpecificOutput.permissionDecisionReason).toContain('secrets/key');
  });
  it.each([
    ['a space', ' *** Update File: secrets/a.txt'],
    ['a tab', '\t*** Update File: secrets/a.txt'],
    ['trailing spaces and a CR', '*** Add File: secrets/a.txt  \r'],
    ['padding on both sides', ' \t *** Delete File: secrets/a.txt \t'],
  ])('denies a patch whose marker Codex reads padded with %s', async (_how, marker) => {
    const p = project({ hooks: { guards: { protectedPaths: ['secrets/**'] } } });
    const patch = `*** Begin Patch\n${marker}\n@@\n-a\n+b\n*** End Patch\n`;
    const input = {
      ...common(p.repo.dir, 'codex-1'),
      hook_event_name: 'PreToolUse',
      turn_id: 't-1',
      tool_name: 'apply_patch',
      tool_input: { command: patch },
      tool_use_id: 'call_1',
    };
    const run = await runHook('pre-tool-use', input, { home: p.home, args: ['--agent=codex'] });
    expect(run.output?.hookSpecificOutput).toMatchObject({ permissionDecision: 'deny' });
    expect(run.output?.hookSpecificOutput.permissionDecisionReason).toContain('secrets/a.txt');
  });
});

describe('Gemini CLI', () => {
  const gemini = (cwd: string, event: string, tool: string, toolInput: Record<string, unknown>) => ({
    ...common(cwd, 'gemini-1'),
    hook_event_name: event,
    timestamp: new Date().toISOString(),
    tool_name: tool,
    tool_input: toolInput,
    ...(event === 'AfterTool' ? { tool_response: { llmContent: 'ok', returnDisplay: 'ok' } } : {}),
  });

  it('says nothing before an edit its model would not read, then reminds with the edit’s result', async () => {
    const p = project();
    const edit = { file_path: 'notes.txt', content: 'hello\n' };
    const before = await runHook('pre-tool-use', gemini(p.repo.dir, 'BeforeTool', 'write_file', edit), {
      home: p.home,
      args: ['--agent=gemini'],
    });
    expect(before.stdout).toBe('');
    const after = await runHook('pre-tool-use', gemini(p.repo.dir, 'AfterTool', 'write_file', edit), {
      home: p.home,
      args: ['--agent=gemini'],
    });
    expect(after.output?.hookSpecificOutput.hookEventName).toBe('AfterTool');
    expect(after.output?.hookSpecificOutput.additionalContext).toContain('Task in progress on branch main: T-1');
  });

  it('denies a protected file before the edit as {decision, reason}, resolving its relative path', async () => {
    const p = project({ hooks: { guards: { protectedPaths: ['secrets/**'] } } });
    const run = await runHook(
      'pre-tool-use',
      gemini(p.repo.dir, 'BeforeTool', 'replace', {
        file_path: path.join('secrets', 'key'),
        old_string: 'a',
        new_string: 'b',
      }),
      { home: p.home, args: ['--agent=gemini'] },
    );
    expect(JSON.parse(run.stdout)).toEqual({ decision: 'deny', reason: expect.stringContaining('secrets/key') });
  });
});
