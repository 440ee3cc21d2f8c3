// What a task command is refused before it acts: the writes a source's definition declares decide, and another
// project's task is named with the flag that acts on it anyway.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors/user.js';
import { defineSource, SOURCE_WRITES } from '../../src/sources/contract.js';
import { refusedWrite, refuseOtherProject } from '../../src/sources/refusals.js';
import { SOURCES } from '../../src/sources/registry.js';

/** A definition that declares only some writes, as a new source might. */
const partial = defineSource({
  name: 'example',
  summary: 'a test source',
  capabilities: { writes: ['start', 'done'], claims: 'none', conditional: false, push: false, pagination: 'one page' },
  words: { statuses: {} },
  changingTools: [],
  plan: () => undefined,
});

describe('the writes a source declares', () => {
  it('let through what the definition names and refuse the rest in one line naming the source', () => {
    expect(refusedWrite(partial, 'start')).toBeUndefined();
    const line = refusedWrite(partial, 'block');
    expect(line).toBe(
      'the example task source cannot mark a task blocked: it can start, done (use its own tools; docs/sources.md lists what each source can do)',
    );
    expect(refusedWrite({ ...partial, capabilities: { ...partial.capabilities, writes: [] } }, 'note')).toMatch(
      /^the example task source cannot keep notes: it is read-only here/,
    );
  });

  it('answer for every registered source exactly as its definition declares', () => {
    for (const d of SOURCES)
      for (const w of SOURCE_WRITES)
        expect([d.name, w, refusedWrite(d, w) === undefined]).toEqual([d.name, w, d.capabilities.writes.includes(w)]);
  });
});

describe('a task of another project', () => {
  it("is let through when it is this project's or its owner is unknown", () => {
    expect(() => refuseOtherProject('TASK-001', 'shop', 'shop', 'tasks show')).not.toThrow();
    expect(() => refuseOtherProject('TASK-001', undefined, 'shop', 'tasks show')).not.toThrow();
  });

  it('is refused naming its owner and the command that acts on it anyway, as shell words', () => {
    let thrown: unknown;
    try {
      refuseOtherProject('TASK-001', "bob's shop", 'shop', 'tasks start');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).kind).toBe('usage');
    expect((thrown as UserError).message).toBe(
      "TASK-001 belongs to project bob's shop, not shop: to act on it anyway, name its project (`taskhooks tasks start TASK-001 --project 'bob'\\''s shop'`)",
    );
  });
});
