// The served host as the monitor runs it, without the HTTP in front: the daemon's cache and logger lent in, the
// entries' gates first, another agent's input read and answered in its own shape.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../src/cache/cache.js';
import { runServedHook, type ServedRun } from '../../../src/hooks/hosts/served.js';
import { recordingLogger } from '../../helpers/cache.js';
import { demoProject, hookEnv, preToolUseInput } from '../../helpers/hooks.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A project guarding secrets/**, and the run's parts as the monitor lends them: its open cache, a logger, its env. */
function servedProject(): { dir: string; run: ServedRun; logged: string[] } {
  const project = demoProject({ config: { hooks: { guards: { protectedPaths: ['secrets/**'] } } } });
  const cache = openCache({ home: project.home });
  cleanups.push(() => cache.close(), project.cleanup);
  const logged: string[] = [];
  return { dir: project.repo.dir, run: { cache, log: recordingLogger(logged), env: hookEnv(project.home) }, logged };
}

describe('runServedHook', () => {
  it("answers Claude Code's input in Claude Code's shape with the lent cache", async () => {
    const { dir, run } = servedProject();
    const edit = (file: string) => preToolUseInput(dir, 'Edit', { file_path: path.join(dir, file) });
    expect(await runServedHook('pre-tool-use', edit('secrets/key'), run)).toMatchObject({
      hookSpecificOutput: {
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('secrets/**'),
      },
    });
  });

  it('says nothing for a call no gate lets through, before any settings are read', async () => {
    const { dir, run, logged } = servedProject();
    // A Read is neither watched nor an edit: PreToolUse's gates stop it, so nothing is parsed or logged.
    const read = preToolUseInput(dir, 'Read', { file_path: path.join(dir, 'a.ts') });
    expect(await runServedHook('pre-tool-use', read, run)).toBeNull();
    expect(logged).toEqual([]);
  });

  it("reads another agent's input and answers in that agent's shape", async () => {
    const { dir, run } = servedProject();
    const write = {
      session_id: 'ses_1',
      cwd: dir,
      hook_event_name: 'tool.execute.before',
      tool_name: 'write',
      tool_input: { filePath: 'secrets/key', content: 'k' },
    };
    expect(await runServedHook('pre-tool-use', write, { ...run, caller: { agent: 'opencode' } })).toEqual({
      deny: expect.stringContaining('secrets/**'),
    });
  });
});
