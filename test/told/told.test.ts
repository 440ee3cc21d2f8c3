// Told, and known to be told: every injection carries a marker at the end of its first line; the session's next
// hook finds it at the end of the transcript (delivered) or finds the model answered without it (lost). A lost
// SessionStart context is told again, once, by the next UserPromptSubmit or PostToolUse; `taskhooks sessions` says
// which. The transcript is written as Claude Code 2.1.330 writes it: JSON lines, each additionalContext an
// `attachment` of type `hook_additional_context` holding the text.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { registerSession } from '../../src/cache/live-sessions.js';
import { listTold } from '../../src/told/table.js';
import { answeredAfter, readTranscriptTail } from '../../src/told/transcript.js';
import { CLI } from '../monitor/helpers.js';
import {
  demoProject,
  hookEnv,
  MARKER,
  postToolUseInput,
  ROOMY_DEADLINES,
  runHook,
  runHookHere,
  seedSnapshot,
  sessionStartInput,
  task,
  unmarked,
  withHomeCache,
  type HookRun,
} from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const project = demoProject({ config: { hooks: ROOMY_DEADLINES } });
  cleanups.push(project.cleanup);
  seedSnapshot(project.home, {
    sourceKey: 'embedded',
    project: 'demo',
    branch: 'main',
    tasks: [task('T-1', { title: 'Add coupon codes' })],
  });
  const transcript = path.join(project.home, 's1.jsonl');
  writeFileSync(transcript, `${JSON.stringify({ type: 'user', timestamp: new Date(0).toISOString() })}\n`);
  const input = <T extends Record<string, unknown>>(i: T) => ({ ...i, session_id: 's1', transcript_path: transcript });
  const start = () =>
    runHookHere('session-start', input(sessionStartInput(project.repo.dir, 's1')), { home: project.home });
  const prompt = () =>
    runHookHere(
      'user-prompt-submit',
      input({ cwd: project.repo.dir, hook_event_name: 'UserPromptSubmit', prompt: 'go on' }),
      { home: project.home },
    );
  const afterRead = () =>
    runHookHere('post-tool-use', input(postToolUseInput(project.repo.dir, 'Read', { file_path: 'a.ts' }, 'x', 's1')), {
      home: project.home,
    });
  /** What Claude Code appends: the context as an attachment (when it arrived), then the model's answer. */
  const transcriptGets = (context: string | undefined) => {
    const at = new Date(Date.now() + 1000).toISOString();
    const lines = [
      ...(context === undefined
        ? []
        : [
            {
              type: 'attachment',
              attachment: { type: 'hook_additional_context', content: [context], hookEvent: 'SessionStart' },
            },
          ]),
      { type: 'assistant', timestamp: at, message: { role: 'assistant', content: [{ type: 'text', text: 'ok' }] } },
    ];
    appendFileSync(transcript, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  };
  const sessions = async () =>
    JSON.parse(
      (await promisify(execFile)(process.execPath, [CLI, 'sessions', '--json'], { env: hookEnv(project.home) })).stdout,
    ) as { sessions: Array<{ sessionId: string; told: Array<{ event: string; state: string; retold: boolean }> }> };
  return { ...project, transcript, start, prompt, afterRead, transcriptGets, sessions };
}

const contextOf = (run: HookRun): string => run.output?.hookSpecificOutput.additionalContext ?? '';

describe('delivery of what a session is told', () => {
  it('tells a SessionStart context the transcript does not show again, once, and says it was lost', async () => {
    const h = setup();
    const start = contextOf(await h.start());
    expect(start.split('\n')[0]).toMatch(MARKER);
    // The first prompt comes before the model answered: nothing to decide yet, nothing said.
    expect((await h.prompt()).stdout).toBe('');
    // The model answered, and the context is not in the transcript: Claude Code dropped it.
    h.transcriptGets(undefined);
    const again = contextOf(await h.afterRead());
    expect(again.split('\n')[0]).toMatch(
      /^taskhooks: your session-start context did not arrive; here it is again: \[taskhooks#[a-z0-9]{6}\]$/,
    );
    expect(again).toContain(unmarked(start).split('\n')[0] as string);
    expect(again).not.toContain(start.split('\n')[0] as string);
    // Told again once: the next events say nothing, even when the retelling is not seen either.
    h.transcriptGets(undefined);
    expect((await h.afterRead()).stdout).toBe('');
    expect((await h.prompt()).stdout).toBe('');

    const { sessions } = await h.sessions();
    expect(sessions.find((s) => s.sessionId === 's1')?.told).toContainEqual({
      event: 'SessionStart',
      state: 'lost',
      retold: true,
      at: expect.any(Number),
    });
    const text = execFileSync(process.execPath, [CLI, 'sessions'], { env: hookEnv(h.home), encoding: 'utf8' });
    expect(text).toContain('tasks and git at start (lost, told again)');
    expect(text).not.toContain('SessionStart');
  });

  it('`taskhooks sessions` says what each session was told in words, and — where it was told nothing', async () => {
    const h = setup();
    const table = () => execFileSync(process.execPath, [CLI, 'sessions'], { env: hookEnv(h.home), encoding: 'utf8' });
    // No transcript to read (an agent whose transcript taskhooks does not read): sent, and never known to arrive.
    const blind = { ...sessionStartInput(h.repo.dir, 's-blind'), transcript_path: undefined };
    expect((await runHookHere('session-start', blind, { home: h.home })).code).toBe(0);
    const prompt = { cwd: h.repo.dir, session_id: 's-blind', hook_event_name: 'UserPromptSubmit', prompt: 'go on' };
    expect((await runHookHere('user-prompt-submit', prompt, { home: h.home })).code).toBe(0);
    await h.start();
    withHomeCache(h.home, (cache) =>
      registerSession(cache, {
        sessionId: 's-quiet',
        project: 'demo',
        branch: 'main',
        cwd: h.repo.dir,
        at: Date.now(),
      }),
    );
    const rows = table().split('\n');
    expect(rows[0]).toMatch(/\btold\b/);
    expect(rows.find((r) => r.startsWith('s-blind'))).toContain('tasks and git at start (sent, arrival not checked)');
    expect(rows.find((r) => r.startsWith('s1 '))).toContain('tasks and git at start (sent, not yet seen)');
    expect(rows.find((r) => r.startsWith('s-quiet'))).toMatch(/ — /);
    expect(rows.join('\n')).not.toMatch(/SessionStart|unknown/);
  });

  it('repeats nothing when the transcript holds the marker, and records it delivered', async () => {
    const h = setup();
    const start = contextOf(await h.start());
    h.transcriptGets(start);
    expect((await h.afterRead()).stdout).toBe('');
    expect((await h.prompt()).stdout).toBe('');
    const told = withHomeCache(h.home, (cache) => listTold(cache)).find((t) => t.event === 'SessionStart');
    expect(told?.delivery?.state).toBe('delivered');
    const { sessions } = await h.sessions();
    expect(sessions.find((s) => s.sessionId === 's1')?.told).toContainEqual(
      expect.objectContaining({ event: 'SessionStart', state: 'delivered', retold: false }),
    );
  });

  it('reads only a bounded tail of a regular file: never a FIFO, never the whole of a large transcript', async () => {
    const h = setup();
    const fifo = path.join(h.home, 'fifo.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(readTranscriptTail(fifo)).toBeUndefined();
    const big = path.join(h.home, 'big.jsonl');
    const line = `${JSON.stringify({ type: 'assistant', timestamp: new Date(5000).toISOString(), pad: 'p'.repeat(1000) })}\n`;
    writeFileSync(big, line.repeat(1000));
    const tail = readTranscriptTail(big, 64 * 1024) ?? '';
    expect(tail.length).toBeLessThanOrEqual(64 * 1024);
    expect(tail.startsWith('{"type":"assistant"')).toBe(true);
    expect(answeredAfter(tail, 4000)).toBe(true);
    expect(answeredAfter(tail, 5000)).toBe(false);
    // A hook whose transcript_path names a FIFO answers at once and records the delivery as unknown: in a process of
    // its own, which a FIFO read would hang.
    await h.start();
    const run = await runHook(
      'user-prompt-submit',
      { session_id: 's1', transcript_path: fifo, cwd: h.repo.dir, hook_event_name: 'UserPromptSubmit', prompt: 'x' },
      { home: h.home },
    );
    expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
    const told = withHomeCache(h.home, (cache) => listTold(cache)).find((t) => t.event === 'SessionStart');
    expect(told?.delivery?.state).toBe('unknown');
  });

  it('waits for a transcript named but not written yet (claude -p), and logs no loss for one it cannot read', async () => {
    const h = setup();
    const later = path.join(h.home, 'later.jsonl');
    const input = (i: Record<string, unknown>) => ({ ...i, session_id: 's2', transcript_path: later });
    const start = contextOf(
      await runHookHere('session-start', input(sessionStartInput(h.repo.dir, 's2')), {
        home: h.home,
        env: { TASKHOOKS_LOG_LEVEL: 'info' },
      }),
    );
    const prompt = () =>
      runHookHere('user-prompt-submit', input({ cwd: h.repo.dir, hook_event_name: 'UserPromptSubmit', prompt: 'x' }), {
        home: h.home,
      });
    const state = () =>
      withHomeCache(h.home, (cache) => listTold(cache)).find((t) => t.sessionId === 's2')?.delivery?.state;
    expect((await prompt()).code).toBe(0);
    expect(state()).toBe('pending');
    writeFileSync(
      later,
      `${JSON.stringify({ type: 'attachment', attachment: { type: 'hook_additional_context', content: [start] } })}\n`,
    );
    expect((await prompt()).code).toBe(0);
    expect(state()).toBe('delivered');
    const log = () => {
      const file = path.join(h.home, 'logs', 'hooks.log');
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    expect(log()).not.toContain('did not reach');
    // The FIFO of the test above: unknown, said as such, not as a loss. A FIFO could hang a process: the hook's own.
    const fifo = path.join(h.home, 'fifo2.jsonl');
    execFileSync('mkfifo', [fifo]);
    const blind = (i: Record<string, unknown>) => ({ ...i, session_id: 's3', transcript_path: fifo });
    await runHook('session-start', blind(sessionStartInput(h.repo.dir, 's3')), {
      home: h.home,
      env: { TASKHOOKS_LOG_LEVEL: 'info' },
    });
    await runHook('user-prompt-submit', blind({ cwd: h.repo.dir, hook_event_name: 'UserPromptSubmit', prompt: 'x' }), {
      home: h.home,
      env: { TASKHOOKS_LOG_LEVEL: 'info' },
    });
    const after = log();
    expect(after).toContain('whether the SessionStart context arrived cannot be told: no transcript to read');
    expect(after).not.toContain('did not reach');
  });
});
