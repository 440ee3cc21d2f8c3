import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../helpers/cache.js';
import {
  demoProject,
  hookEnv,
  postToolUseInput,
  preToolUseInput,
  seedSnapshot,
  sessionStartInput,
  task,
  unmarked,
  withHomeCache,
} from '../helpers/hooks.js';
import { openCache } from '../../src/cache/cache.js';
import { postToolUseHook, preToolUseHook, sessionStartHook } from '../../src/hooks/index.js';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { ensureHookToken } from '../../src/home/secrets.js';
import { NONCE_HEADER, newNonce, PROOF_HEADER, provesMonitor } from '../../src/home/monitor-proof.js';
import { startServedHooks, type HookEvent, type ServedHooks } from '../../src/monitor/serve/served-hooks.js';
import { MAX_HOOK_INPUT_BYTES } from '../../src/hooks/hosts/stdin-read.js';
import { productionServices } from '../../src/monitor/services.js';

/** How often the settings are loaded: a served hook with nothing to say must answer before that, as the command hook does. */
const settingsLoads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/config/settings.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/config/settings.js')>();
  return {
    ...actual,
    loadSettings: (options: Parameters<typeof actual.loadSettings>[0]) => {
      settingsLoads.count++;
      return actual.loadSettings(options);
    },
  };
});

let home: string;
let served: ServedHooks | undefined;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'th-served-'));
});
afterEach(async () => {
  await served?.close();
  served = undefined;
  rmSync(home, { recursive: true, force: true });
});

describe('hook token', () => {
  it('is created once, 0600, and reused', () => {
    const t = ensureHookToken(home);
    expect(t).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(home, 'hook-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureHookToken(home)).toBe(t);
    expect(readFileSync(file, 'utf8').trim()).toBe(t);
    // Shared with the server token: a file others may read is tightened, not trusted as it is.
    chmodSync(file, 0o644);
    expect(ensureHookToken(home)).toBe(t);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

/** One request by node:http (to a socket, or announcing a length it never sends), its status and body. */
function rawRequest(
  url: string | undefined,
  options: http.RequestOptions,
  body: string,
  end = true,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = url === undefined ? http.request(options) : http.request(url, options);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    if (end) req.end(body);
    else req.write(body);
  });
}

describe('served hooks', () => {
  const seen: Array<[HookEvent, unknown]> = [];
  async function start(answer: (e: HookEvent) => Promise<object | null>): Promise<string> {
    served = await startServedHooks({
      port: 0,
      token: 'a'.repeat(64),
      log: silentLogger(),
      handle: async (event, input) => {
        seen.push([event, input]);
        return answer(event);
      },
    });
    return `http://127.0.0.1:${served.port}`;
  }
  const post = (url: string, body: string, token: string | null = 'a'.repeat(64)) =>
    fetch(url, { method: 'POST', body, headers: token ? { 'x-taskhooks-token': token } : {} });

  it("answers each event with the handler's JSON, {} when it has nothing to say", async () => {
    const out = { hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'hi' } };
    const base = await start(async (e) => (e === 'session-start' ? out : null));
    const input = { hook_event_name: 'SessionStart', cwd: '/tmp', session_id: 's' };
    const r1 = await post(`${base}/hooks/session-start`, JSON.stringify(input));
    expect(r1.status).toBe(200);
    expect(await r1.json()).toEqual(out);
    expect(seen.at(-1)).toEqual(['session-start', input]);
    const r2 = await post(`${base}/hooks/pre-tool-use`, '{"tool_name":"Bash"}');
    expect(await r2.json()).toEqual({});
    expect(seen.at(-1)?.[0]).toBe('pre-tool-use');
    const r3 = await post(`${base}/hooks/post-tool-use`, '{"tool_name":"mcp__tasks__manage_task"}');
    expect([r3.status, await r3.json()]).toEqual([200, {}]);
    expect(seen.at(-1)).toEqual(['post-tool-use', { tool_name: 'mcp__tasks__manage_task' }]);
  });

  it('refuses a missing or wrong token, unknown routes and bad JSON', async () => {
    const base = await start(async () => ({}));
    const before = seen.length;
    expect((await post(`${base}/hooks/session-start`, '{}', null)).status).toBe(401);
    expect((await post(`${base}/hooks/session-start`, '{}', 'b'.repeat(64))).status).toBe(401);
    const unknown = await post(`${base}/hooks/other`, '{}');
    expect([unknown.status, await unknown.json()]).toEqual([
      404,
      {
        error:
          'not found: POST one of /hooks/post-tool-batch, /hooks/post-tool-use, /hooks/pre-tool-use, /hooks/session-end, /hooks/session-start, /hooks/subagent-start, /hooks/turn-end, /hooks/user-prompt-submit',
      },
    ]);
    expect((await fetch(`${base}/hooks/session-start`)).status).toBe(404);
    expect((await post(`${base}/hooks/session-start`, 'not json')).status).toBe(400);
    expect(seen.length).toBe(before);
  });

  it('reads a 7 MiB tool input whole: a guard sees every field of a large Write', async () => {
    const base = await start(async () => ({}));
    const content = 'x'.repeat(7 * 1024 * 1024);
    const input = { tool_name: 'Write', tool_input: { file_path: '/p/secrets/a.txt', content } };
    const r = await post(`${base}/hooks/pre-tool-use`, JSON.stringify(input));
    expect(r.status).toBe(200);
    const [event, got] = seen.at(-1) ?? [];
    expect(event).toBe('pre-tool-use');
    expect((got as typeof input).tool_input.file_path).toBe('/p/secrets/a.txt');
    expect((got as typeof input).tool_input.content).toHaveLength(content.length);
  });

  it('over the size it reads, refuses the tool call (PreToolUse) or says nothing, without running the hook', async () => {
    const base = await start(async () => ({}));
    const before = seen.length;
    // Announced larger than the cap: refused before a byte of the body is read.
    const announce = (route: string) =>
      rawRequest(
        `${base}/hooks/${route}`,
        {
          method: 'POST',
          headers: { 'x-taskhooks-token': 'a'.repeat(64), 'content-length': String(MAX_HOOK_INPUT_BYTES + 1) },
        },
        '{',
        false,
      );
    const pre = await announce('pre-tool-use');
    expect(pre.status).toBe(200);
    expect(JSON.parse(pre.body)).toMatchObject({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny' },
    });
    expect(JSON.parse((await announce('post-tool-use')).body)).toEqual({});
    expect(seen.length).toBe(before);
  });

  it('refuses a port another process holds, so the caller settles another with its own token', async () => {
    const holder = http.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = (holder.address() as { port: number }).port;
    try {
      await expect(
        startServedHooks({
          port: held,
          token: 'a'.repeat(64),
          log: silentLogger(),
          handle: async () => ({ ok: true }),
        }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('serves the same routes on the home socket without the token, and takes the agent pid only there', async () => {
    const socketPath = path.join(home, 'monitor.sock');
    const callers: unknown[] = [];
    served = await startServedHooks({
      port: 0,
      socketPath,
      token: 'a'.repeat(64),
      log: silentLogger(),
      handle: async (_event, _input, caller) => {
        callers.push(caller);
        return { ok: true };
      },
    });
    expect(served.socket).toEqual({ path: socketPath });
    const viaSocket = await rawRequest(
      undefined,
      {
        socketPath,
        path: '/hooks/session-start',
        method: 'POST',
        headers: { host: 'localhost', 'x-taskhooks-agent-pid': '4242' },
      },
      '{"cwd":"/tmp"}',
    );
    expect(viaSocket).toEqual({ status: 200, body: '{"ok":true}' });
    // Over TCP the token is needed, and a pid the caller claims is not believed.
    expect((await post(`http://127.0.0.1:${served.port}/hooks/session-start`, '{}', null)).status).toBe(401);
    await fetch(`http://127.0.0.1:${served.port}/hooks/session-start`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-taskhooks-token': 'a'.repeat(64), 'x-taskhooks-agent-pid': '4242' },
    });
    expect(callers).toEqual([{ agentPid: 4242 }, { viaToken: true }]);
  });

  it("makes its socket its owner's alone whatever the umask, as mcp.sock", async () => {
    const socketPath = path.join(home, 'monitor.sock');
    const before = process.umask(0);
    try {
      served = await startServedHooks({
        port: 0,
        socketPath,
        token: 'a'.repeat(64),
        log: silentLogger(),
        handle: async () => ({}),
      });
    } finally {
      process.umask(before);
    }
    expect(served.socket).toEqual({ path: socketPath });
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
  });

  it('proves it is the monitor to a client that sends a nonce, on its port and its socket alike', async () => {
    const token = 'b'.repeat(64);
    const socketPath = path.join(home, 'monitor.sock');
    served = await startServedHooks({ port: 0, socketPath, token, log: silentLogger(), handle: async () => ({}) });
    const nonce = newNonce();
    const probe = await fetch(`http://127.0.0.1:${served.port}/hooks/probe`, { headers: { [NONCE_HEADER]: nonce } });
    expect(probe.status).toBe(404);
    expect(provesMonitor(probe.headers.get(PROOF_HEADER), token, nonce, process.pid)).toBe(true);
    // Another nonce, another proof: one seen once proves nothing later.
    expect(provesMonitor(probe.headers.get(PROOF_HEADER), token, newNonce(), process.pid)).toBe(false);
    // A header that is not a nonce gets no proof.
    const odd = await fetch(`http://127.0.0.1:${served.port}/hooks/probe`, { headers: { [NONCE_HEADER]: 'x' } });
    expect(odd.headers.get(PROOF_HEADER)).toBeNull();
    // The socket's answer carries the same proof.
    const onSocket = newNonce();
    const proof = await new Promise<unknown>((resolve, reject) => {
      http
        .get({ socketPath, path: '/hooks/probe', headers: { [NONCE_HEADER]: onSocket } }, (res) => {
          res.resume();
          resolve(res.headers[PROOF_HEADER]);
        })
        .on('error', reject);
    });
    expect(provesMonitor(proof, token, onSocket, process.pid)).toBe(true);
  });

  it('fails open with {} when the handler throws', async () => {
    const base = await start(async () => {
      throw new Error('boom');
    });
    const r = await post(`${base}/hooks/pre-tool-use`, '{}');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
  });
});

describe('served PostToolUse through the production runners', () => {
  it("patches the session's snapshot with the tool's answer, answers {}, and served PreToolUse names the task", async () => {
    const project = demoProject();
    const cache = openCache({ home: project.home });
    try {
      seedSnapshot(project.home, {
        sourceKey: 'embedded',
        project: 'demo',
        branch: 'main',
        tasks: [task('T-1'), task('T-2')],
        next: task('T-1'),
      });
      const services = productionServices(hookEnv(project.home));
      const log = silentLogger();
      served = await startServedHooks({
        port: 0,
        token: 'a'.repeat(64),
        log,
        handle: (event, input) => services.runHook(event, input, { cache, log }),
      });
      const post = (route: string, body: unknown) =>
        fetch(`http://127.0.0.1:${served?.port}/hooks/${route}`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'x-taskhooks-token': 'a'.repeat(64) },
        });

      const answer = {
        content: [
          {
            type: 'text',
            text: JSON.stringify({
              success: true,
              data: { task: { id: 'T-2', title: 'Task T-2', status: 'in_progress' } },
            }),
          },
        ],
      };
      const r = await post(
        'post-tool-use',
        postToolUseInput(
          project.repo.dir,
          'mcp__taskhooks__manage_task',
          { action: 'update', task_id: 'T-2', status: 'in_progress' },
          answer,
        ),
      );
      expect([r.status, await r.json()]).toEqual([200, {}]);
      expect(
        withHomeCache(project.home, (s) =>
          readSnapshot(s, { sourceKey: 'embedded', project: 'demo', branch: 'main' }),
        )?.tasks.map((t) => t.status),
      ).toEqual(['todo', 'in_progress']);

      const edit = await post(
        'pre-tool-use',
        preToolUseInput(project.repo.dir, 'Edit', { file_path: `${project.repo.dir}/a.ts` }),
      );
      expect(
        ((await edit.json()) as { hookSpecificOutput: { additionalContext: string } }).hookSpecificOutput
          .additionalContext,
      ).toContain('T-2 "Task T-2" (status in_progress)');
    } finally {
      cache.close();
      project.cleanup();
    }
  });
});

describe('served UserPromptSubmit through the production runners', () => {
  it('records the baseline at the first prompt, then tells a finished task once', async () => {
    const project = demoProject();
    const cache = openCache({ home: project.home });
    try {
      const key = { sourceKey: 'embedded', project: 'demo', branch: 'main' };
      seedSnapshot(project.home, { ...key, tasks: [task('T-1', { status: 'in_progress' }), task('T-2')] });
      const services = productionServices(hookEnv(project.home));
      const log = silentLogger();
      served = await startServedHooks({
        port: 0,
        token: 'a'.repeat(64),
        log,
        handle: (event, input) => services.runHook(event, input, { cache, log }),
      });
      const prompt = async () => {
        const body = {
          session_id: 'served-1',
          cwd: project.repo.dir,
          hook_event_name: 'UserPromptSubmit',
          prompt: 'go on',
        };
        const r = await fetch(`http://127.0.0.1:${served?.port}/hooks/user-prompt-submit`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'x-taskhooks-token': 'a'.repeat(64) },
        });
        return (await r.json()) as { hookSpecificOutput?: { hookEventName: string; additionalContext: string } };
      };
      expect(await prompt()).toEqual({});
      seedSnapshot(project.home, { ...key, tasks: [task('T-2')] });
      const told = (await prompt()).hookSpecificOutput;
      expect(told?.hookEventName).toBe('UserPromptSubmit');
      expect(unmarked(told?.additionalContext ?? '')).toBe(
        'taskhooks: changed since you were last told:\n- Your task T-1 (Task T-1) is no longer open: it was finished or closed elsewhere.',
      );
      expect(await prompt()).toEqual({});
    } finally {
      cache.close();
      project.cleanup();
    }
  });
});

describe('served hooks through the production services, step by step as the command hooks', () => {
  it('answers nothing before the config for a call no hook wants, before the runner for another source, and lets every hook it runs fetch (its network is loaded: a fetch starts nothing)', async () => {
    const project = demoProject();
    const cache = openCache({ home: project.home });
    const runs: Array<[string, boolean]> = [];
    const hooks = [sessionStartHook, preToolUseHook, postToolUseHook];
    const runners = hooks.map((h) => h.run);
    for (const h of hooks) {
      const run = h.run;
      h.run = (input, deps) => {
        runs.push([h.name, deps.allowNetwork]);
        return run(input, deps);
      };
    }
    try {
      seedSnapshot(project.home, {
        sourceKey: 'embedded',
        project: 'demo',
        branch: 'main',
        tasks: [task('T-1')],
        next: task('T-1'),
      });
      const services = productionServices(hookEnv(project.home));
      const run = (event: HookEvent, input: unknown) => services.runHook(event, input, { cache, log: silentLogger() });
      const dir = project.repo.dir;

      settingsLoads.count = 0;
      expect(await run('pre-tool-use', preToolUseInput(dir, 'Bash', { command: 'ls -la' }))).toBeNull();
      expect(await run('pre-tool-use', preToolUseInput(dir, 'Read', { file_path: `${dir}/a.ts` }))).toBeNull();
      // Outside a session there is no news to tell: PostToolUse wants only task-changing tools then.
      const sessionless = (input: Record<string, unknown>) => ({ ...input, session_id: undefined });
      expect(
        await run('post-tool-use', sessionless(postToolUseInput(dir, 'Read', { file_path: `${dir}/a.ts` }, 'text'))),
      ).toBeNull();
      expect(await run('pre-tool-use', ['not', 'a', 'hook', 'input'])).toBeNull();
      expect([settingsLoads.count, runs]).toEqual([0, []]);

      // A task tool of a family the embedded store does not speak: the settings say so, the runner never starts.
      expect(
        await run(
          'post-tool-use',
          sessionless(postToolUseInput(dir, 'mcp__backlog__task_create', { title: 'x' }, 'Created task 1')),
        ),
      ).toBeNull();
      expect([settingsLoads.count, runs]).toEqual([1, []]);

      const answer = {
        content: [
          {
            type: 'text',
            text: JSON.stringify({
              success: true,
              data: { task: { id: 'T-1', title: 'Task T-1', status: 'in_progress' } },
            }),
          },
        ],
      };
      await run(
        'post-tool-use',
        postToolUseInput(
          dir,
          'mcp__taskhooks__manage_task',
          { action: 'update', task_id: 'T-1', status: 'in_progress' },
          answer,
        ),
      );
      expect(await run('pre-tool-use', preToolUseInput(dir, 'Edit', { file_path: `${dir}/a.ts` }))).not.toBeNull();
      expect(runs).toEqual([
        ['post-tool-use', true],
        ['pre-tool-use', true],
      ]);
    } finally {
      hooks.forEach((h, i) => (h.run = runners[i] ?? h.run));
      cache.close();
      project.cleanup();
    }
  });

  it("answers PreToolUse's guards from the settings alone when the monitor's store fails; other hooks still fail open", async () => {
    const project = demoProject({ config: { hooks: { guards: { protectedBranches: ['main'] } } } });
    const cache = openCache({ home: project.home });
    cache.close(); // every read and write on it throws now
    try {
      const services = productionServices(hookEnv(project.home));
      const run = (event: HookEvent, input: unknown) => services.runHook(event, input, { cache, log: silentLogger() });
      const dir = project.repo.dir;
      expect(
        await run('pre-tool-use', preToolUseInput(dir, 'Bash', { command: 'git push origin main' })),
      ).toMatchObject({
        hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny' },
      });
      expect(await run('pre-tool-use', preToolUseInput(dir, 'Edit', { file_path: `${dir}/a.ts` }))).toBeNull();
      await expect(run('session-start', sessionStartInput(dir))).rejects.toThrow();
    } finally {
      project.cleanup();
    }
  });
});
