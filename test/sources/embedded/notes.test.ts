// The built-in store's hint for a project with no task yet: words every route, agent and shell can follow.
import { describe, expect, it } from 'vitest';
import { firstTaskNote } from '../../../src/sources/embedded/notes.js';

describe('the first-task hint', () => {
  it("names the agent's add_task tool, there on both routes, and no command a shell would have to quote", () => {
    expect(firstTaskNote('shop')).toBe('no tasks yet in project shop: ask the agent to add one (its add_task tool)');
    expect(firstTaskNote('shop')).not.toMatch(/['"`]|taskhooks tasks add/);
  });
});
