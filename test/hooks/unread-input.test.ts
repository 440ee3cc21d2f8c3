// PreToolUse with an input it cannot read — none (a hook command with no `cat` on the PATH), or one past the limit —
// refuses the call while a guard is on, instead of letting through what no guard read; with no guard on, it stays
// silent. Through the hook command as install writes it and through the built node hook.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
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

/** A folder for PATH holding perl and nothing else: no `cat`. */
function pathWithoutCat(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-no-cat-'));
  symlinkSync('/usr/bin/perl', path.join(dir, 'perl'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The PreToolUse hook command as install writes it, run by sh with `env`; its stdout. */
function runCommand(home: string, cwd: string, input: object, env: NodeJS.ProcessEnv): Promise<string> {
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
    child.stdin?.end(JSON.stringify(input));
  });
}

describe('PreToolUse on an input it cannot read', () => {
  it('refuses the call when no `cat` is on the PATH and a guard is on', async () => {
    const project = demoProject({ config: GUARDED });
    cleanups.push(project.cleanup);
    const input = preToolUseInput(project.repo.dir, 'Bash', { command: 'git push origin main' });
    const env = { ...hookEnv(project.home), PATH: pathWithoutCat(), CLAUDE_PROJECT_DIR: project.repo.dir };
    const out = parseHookStdout(await runCommand(project.home, project.repo.dir, input, env));
    expect(out?.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out?.hookSpecificOutput.permissionDecisionReason).toMatch(/input could not be read \(stdin is empty\)/);
  });

  it('stays silent on it with no guard on', async () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    const input = preToolUseInput(project.repo.dir, 'Bash', { command: 'git push origin main' });
    const env = { ...hookEnv(project.home), PATH: pathWithoutCat(), CLAUDE_PROJECT_DIR: project.repo.dir };
    expect(await runCommand(project.home, project.repo.dir, input, env)).toBe('');
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
