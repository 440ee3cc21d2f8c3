// Paths through a process's own view (/proc/self/cwd/…, /proc/<pid>/root/…, /dev/fd/…) name the agent's files, not
// the monitor's: the path guard reads them as the agent's process sees them, or refuses them when it cannot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../helpers/cache.js';
import { demoProject, hookEnv } from '../helpers/hooks.js';
import { openCache } from '../../src/cache/cache.js';
import { evaluateGuards } from '../../src/hooks/guards/guards.js';
import { productionServices } from '../../src/monitor/services.js';

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)("protected paths through a process's own view", () => {
  let project: ReturnType<typeof demoProject>;
  /** The agent: a process whose working directory is the project, as a session's is. */
  let agent: ChildProcess;
  beforeAll(() => {
    project = demoProject({ config: { hooks: { guards: { protectedPaths: ['secrets/**'] } } } });
    mkdirSync(path.join(project.repo.dir, 'secrets'));
    agent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: project.repo.dir, stdio: 'ignore' });
  });
  afterAll(() => {
    agent.kill();
    project.cleanup();
  });

  const guards = { protectedPaths: ['secrets/**'], protectedBranches: [], requireActiveTask: 'off' as const };
  const decide = (file: string, agentPid?: number) =>
    evaluateGuards({
      guards,
      call: { kind: 'edit', tool: 'Write', file },
      root: project.repo.dir,
      branch: null,
      inProgress: undefined,
      next: undefined,
      ...(agentPid === undefined ? {} : { agentPid: () => agentPid }),
    });

  it("reads /proc/self/… as the agent's process, whichever process asks", () => {
    const pid = agent.pid as number;
    for (const file of [
      '/proc/self/cwd/secrets/new1',
      '/proc/thread-self/cwd/secrets/new1',
      `/proc/${pid}/cwd/secrets/new1`,
      `/proc/self/root${project.repo.dir}/secrets/new1`,
      '/proc/self/cwd/./src/../secrets/new1',
    ])
      expect([file, decide(file, pid)?.decision]).toEqual([file, 'deny']);
    expect(decide('/proc/self/cwd/src/new1', pid)).toBeUndefined();
    expect(decide('/proc/self/cwd/secrets/new1', pid)?.reason).toBe(
      'secrets/new1 is protected by the rule "secrets/**" in hooks.guards.protectedPaths; ask the user to change it or the rule.',
    );
  });

  it("refuses such a path where the agent's process is not known or cannot be read", () => {
    for (const file of ['/proc/self/cwd/src/new1', '/dev/fd/3/x', '/proc/999999999/cwd/src/new1'])
      expect([file, decide(file)?.decision]).toEqual([file, 'deny']);
    expect(decide('/proc/self/cwd/src/new1')?.reason).toMatch(/process's own view .* write to the file's real path/);
  });

  it("answers a Codex patch and a Claude Code Write in the monitor by the caller's process", async () => {
    const services = productionServices(hookEnv(project.home));
    const cache = openCache({ home: project.home });
    const base = { session_id: 's-codex', cwd: project.repo.dir, transcript_path: '', permission_mode: 'default' };
    const patch = '*** Begin Patch\n*** Add File: /proc/self/cwd/secrets/k\n+x\n*** End Patch\n';
    const run = async (raw: object, caller: object) =>
      (
        (await services.runHook('pre-tool-use', raw, { cache, log: silentLogger(), caller })) as {
          hookSpecificOutput?: { permissionDecision?: string };
        } | null
      )?.hookSpecificOutput?.permissionDecision ?? 'pass';
    try {
      const codex = (id: string) => ({
        ...base,
        hook_event_name: 'PreToolUse',
        tool_name: 'apply_patch',
        tool_input: { command: patch },
        tool_use_id: id,
      });
      expect(await run(codex('c1'), { agent: 'codex', agentPid: agent.pid })).toBe('deny');
      // Over TCP no process is named: refused all the same.
      expect(await run(codex('c2'), { agent: 'codex' })).toBe('deny');
      const write = {
        ...base,
        session_id: 's-claude',
        hook_event_name: 'PreToolUse',
        tool_name: 'Write',
        tool_input: { file_path: '/proc/self/cwd/secrets/new1', content: 'x' },
        tool_use_id: 'w1',
      };
      expect(await run(write, { agentPid: agent.pid })).toBe('deny');
    } finally {
      cache.close();
    }
  });
});
