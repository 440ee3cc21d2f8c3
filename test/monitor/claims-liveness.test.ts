// A session's claims live as long as its Claude Code process, without the agent's help: hooks started through
// wrappers still find that process, and a session killed outright (no SessionEnd) frees its claim within the lease.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hookEnv,
  postToolUseInput,
  ROOMY_DEADLINES,
  ROOMY_SOURCE_TIMEOUT_MS,
  ROOT,
  sessionStartInput,
  withHomeCache,
} from '../helpers/hooks.js';
import { startReferenceServer } from '../helpers/reference-server.js';
import { makeRepoFor, taskOnServer } from './fixtures.js';
import { perTest, waitFor } from './helpers.js';

const t = perTest();
const LEASE_SECONDS = 30;
const hook = (name: string): string => path.join(ROOT, 'dist/hooks', `${name}.js`);

async function until(what: string, fn: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The answer of the server's tool that moved `id` to in progress, as PostToolUse reads it. */
const started = (id: string) => [
  {
    type: 'text',
    text: JSON.stringify({
      success: true,
      data: { task: { id, title: 'Write the checkout page', status: 'in_progress', priority: 'medium' } },
    }),
  },
];

describe('claims that live with the Claude Code process', () => {
  it('finds the process through timeout, env and a shell, and frees a SIGKILLed session’s claim within the lease', async () => {
    const ref = await startReferenceServer();
    t.undo(() => ref.close());
    const m = t.home({
      source: { servers: [ref.url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
      auth: { token: ref.token },
      hooks: { ...ROOMY_DEADLINES, claimLeaseSeconds: LEASE_SECONDS },
    });
    const repo = makeRepoFor('shop');
    t.undo(repo.cleanup);
    const env = hookEnv(m.home);
    const id = taskOnServer(ref.db, 'shop', 'Write the checkout page');
    m.run();
    await waitFor('the monitor to come up', () => m.info()?.pid);

    // Named `claude`, as Claude Code's process is: without CLAUDE_PID, the walk up the wrappers stops at that name.
    const bin = path.join(m.home, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, path.join(bin, 'claude'));
    const standIn = (
      session: string,
      namesItself: boolean,
      wrapper: string[],
    ): Promise<{ child: ChildProcess; pid: number }> =>
      new Promise((resolve, reject) => {
        const hooks = [
          { script: hook('session-start'), input: sessionStartInput(repo.dir, session), wrapper },
          {
            script: hook('post-tool-use'),
            input: postToolUseInput(
              repo.dir,
              'mcp__taskhooks__manage_task',
              { action: 'update', task_id: id, status: 'in_progress' },
              started(id),
              session,
            ),
            wrapper,
          },
        ];
        const child = spawn(path.join(bin, 'claude'), [path.join(ROOT, 'test/helpers/claude-standin.mjs')], {
          cwd: repo.dir,
          env: {
            ...env,
            STANDIN_HOOKS: JSON.stringify(hooks),
            ...(namesItself ? { STANDIN_NAMES_ITSELF: '1' } : {}),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const pid = child.pid as number;
        m.pids.add(pid);
        let out = '';
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          if (out.includes('ready')) resolve({ child, pid });
          else if (out.includes('exited')) reject(new Error(out));
        });
        child.on('exit', (code) => reject(new Error(`the stand-in exited ${code}: ${out}`)));
      });
    const pidOf = (session: string): number | undefined =>
      withHomeCache(m.home, (c) => {
        const row = c.db.prepare('SELECT pid FROM live_sessions WHERE session_id = ?').get(session) as
          | { pid: number | null }
          | undefined;
        return row?.pid ?? undefined;
      });
    const holder = async (): Promise<string | null | undefined> => (await ref.store.getTask(id))?.claimedBy;

    // Claude Code names itself; the hook runs through a shell, `timeout` and `env`, none of them its parent.
    const a = await standIn('sess-a', true, ['timeout', '60', 'env', 'TASKHOOKS_WRAPPED=1']);
    expect(pidOf('sess-a')).toBe(a.pid);
    await until('the server to hold sess-a’s claim', async () => (await holder()) === 'test/sess-a');

    // Killed outright: no SessionEnd runs, the monitor finds the process gone and gives the claim back.
    a.child.kill('SIGKILL');
    await until('the server to let sess-a’s claim go', async () => (await holder()) === null);

    // Another session takes it; this Claude Code does not name itself, and is found by its name through `timeout`.
    const b = await standIn('sess-b', false, ['timeout', '60']);
    expect(pidOf('sess-b')).toBe(b.pid);
    await until('the server to hold sess-b’s claim', async () => (await holder()) === 'test/sess-b');
  });
});
