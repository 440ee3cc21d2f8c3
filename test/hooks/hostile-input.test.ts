// Every hook event, fed what a broken or hostile caller could send: each answers nothing or one JSON object for its
// own event, exits 0 with nothing on stderr, and leaves no file named after the input in or beside the state directory.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK_EVENTS } from '../../src/hooks/events/events.js';
import { demoProject, runHook, runHookHere, seedSnapshot, task } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Every path under `dir`, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => p.split(path.sep).join('/'));
}

const MARK = 'hostilemark';

describe.each(HOOK_EVENTS.map((e) => [e.name, e.event] as const))('%s (%s) with hostile input', (name, event) => {
  it('answers nothing or its own event, exits 0, and writes nothing named by the input', async () => {
    const project = demoProject();
    cleanups.push(project.cleanup);
    const { home, repo } = project;
    seedSnapshot(home, {
      sourceKey: 'embedded',
      project: 'demo',
      branch: 'main',
      tasks: [task('T-1', { status: 'in_progress' })],
    });
    const base = { hook_event_name: event, cwd: repo.dir, tool_name: 'Edit', tool_input: { file_path: 'a.ts' } };
    // Read as bytes by the built entry, in a process of its own: nothing, control bytes, and nesting deeper than a
    // recursive reader's stack.
    const deep = `${JSON.stringify({ ...base, session_id: `${MARK}-ok` }).slice(0, -1)}, "deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const bytes = new Set<unknown>(['', '\u0000\u0001\u00ff{{{', deep]);
    const inputs: unknown[] = [
      ...bytes,
      '{"session_id": ',
      'null',
      '"a string"',
      '[{"session_id": "s"}]',
      { ...base, session_id: `../../${MARK}` },
      { ...base, session_id: `${MARK}/../../${MARK}-escaped` },
      { ...base, session_id: `${MARK}${'x'.repeat(10_000)}` },
      { ...base, session_id: `${MARK}\u0000nul` },
      { ...base, session_id: 42, cwd: ['x'], tool_name: {}, prompt: 7, source: { a: 1 } },
      { ...base, session_id: `${MARK}-ok`, cwd: `/nonexistent/${MARK}` },
      { ...base, session_id: `${MARK}-ok`, cwd: '/' },
      { ...base, session_id: `${MARK}-ok`, hook_event_name: 'Stop', reason: { toString: 1 } },
    ];
    for (const input of inputs) {
      // Text that parses, or fails to, alike in any host and hostile values in an object are the hook's logic, run in
      // this process.
      const run = await (bytes.has(input) ? runHook : runHookHere)(name, input, { home, cwd: repo.dir });
      const label = (typeof input === 'string' ? input : JSON.stringify(input)).slice(0, 120);
      expect([label, run.code, run.signal, run.stderr]).toEqual([label, 0, null, '']);
      if (run.output) expect(run.output.hookSpecificOutput.hookEventName).toBe(event);
    }
    // A session id is a file name only when it is a plain id: nothing under the state directory carries a refused
    // one, and nothing climbed out of it into the folder that holds it.
    const named = tree(home).filter((p) => p.includes(MARK) && !p.endsWith(`${MARK}-ok`));
    const escaped = readdirSync(path.dirname(home)).filter((n) => n.includes(MARK));
    expect({ named, escaped }).toEqual({ named: [], escaped: [] });
  }, 60_000);
});
