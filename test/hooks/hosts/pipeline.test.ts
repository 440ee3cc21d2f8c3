// One pipeline: the command hook (the built hook as a child process) and the served hook (the monitor's http route
// with the production runners) give the same answer for the same input, and each run parses its input once; and it
// goes to the cache once to read and once to write before the event runs, once to write after.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../helpers/cache.js';
import {
  demoProject,
  hookEnv,
  postToolUseInput,
  preToolUseInput,
  runHook,
  seedSnapshot,
  sessionStartInput,
  task,
} from '../../helpers/hooks.js';
import { type Cache, openCache } from '../../../src/cache/cache.js';
import { listTold, recordTold } from '../../../src/told/table.js';
import { userPromptSubmitHook } from '../../../src/hooks/events/user-prompt-submit.js';
import { runHookPipeline } from '../../../src/hooks/hosts/pipeline.js';
import type { CommandHook } from '../../../src/hooks/types.js';
import { settingsOf } from '../../helpers/settings.js';
import { startServedHooks, type HookEvent } from '../../../src/monitor/serve/served-hooks.js';
import { productionServices } from '../../../src/monitor/services.js';

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/hooks/input/read.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/hooks/input/read.js')>();
  return {
    ...actual,
    readHookInput: (raw: unknown) => {
      parses.count++;
      return actual.readHookInput(raw);
    },
  };
});

/** Every event with inputs that reach each kind of answer: context, a guard's decision, nothing, bad input. */
function cases(dir: string, session: string): Array<[HookEvent, string, unknown]> {
  const update = {
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
  return [
    ['session-start', 'startup', sessionStartInput(dir, session)],
    ['pre-tool-use', 'an edit', preToolUseInput(dir, 'Edit', { file_path: path.join(dir, 'a.ts') }, session)],
    [
      'pre-tool-use',
      'a protected file',
      preToolUseInput(dir, 'Write', { file_path: path.join(dir, 'secrets', 'token.txt'), content: '' }, session),
    ],
    ['pre-tool-use', 'a read', preToolUseInput(dir, 'Read', { file_path: path.join(dir, 'a.ts') }, session)],
    ['pre-tool-use', 'bad input', { tool_name: 42 }],
    [
      'post-tool-use',
      'a task update',
      postToolUseInput(
        dir,
        'mcp__taskhooks__manage_task',
        { action: 'update', task_id: 'T-2', status: 'in_progress' },
        update,
        session,
      ),
    ],
    ['post-tool-use', 'another tool', postToolUseInput(dir, 'mcp__other__thing', {}, {}, session)],
    [
      'user-prompt-submit',
      'a prompt',
      { session_id: session, cwd: dir, hook_event_name: 'UserPromptSubmit', prompt: 'go on' },
    ],
    [
      'post-tool-batch',
      'a batch',
      {
        session_id: session,
        cwd: dir,
        hook_event_name: 'PostToolBatch',
        tool_calls: [{ tool_name: 'Read', tool_input: {}, tool_use_id: `toolu_batch-${session}`, tool_response: '' }],
      },
    ],
    [
      'subagent-start',
      'a subagent',
      {
        session_id: session,
        cwd: dir,
        hook_event_name: 'SubagentStart',
        agent_id: `agent-${session}`,
        agent_type: 'general-purpose',
      },
    ],
    ['session-end', 'the end', { session_id: session, cwd: dir, hook_event_name: 'SessionEnd', reason: 'other' }],
  ];
}

/** A commit age may tick a second between the two runs. */
const steady = (out: unknown): unknown =>
  JSON.parse(
    JSON.stringify(out ?? {})
      .replace(/as of \d+ s ago/g, 'as of N s ago')
      // The served run may read git from the cache, which the line then says: the same state either way.
      .replace(/Git \(as of [^)]*\):/g, 'Git:')
      .replace(/\(\d+ seconds? ago\)/g, '(N seconds ago)')
      // Each injection has a marker of its own.
      .replace(/ \[taskhooks#[a-z0-9]{6}\]/g, ' [taskhooks#marker]'),
  );

describe('one hook pipeline', () => {
  it('answers every event alike as a command hook and as a served hook, parsing each input at most once', async () => {
    const project = demoProject({ config: { hooks: { guards: { protectedPaths: ['secrets/**'] } } } });
    seedSnapshot(project.home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1'), task('T-2')],
      next: task('T-1'),
    });
    const cache = openCache({ home: project.home });
    const log = silentLogger();
    const services = productionServices(hookEnv(project.home));
    const served = await startServedHooks({
      port: 0,
      token: 'a'.repeat(64),
      log,
      handle: (event, input) => services.runHook(event, input, { cache, log }),
    });
    try {
      // Each transport gets its own session, so each sees its session's first edit; the input is otherwise the same.
      const viaHttp = cases(project.repo.dir, 'served');
      const viaCommand = cases(project.repo.dir, 'command');
      const answered: string[] = [];
      for (const [i, [event, what, input]] of viaHttp.entries()) {
        const before = parses.count;
        const res = await fetch(`http://127.0.0.1:${served.port}/hooks/${event}`, {
          method: 'POST',
          body: JSON.stringify(input),
          headers: { 'x-taskhooks-token': 'a'.repeat(64) },
        });
        const http = (await res.json()) as object;
        // Once for a call it answers; none where the entry's gate turns the call away first, as the command entry's does.
        const parsed = parses.count - before;
        const command = await runHook(event, viaCommand[i]?.[2], { home: project.home });
        expect(command.code).toBe(0);
        expect(steady(command.output), `${event} (${what})`).toEqual(steady(http));
        if (Object.keys(http).length > 0) {
          expect(parsed, `${event} (${what}): parses`).toBe(1);
          answered.push(what);
        } else expect(parsed, `${event} (${what}): parses`).toBeLessThanOrEqual(1);
      }
      // Not a comparison of two silences: the startup context and the guard spoke.
      expect(answered).toEqual(expect.arrayContaining(['startup', 'a protected file']));
    } finally {
      await served.close();
      cache.close();
      project.cleanup();
    }
  });
});

/** The cache, counting its round trips: each write outside another, and each statement prepared outside a write. */
function countingCache(cache: Cache): { cache: Cache; trips: { reads: number; writes: number } } {
  const trips = { reads: 0, writes: 0 };
  let depth = 0;
  const db = new Proxy(cache.db, {
    get(target, key) {
      if (key !== 'prepare') return Reflect.get(target, key, target);
      return (sql: string) => {
        if (depth === 0) trips.reads++;
        return target.prepare(sql);
      };
    },
  });
  const write = <T>(fn: () => T): T => {
    if (depth === 0) trips.writes++;
    depth++;
    try {
      return cache.write(fn);
    } finally {
      depth--;
    }
  };
  return { cache: { ...cache, db, write }, trips };
}

describe('the pipeline and the cache', () => {
  it('reads once and writes once before the event runs, and writes once after it for what it told', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'th-trips-'));
    const home = path.join(dir, 'state');
    const real = openCache({ home });
    try {
      recordTold(real, { sessionId: 's1', event: 'SessionStart', text: 'tasks', marker: 'mk-1', at: 1 });
      const transcript = path.join(dir, 'transcript.jsonl');
      writeFileSync(transcript, `${JSON.stringify({ type: 'user', message: { content: 'tasks mk-1' } })}\n`);
      const { cache, trips } = countingCache(real);
      let before: typeof trips | undefined;
      const hook: CommandHook = {
        ...userPromptSubmitHook,
        run: async (_input, deps) => {
          before = { ...trips };
          const additionalContext = `news ${deps.marker}`;
          return {
            output: { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext } },
            trace: [],
          };
        },
      };
      const input = {
        session_id: 's1',
        hook_event_name: 'UserPromptSubmit',
        prompt: 'go on',
        prompt_id: 'p-1',
        cwd: dir,
        transcript_path: transcript,
      };
      const result = await runHookPipeline(hook, input, {
        log: () => silentLogger(),
        settings: async () => settingsOf({}, home),
        openCache: () => cache,
        deps: { ensureMonitor: false, allowNetwork: false },
      });
      expect(result.output?.hookSpecificOutput?.additionalContext).toMatch(/^news /);
      expect(before).toEqual({ reads: 1, writes: 1 });
      expect(trips).toEqual({ reads: 1, writes: 2 });
      // The one write before the run recorded the SessionStart context as arrived; the one after, what was told.
      const told = listTold(real).filter((t) => t.sessionId === 's1');
      expect(told.find((t) => t.event === 'SessionStart')?.delivery?.state).toBe('delivered');
      expect(told.find((t) => t.event === 'UserPromptSubmit')?.delivery?.state).toBe('pending');
    } finally {
      real.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
