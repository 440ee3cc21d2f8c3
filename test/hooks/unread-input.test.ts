// PreToolUse with an input it cannot read — none (an agent that sends nothing), or one past the limit — refuses the
// call while a guard is on, instead of letting through what no guard read; with no guard on, it stays silent. Through
// the hook command as install writes it and through the built node hook.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_HOOK_INPUT_BYTES } from '../../src/hooks/hosts/stdin-read.js';
import { SOCKET_POST, socketFirstCommand } from '../../src/install/writing/settings.js';
import { demoProject, hookEnv, parseHookStdout, preToolUseInput, ROOT, runHook } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const GUARDED = { hooks: { guards: { protectedBranches: ['main'] } } };

/** The PreToolUse hook command as install writes it, run by sh with `input` on stdin and `env`; its stdout. */
function runCommand(home: string, cwd: string, input: string, env: NodeJS.ProcessEnv): Promise<string> {
  const command = socketFirstCommand({
    node: process.execPath,
    script: path.join(ROOT, 'dist/hooks/pre-tool-use.js'),
    post: path.join(ROOT, SOCKET_POST),
    name: 'pre-tool-use',
    // Nothing listens there: the node hook answers.
    socket: path.join(home, 'monitor.sock'),
  });
  return new Promise((resolve, reject) => {
    const child = execFile('/bin/sh', ['-c', command], { cwd, env, timeout: 30_000 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

describe('PreToolUse on an input it cannot read', () => {
  it('refuses the call when the agent sends no input and a guard is on', async () => {
    const project = demoProject({ config: GUARDED });
    cleanups.push(project.cleanup);
    const env = { ...hookEnv(project.home), CLAUDE_PROJECT_DIR: project.repo.dir };
    const out = parseHookStdout(await runCommand(project.home, project.repo.dir, '', env));
    expect(out?.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out?.hookSpecificOutput.permissionDecisionReason).toMatch(/input could not be read \(stdin is empty\)/);
  });

  it('stays silent on no input with no guard on', async () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    const env = { ...hookEnv(project.home), CLAUDE_PROJECT_DIR: project.repo.dir };
    expect(await runCommand(project.home, project.repo.dir, '', env)).toBe('');
  });

  it('refuses an input past the limit without reading it whole', async () => {
    const project = demoProject({ config: GUARDED });
    cleanups.push(project.cleanup);
    const padding = 'a'.repeat(MAX_HOOK_INPUT_BYTES);
    const input = preToolUseInput(project.repo.dir, 'Bash', { command: `echo "${padding}" && git push origin x` });
    const run = await runHook('pre-tool-use', input, {
      home: project.home,
      cwd: project.repo.dir,
      env: { CLAUDE_PROJECT_DIR: project.repo.dir },
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(0);
    expect(run.output?.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(run.output?.hookSpecificOutput.permissionDecisionReason).toContain(
      `stdin is over ${MAX_HOOK_INPUT_BYTES / 1048576} MiB`,
    );
  });
});
