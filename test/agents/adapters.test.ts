// Each agent's input in Claude Code's shape and the answer back in the agent's, as the real CLIs send and read them
// (the shapes below are what Codex 0.169.0, Gemini CLI 0.61.0 and Qwen Code 0.24.4 sent a logging hook; test/e2e runs
// the real CLIs).
import { describe, expect, it } from 'vitest';
import { agentArgument, AGENTS, agentLabel, eventArgument } from '../../src/agents/index.js';
import { patchFiles } from '../../src/agents/tools.js';
import { TOOLS as QWEN_TOOLS } from '../../src/agents/qwen/hooks.js';
import { HOOK_NAMES } from '../../src/hooks/events/events.js';

const deny = {
  hookSpecificOutput: {
    hookEventName: 'PreToolUse',
    permissionDecision: 'deny' as const,
    permissionDecisionReason: 'no',
  },
};
const context = (event: string) => ({ hookSpecificOutput: { hookEventName: event, additionalContext: 'ctx' } });

describe('agentArgument', () => {
  it('reads --agent=<id> among the hook arguments, and nothing else', () => {
    expect(agentArgument(['node', 'x.js', '--agent=codex'])).toBe('codex');
    expect(agentArgument(['node', 'x.js'])).toBeUndefined();
    expect(agentArgument(['node', 'x.js', '--agent=vim'])).toBeUndefined();
    expect(agentArgument(['node', 'x.js', '--agent=copilot', '--event=preToolUse'])).toBe('copilot');
    expect(eventArgument(['node', 'x.js', '--agent=copilot', '--event=preToolUse'])).toBe('preToolUse');
    expect(eventArgument(['node', 'x.js', '--agent=qwen'])).toBeUndefined();
  });
});

describe('Codex', () => {
  const { toCommon, fromCommon, reach } = AGENTS.codex;

  it('reads apply_patch as an edit of the first file its patch touches, named absolutely', () => {
    const input = toCommon({
      hook_event_name: 'PreToolUse',
      cwd: '/work/shop',
      tool_name: 'apply_patch',
      tool_input: {
        command: '*** Begin Patch\n*** Update File: src/a.ts\n@@\n-a\n+b\n*** Add File: b.ts\n+x\n*** End Patch\n',
      },
      tool_use_id: 'call_3',
    });
    expect(input).toMatchObject({ tool_name: 'Edit', agent_tool_name: 'apply_patch' });
    expect(input.tool_input).toMatchObject({ file_path: '/work/shop/src/a.ts', file_paths: ['/work/shop/b.ts'] });
  });

  it('passes its shell as it is: Bash with {command}', () => {
    const raw = { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git push' } };
    expect(toCommon(raw)).toEqual(raw);
  });

  it('names a prompt by its turn, so a second registration of the same prompt is one event', () => {
    expect(toCommon({ hook_event_name: 'UserPromptSubmit', turn_id: 't-1', prompt: 'go on' })).toMatchObject({
      prompt_id: 't-1',
    });
  });

  it("answers in Claude Code's shape, which reaches its model and decides at every event", () => {
    expect(fromCommon(deny, 'PreToolUse')).toEqual(deny);
    expect(reach('PreToolUse')).toEqual({ context: true, decision: true });
  });

  it('finds every file of a patch, in its order, and none in a patch without one', () => {
    const patch =
      '*** Begin Patch\n*** Delete File: old.txt\n*** Update File: a.ts\n*** Move to: b.ts\n@@\n-a\n+b\n*** End Patch';
    expect(patchFiles(patch)).toEqual(['old.txt', 'a.ts', 'b.ts']);
    expect(patchFiles('*** Begin Patch\n*** End Patch')).toEqual([]);
    expect(patchFiles(42)).toEqual([]);
    // As Codex's own parser reads a hunk's header: the line trimmed, CRLF line ends, in linear time at any size.
    expect(patchFiles('*** Begin Patch\r\n \t*** Update File: a.ts \r\n\t*** Move to: b.ts\r\n*** End Patch')).toEqual([
      'a.ts',
      'b.ts',
    ]);
    expect(patchFiles(`*** Begin Patch\n${' '.repeat(5_000_000)}*** Add File: x\n*** End Patch`)).toEqual(['x']);
  });
});

describe('Gemini CLI', () => {
  const { toCommon, fromCommon, reach } = AGENTS.gemini;

  it('maps its events and tools onto Claude Code’s, keeping its own names', () => {
    const input = toCommon({
      hook_event_name: 'BeforeTool',
      cwd: '/work/shop',
      tool_name: 'write_file',
      tool_input: { file_path: 'notes.txt', content: 'hello\n' },
    });
    expect(input).toMatchObject({
      hook_event_name: 'PreToolUse',
      agent_event_name: 'BeforeTool',
      tool_name: 'Write',
      agent_tool_name: 'write_file',
      tool_input: { file_path: '/work/shop/notes.txt' },
    });
    expect(toCommon({ hook_event_name: 'BeforeAgent', prompt: 'hi' })).toMatchObject({
      hook_event_name: 'UserPromptSubmit',
    });
    expect(toCommon({ tool_name: 'run_shell_command', tool_input: { command: 'ls' } })).toMatchObject({
      tool_name: 'Bash',
    });
    expect(toCommon({ tool_name: 'replace', tool_input: { file_path: '/a' } })).toMatchObject({ tool_name: 'Edit' });
  });

  it("reads AfterTool's result as what the model read", () => {
    const input = toCommon({
      hook_event_name: 'AfterTool',
      tool_name: 'run_shell_command',
      tool_response: { llmContent: 'Output: hi', returnDisplay: 'hi' },
    });
    expect(input.tool_response).toBe('Output: hi');
  });

  it('denies before a tool with the reason its model reads, and says nothing there it would not read', () => {
    expect(fromCommon(deny, 'BeforeTool')).toEqual({ decision: 'deny', reason: 'no' });
    expect(fromCommon(context('PreToolUse'), 'BeforeTool')).toBeNull();
    expect(reach('BeforeTool')).toEqual({ context: false, decision: true });
  });

  it('tells context after a tool and at the start of a turn, named by its own event', () => {
    expect(fromCommon(context('PreToolUse'), 'AfterTool')).toEqual({
      hookSpecificOutput: { hookEventName: 'AfterTool', additionalContext: 'ctx' },
    });
    expect(fromCommon(context('UserPromptSubmit'), 'BeforeAgent')).toEqual(context('BeforeAgent'));
    expect(reach('AfterTool')).toEqual({ context: true, decision: false });
  });
});

describe('Qwen Code', () => {
  const { toCommon, fromCommon, reach } = AGENTS.qwen;

  it('keeps its events and maps its tools onto Claude Code’s, reading a result as what the model read', () => {
    const input = toCommon({
      hook_event_name: 'PreToolUse',
      cwd: '/work/shop',
      tool_name: 'edit',
      tool_input: { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' },
    });
    expect(input).toMatchObject({
      hook_event_name: 'PreToolUse',
      tool_name: 'Edit',
      agent_tool_name: 'edit',
      tool_input: { file_path: '/work/shop/src/a.ts' },
    });
    expect(toCommon({ tool_name: 'write_file', tool_input: { file_path: '/a' } })).toMatchObject({
      tool_name: 'Write',
    });
    const after = toCommon({
      hook_event_name: 'PostToolUse',
      tool_name: 'run_shell_command',
      tool_input: { command: 'ls' },
      tool_response: { llmContent: 'Output: hi', returnDisplay: 'hi' },
    });
    expect(after).toMatchObject({ tool_name: 'Bash', tool_response: 'Output: hi' });
  });

  it('reads the empty prompt it sends before the request with tool results as the point after them, not a prompt', () => {
    expect(toCommon({ hook_event_name: 'UserPromptSubmit', session_id: 's', prompt: '' })).toMatchObject({
      hook_event_name: 'PostToolBatch',
      agent_event_name: 'UserPromptSubmit',
    });
    expect(toCommon({ hook_event_name: 'UserPromptSubmit', prompt: 'fix it' })).toMatchObject({
      hook_event_name: 'UserPromptSubmit',
    });
  });

  it('decides before a tool, tells context after it, each named by its own event', () => {
    expect(fromCommon(deny, 'PreToolUse')).toEqual(deny);
    expect(fromCommon(context('PreToolUse'), 'PreToolUse')).toBeNull();
    expect(reach('PreToolUse')).toEqual({ context: false, decision: true });
    expect(fromCommon(context('PreToolUse'), 'PostToolUse')).toEqual(context('PostToolUse'));
    expect(fromCommon(context('PostToolBatch'), 'UserPromptSubmit')).toEqual(context('UserPromptSubmit'));
    expect(reach('PostToolUse')).toEqual({ context: true, decision: false });
    expect(reach('SessionStart')).toEqual({ context: true, decision: true });
  });
});

describe('Copilot CLI', () => {
  const { toCommon, fromCommon, reach } = AGENTS.copilot;
  const base = { sessionId: 's-1', timestamp: 1, cwd: '/work/shop' };

  it('reads its camelCase input, the event named by its registration, in Claude Code’s shape', () => {
    expect(toCommon({ ...base, hook_event_name: 'sessionStart', source: 'new', initialPrompt: 'hi' })).toMatchObject({
      hook_event_name: 'SessionStart',
      agent_event_name: 'sessionStart',
      session_id: 's-1',
      source: 'startup',
    });
    const post = toCommon({
      ...base,
      hook_event_name: 'postToolUse',
      toolName: 'bash',
      toolArgs: { command: 'git push', description: 'push' },
      toolResult: { resultType: 'success', textResultForLlm: 'pushed' },
    });
    expect(post).toMatchObject({
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      agent_tool_name: 'bash',
      tool_input: { command: 'git push' },
      tool_response: 'pushed',
    });
  });

  it('reads apply_patch as an edit of every file its patch touches, named absolutely', () => {
    const input = toCommon({
      ...base,
      hook_event_name: 'preToolUse',
      toolName: 'apply_patch',
      toolArgs: '*** Begin Patch\n*** Add File: a.txt\n+x\n*** Update File: b.txt\n@@\n-a\n+b\n*** End Patch\n',
    });
    expect(input).toMatchObject({ tool_name: 'Edit', agent_tool_name: 'apply_patch' });
    expect(input.tool_input).toMatchObject({ file_path: '/work/shop/a.txt', file_paths: ['/work/shop/b.txt'] });
  });

  it('answers at the top level, where every event’s context reaches its model', () => {
    expect(fromCommon(deny, 'preToolUse')).toEqual({ permissionDecision: 'deny', permissionDecisionReason: 'no' });
    expect(fromCommon(context('PostToolUse'), 'postToolUse')).toEqual({ additionalContext: 'ctx' });
    expect(fromCommon({ hookSpecificOutput: { hookEventName: 'PreToolUse' } }, 'preToolUse')).toBeNull();
    expect(reach('preToolUse')).toEqual({ context: true, decision: true });
  });
});

describe('every agent', () => {
  it('registers only hook entries that exist, one group per event', () => {
    for (const agent of Object.values(AGENTS)) {
      const events = agent.bindings.map((b) => b.event);
      expect(new Set(events).size, agent.id).toBe(events.length);
      for (const b of agent.bindings)
        for (const h of b.hooks) expect(HOOK_NAMES, `${agent.id} ${b.event}`).toContain(h);
    }
  });

  it('has a label a person reads, and none for an agent this build does not know', () => {
    expect(agentLabel('codex')).toBe('Codex');
    expect(agentLabel('gemini')).toBe('Gemini CLI');
    expect(agentLabel('claude')).toBe('Claude Code');
    expect(agentLabel('qwen')).toBe('Qwen Code');
    expect(agentLabel('vim')).toBeUndefined();
  });

  it("keeps each agent's configuration where it reads it, honouring CODEX_HOME", () => {
    const env = { HOME: '/home/dana', CODEX_HOME: '/opt/codex' };
    expect(AGENTS.codex.configFile('user', '/p', env)).toBe('/opt/codex/hooks.json');
    expect(AGENTS.codex.configFile('user', '/p', { HOME: '/home/dana' })).toBe('/home/dana/.codex/hooks.json');
    expect(AGENTS.codex.configFile('project', '/p', env)).toBe('/p/.codex/hooks.json');
    expect(AGENTS.gemini.configFile('project', '/p', env)).toBe('/p/.gemini/settings.json');
    expect(AGENTS.gemini.configFile('user', '/p', env)).toBe('/home/dana/.gemini/settings.json');
    expect(AGENTS.qwen.configFile('project', '/p', env)).toBe('/p/.qwen/settings.json');
    expect(AGENTS.qwen.configFile('user', '/p', env)).toBe('/home/dana/.qwen/settings.json');
    expect(AGENTS.qwen.configFile('user', '/p', { ...env, QWEN_HOME: '/opt/qwen' })).toBe('/opt/qwen/settings.json');
    expect(AGENTS.opencode.configFile('user', '/p', env)).toBe('/home/dana/.config/opencode/opencode.json');
    expect(AGENTS.opencode.configFile('user', '/p', { ...env, XDG_CONFIG_HOME: '/x' })).toBe(
      '/x/opencode/opencode.json',
    );
    expect(AGENTS.opencode.configFile('project', '/p', env)).toBe('/p/opencode.json');
    expect(AGENTS.copilot.mcp?.file('project', '/p', { ...env, COPILOT_HOME: '/c' })).toBe('/c/mcp-config.json');
    expect(AGENTS.gemini.mcp?.file('user', '/p', env)).toBe('/home/dana/.gemini/settings.json');
    expect(AGENTS.qwen.mcp?.entry('node', ['mcp'])).toEqual({ command: 'node', args: ['mcp'] });
  });

  it('binds the entries to each agent’s own events, one after a call but in OpenCode’s plugin, which asks each', () => {
    const bound = (id: keyof typeof AGENTS) => AGENTS[id].bindings.map((b) => `${b.event}[${b.matcher}] ${b.hooks}`);
    expect(bound('qwen')).toEqual([
      'SessionStart[] session-start',
      'UserPromptSubmit[] user-prompt-submit',
      `PreToolUse[${Object.keys(QWEN_TOOLS).join('|')}] pre-tool-use`,
      'PostToolUse[] post-tool-use',
      'SessionEnd[] session-end',
    ]);
    expect(bound('copilot')).toEqual([
      'sessionStart[] session-start',
      'userPromptSubmitted[] user-prompt-submit',
      'preToolUse[] pre-tool-use',
      'postToolUse[] post-tool-use',
      'sessionEnd[] session-end',
    ]);
    expect(bound('gemini')[3]).toBe('AfterTool[] post-tool-use');
    // Its turn's end is Claude Code's Stop: the work record, with the words AfterAgent carries.
    expect(bound('gemini').at(-1)).toBe('AfterAgent[] turn-end');
    expect(bound('opencode')[3]).toBe('tool.execute.after[] post-tool-use,pre-tool-use');
    expect(bound('opencode')[0]).toBe('experimental.chat.system.transform[] session-start');
  });

  it('is told present by its command, or by its own home', () => {
    const env = { HOME: '/home/dana', QWEN_HOME: '/opt/qwen' };
    expect(AGENTS.qwen.presence?.command).toBe('qwen');
    expect(AGENTS.qwen.presence?.dirs(env)).toEqual(['/opt/qwen']);
    expect(AGENTS.gemini.presence?.dirs(env)).toEqual(['/home/dana/.gemini']);
    expect(AGENTS.claude.presence?.dirs(env)).toEqual(['/home/dana/.claude']);
  });
});
