// The hook commands install writes for Qwen Code, Gemini CLI, Codex and Copilot CLI, run as each agent runs them
// (`sh -c`, Copilot CLI's `bash -c`, the agent's input on stdin) against a real monitor: no node starts while it
// answers, the node hook once per hook where it is stopped, and a guarded call refused either way.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/install/paths.js';
import { agentWorld, type AgentWorld } from '../helpers/agent-world.js';
import { ROOMY_DEADLINES, writeConfig } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Lean = 'qwen' | 'gemini' | 'codex' | 'copilot';

/** Where each agent's install writes its hooks, relative to the project. */
const FILES: Record<Lean, string> = {
  qwen: '.qwen/settings.json',
  gemini: '.gemini/settings.json',
  codex: '.codex/hooks.json',
  copilot: '.github/hooks/taskhooks.json',
};

let calls = 0;

/** One call of each agent's: its before- and after-call events and an input writing `file`. */
function writeCall(agent: Lean, w: AgentWorld, file: string) {
  const base = { session_id: `s-${agent}`, cwd: w.dir };
  switch (agent) {
    case 'qwen':
    case 'gemini': {
      const [before, after] = agent === 'qwen' ? ['PreToolUse', 'PostToolUse'] : ['BeforeTool', 'AfterTool'];
      const input = { ...base, tool_name: 'write_file', tool_input: { file_path: file, content: 'x' } };
      return { before, after, input: (e: string) => ({ ...input, hook_event_name: e }) };
    }
    case 'codex': {
      const patch = `*** Begin Patch\n*** Add File: ${file}\n+x\n*** End Patch\n`;
      const input = { ...base, tool_name: 'apply_patch', tool_input: { command: patch } };
      // Each run a call of its own: the monitor answered the first one's event, which no second run answers again.
      const id = `c${++calls}`;
      return {
        before: 'PreToolUse',
        after: 'PostToolUse',
        input: (e: string) => ({ ...input, hook_event_name: e, tool_use_id: id }),
      };
    }
    case 'copilot': {
      const input = { sessionId: base.session_id, cwd: w.dir, toolName: 'create', toolArgs: { path: file } };
      return { before: 'preToolUse', after: 'postToolUse', input: () => input };
    }
  }
}

/** The commands of the agent's event in its installed file. */
function commandsAt(w: AgentWorld, agent: Lean, event: string): string[] {
  const hooks = (
    JSON.parse(readFileSync(path.join(w.dir, FILES[agent]), 'utf8')) as { hooks: Record<string, unknown[]> }
  ).hooks;
  return (hooks[event] ?? []).flatMap((g) => {
    const e = g as { bash?: string; hooks?: Array<{ command: string }> };
    return e.bash !== undefined ? [e.bash] : (e.hooks ?? []).map((h) => h.command);
  });
}

/** A `node` that logs each start into `log`, then runs the real one. */
function loggingNode(dir: string, log: string): string {
  const shim = path.join(dir, 'node-shim');
  writeFileSync(
    shim,
    `#!/bin/sh\necho "start $1 $2 $3" >> ${shellQuote(log)}\nexec ${shellQuote(process.execPath)} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return shim;
}

/** Runs one installed command as the agent does, its node swapped for the logging one: its stdout. */
function runAsAgent(w: AgentWorld, agent: Lean, command: string, input: unknown, shim: string): Promise<string> {
  const swapped = command.replaceAll(shellQuote(process.execPath), shellQuote(shim));
  expect(swapped).not.toBe(command);
  return new Promise((resolve, reject) => {
    const child = execFile(
      agent === 'copilot' ? 'bash' : 'sh',
      ['-c', swapped],
      { cwd: w.dir, env: w.env, timeout: 60_000 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
    child.stdin?.end(JSON.stringify(input));
  });
}

/** What the logging node wrote: one line per start, naming the hook. */
const logged = (log: string): string => (existsSync(log) ? readFileSync(log, 'utf8') : '');
const starts = (log: string): number => logged(log).split('\n').filter(Boolean).length;

describe('lean agent hooks', () => {
  it('start no node per tool call while the monitor answers, one per hook where it is stopped', async () => {
    const w = await agentWorld('qwen', cleanups, { hooks: { guards: { protectedPaths: ['secrets/**'] } } });
    for (const agent of ['gemini', 'codex', 'copilot'] as const) await w.cli(['install', '--agent', agent]);
    await w.add('Fix the checkout total');
    const log = path.join(w.tmp, 'node-starts.log');
    const shim = loggingNode(w.tmp, log);
    const protectedFile = path.join(w.dir, 'secrets', 'key');
    const refused = /secrets\/\*\*/;
    const oneCall = async (agent: Lean) => {
      const call = writeCall(agent, w, protectedFile);
      const [before] = commandsAt(w, agent, call.before);
      const after = commandsAt(w, agent, call.after);
      // One hook before the call (a guard is on), one after it.
      expect(before, agent).toContain('socket-post.pl');
      expect(after, agent).toHaveLength(1);
      const answer = await runAsAgent(w, agent, before ?? '', call.input(call.before), shim);
      expect(answer, agent).toMatch(refused);
      await runAsAgent(w, agent, after[0] ?? '', call.input(call.after), shim);
    };
    // The world's monitor runs (these agents' task tools are its store server).
    // A monitor's first answer loads its code: SessionStart waits 0.3 s for it (its node hook starts the monitor), so a
    // session of its own comes first, as one always has by the time a tool call is made.
    const session = (id: string) => ({ session_id: id, sessionId: id, cwd: w.dir, hook_event_name: 'SessionStart' });
    const [warm] = commandsAt(w, 'qwen', 'SessionStart');
    await runAsAgent(w, 'qwen', warm ?? '', session('warm-up'), shim);
    rmSync(log, { force: true });
    for (const agent of ['qwen', 'gemini', 'codex', 'copilot'] as const) {
      const [start] = commandsAt(w, agent, agent === 'copilot' ? 'sessionStart' : 'SessionStart');
      const input = session(`s-${agent}`);
      expect(await runAsAgent(w, agent, start ?? '', input, shim), agent).toContain('Fix the checkout total');
      // SessionStart gives a busy monitor 0.3 s before its node hook answers: only the tool call's hooks are counted.
      rmSync(log, { force: true });
      await oneCall(agent);
      expect(logged(log), agent).toBe('');
    }
    expect(logged(log)).toBe('');

    await w.cli(['monitor', 'stop']);
    for (const [i, agent] of (['qwen', 'gemini', 'codex', 'copilot'] as const).entries()) {
      await oneCall(agent);
      expect(starts(log), agent).toBe(2 * (i + 1));
    }
  });
});

describe('a guard configured after an install of another agent made without one', () => {
  it("starts that agent's session with the line that says calls go unchecked, and how to fix it", async () => {
    const w = await agentWorld('qwen', cleanups);
    writeConfig(w.taskhooksHome, { hooks: { ...ROOMY_DEADLINES, guards: { protectedPaths: ['secrets/**'] } } });
    // Installed with no guard on, Qwen Code has no hook before a call: nothing would refuse a write of secrets/.
    expect(commandsAt(w, 'qwen', 'PreToolUse')).toEqual([]);
    const [start] = commandsAt(w, 'qwen', 'SessionStart');
    const log = path.join(w.tmp, 'node-starts.log');
    const input = { session_id: 's-1', cwd: w.dir, hook_event_name: 'SessionStart' };
    expect(await runAsAgent(w, 'qwen', start ?? '', input, loggingNode(w.tmp, log))).toContain(
      "hooks.guards.protectedPaths is set but this project's hooks were installed without a guard, so tool calls are not all checked before they run; run `taskhooks install --agent qwen`",
    );
  });
});
