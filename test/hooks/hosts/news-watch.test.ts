// `taskhooks watch`, an idle session's channel, as Claude Code runs it (a plugin monitor, or the rewake hook): the
// built CLI as a child with the session's environment, the embedded task store, and a task added from another terminal.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { homeFiles } from '../../../src/home/files.js';
import { CLI } from '../../monitor/helpers.js';
import { demoProject, hookEnv, ROOMY_DEADLINES, runHookHere, sessionStartInput } from '../../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Watch {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

function setup() {
  const project = demoProject({ config: { hooks: ROOMY_DEADLINES } });
  cleanups.push(project.cleanup);
  const env = hookEnv(project.home);
  // Claude Code's process, as the watch sees it: it ends when this one does.
  const claude = spawn('sleep', ['600'], { stdio: 'ignore' });
  cleanups.push(() => claude.kill('SIGKILL'));
  const watch = (session: string, args: string[] = []): Watch => {
    const child = spawn(process.execPath, [CLI, 'watch', ...args], {
      cwd: project.repo.dir,
      env: { ...env, CLAUDE_CODE_SESSION_ID: session, CLAUDE_PID: String(claude.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.kill('SIGKILL'));
    const lines: string[] = [];
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const parts = out.split('\n');
      out = parts.pop() ?? '';
      lines.push(...parts);
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, lines, stderr: () => err, exited };
  };
  const cli = async (...args: string[]): Promise<string> =>
    (await promisify(execFile)(process.execPath, [CLI, ...args], { env, cwd: project.repo.dir })).stdout;
  const start = async (session: string): Promise<void> => {
    expect(
      (await runHookHere('session-start', sessionStartInput(project.repo.dir, session), { home: project.home })).code,
    ).toBe(0);
  };
  const prompt = (session: string) =>
    runHookHere(
      'user-prompt-submit',
      { session_id: session, cwd: project.repo.dir, hook_event_name: 'UserPromptSubmit', prompt: 'go on' },
      { home: project.home },
    );
  return { project, claude, watch, cli, start, prompt };
}

/** One `watch --rewake` run to its end, with extra environment. */
async function spawnWatch(
  home: string,
  cwd: string,
  session: string,
  extra: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await promisify(execFile)(process.execPath, [CLI, 'watch', '--rewake'], {
    cwd,
    env: { ...hookEnv(home), CLAUDE_CODE_SESSION_ID: session, ...extra },
  }).catch((e: { code: number; stdout: string; stderr: string }) => e);
  return { code: 'code' in r && typeof r.code === 'number' ? r.code : 0, stdout: r.stdout, stderr: r.stderr };
}

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until `watch` is the session's newest rewake watch: the one a newer watch ends. */
const claimed = (home: string, session: string, watch: Watch): Promise<true> =>
  until('the rewake watch to claim the session', () => {
    const file = path.join(homeFiles(home).watchers, session);
    return (existsSync(file) && readFileSync(file, 'utf8') === String(watch.child.pid)) || undefined;
  });

describe('taskhooks watch', () => {
  it('prints one line per change the session was not told, nothing else, and ends with Claude Code', async () => {
    const s = setup();
    await s.start('sess-w');
    // What SessionStart told is what the session knows: the task is news whether the watch looked before it came or not.
    const w = s.watch('sess-w');
    await s.cli('tasks', 'add', 'Fix the login outage', '--priority', 'critical');
    const line = await until('the watch to tell the new task', () => w.lines.find((l) => l.includes('login outage')));
    expect(line).toMatch(/^taskhooks: New critical task on branch main: TASK-\d+ \(Fix the login outage\)\.$/);
    expect(w.lines).toEqual([line]);

    // The same ledger as the prompt's: told once, whichever channel told it.
    expect((await s.prompt('sess-w')).output).toBeNull();

    s.claude.kill('SIGKILL');
    expect(await w.exited).toBe(0);
    expect(w.lines).toEqual([line]);
    expect(w.stderr()).toBe('');
  });

  it('--rewake ends at the first news with exit 2 and the news on stderr; a newer rewake watch ends an older one', async () => {
    const s = setup();
    await s.start('sess-r');
    const older = s.watch('sess-r', ['--rewake']);
    await claimed(s.project.home, 'sess-r', older);
    const newer = s.watch('sess-r', ['--rewake']);
    // The older one looks every few seconds whether it is still the session's newest.
    expect(await older.exited).toBe(0);
    expect(older.stderr()).toBe('');

    await s.cli('tasks', 'add', 'Rotate the leaked key', '--priority', 'high');
    expect(await newer.exited).toBe(2);
    expect(newer.stderr()).toMatch(
      /^taskhooks: changed since you were last told:\n- New high task on branch main: TASK-\d+ \(Rotate the leaked key\)\.\n$/,
    );
    expect(newer.lines).toEqual([]);
    expect((await s.prompt('sess-r')).output).toBeNull();
  });

  it('--rewake in an unattended session (claude -p) ends at once: Claude Code would wait for it to exit', async () => {
    const s = setup();
    await s.start('sess-p');
    const unattended = spawnWatch(s.project.home, s.project.repo.dir, 'sess-p', { CLAUDE_CODE_SESSION_ATTENDED: '0' });
    expect(await unattended).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('refuses in one line to run without a session', async () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    const r = await promisify(execFile)(process.execPath, [CLI, 'watch'], {
      env: hookEnv(project.home),
      cwd: project.repo.dir,
    }).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect((r as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
    expect((r as { stderr: string }).stderr).toContain('CLAUDE_CODE_SESSION_ID');
  });
});
