// Served hooks for another agent: a caller that names its agent (`x-taskhooks-agent`, as OpenCode's plugin does)
// sends the agent's own input and gets the agent's own answer, read and decided by the same events as Claude Code's.
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { registerProject } from '../../src/cache/registered-projects.js';
import { startServedHooks, type ServedHooks } from '../../src/monitor/serve/served-hooks.js';
import { productionServices } from '../../src/monitor/services.js';
import { silentLogger } from '../helpers/cache.js';
import { demoProject, hookEnv, seedSnapshot, task } from '../helpers/hooks.js';

let served: ServedHooks | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await served?.close();
  served = undefined;
  for (const c of cleanups.splice(0)) c();
});

describe('served hooks for OpenCode', () => {
  it("reads OpenCode's input and answers in the plugin's shape: a refusal before, the reminder after", async () => {
    const project = demoProject({ config: { hooks: { guards: { protectedPaths: ['secrets/**'] } } } });
    cleanups.push(project.cleanup);
    const cache = openCache({ home: project.home });
    cleanups.unshift(() => cache.close());
    // Posted with the token: answered for a registered project only.
    registerProject(cache, { root: project.repo.dir, name: 'demo', sourceKey: 'embedded', registeredBy: 'test' });
    seedSnapshot(project.home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    const services = productionServices(hookEnv(project.home));
    const log = silentLogger();
    const token = 'b'.repeat(64);
    served = await startServedHooks({
      port: 0,
      token,
      log,
      handle: (event, input, caller) => services.runHook(event, input, { cache, log, caller }),
    });
    const post = async (route: string, body: object, agent = 'opencode', event?: string) => {
      const r = await fetch(`http://127.0.0.1:${served?.port}/hooks/${route}`, {
        method: 'POST',
        body: JSON.stringify({ session_id: 'ses_1', cwd: project.repo.dir, ...body }),
        headers: {
          'x-taskhooks-token': token,
          'x-taskhooks-agent': agent,
          ...(event ? { 'x-taskhooks-agent-event': event } : {}),
        },
      });
      return r.json();
    };
    const write = (event: string, file: string) => ({
      hook_event_name: event,
      tool_name: 'write',
      tool_input: { filePath: file, content: 'k' },
    });
    expect(await post('pre-tool-use', write('tool.execute.before', 'secrets/key'))).toEqual({
      deny: expect.stringContaining('secrets/**'),
    });
    // Before an edit OpenCode's model reads nothing but a refusal: the reminder waits for the edit's result.
    expect(await post('pre-tool-use', write('tool.execute.before', 'src/a.ts'))).toEqual({});
    expect(await post('pre-tool-use', write('tool.execute.after', 'src/a.ts'))).toEqual({
      context: expect.stringContaining('Task in progress on branch main: T-1'),
    });
    // An agent this build does not know is read as Claude Code.
    expect(await post('pre-tool-use', write('PreToolUse', 'src/b.ts'), 'vim')).toEqual({});
    // Qwen Code's, Gemini CLI's, Codex's and Copilot CLI's one hook after an edit tells its reminder with the news.
    const edit = { tool_name: 'write_file', tool_input: { file_path: 'src/c.ts', content: 'k' } };
    expect(await post('post-tool-use', { ...edit, session_id: 'q1', hook_event_name: 'PostToolUse' }, 'qwen')).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PostToolUse',
        additionalContext: expect.stringContaining('Task in progress on branch main: T-1'),
      },
    });
    const copilotEdit = { sessionId: 'c1', toolName: 'edit', toolArgs: { path: 'src/d.ts' } };
    expect(await post('post-tool-use', copilotEdit, 'copilot', 'postToolUse')).toEqual({
      additionalContext: expect.stringContaining('Task in progress on branch main: T-1'),
    });
    // Once said, not again.
    expect(await post('post-tool-use', { ...edit, session_id: 'q1', hook_event_name: 'PostToolUse' }, 'qwen')).toEqual(
      {},
    );
    // Copilot CLI's input names no event: the caller names it in a header, as its registration's `--event=` does.
    const copilotWrite = { sessionId: 's2', toolName: 'create', toolArgs: { path: 'secrets/key', file_text: 'k' } };
    expect(await post('pre-tool-use', copilotWrite, 'copilot', 'preToolUse')).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('secrets/**'),
    });
  });
});
