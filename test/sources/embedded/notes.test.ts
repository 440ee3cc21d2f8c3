// The built-in store's hint for a project with no task yet: a command quoted for the reader's shell.
import { describe, expect, it } from 'vitest';
import { firstTaskNote } from '../../../src/sources/embedded/notes.js';

describe('the first-task hint', () => {
  it('double-quotes the title on Windows, where cmd.exe keeps single quotes, and single-quotes it elsewhere', () => {
    expect(firstTaskNote('shop', 'win32')).toContain('`taskhooks tasks add "A title"`');
    expect(firstTaskNote('shop', 'win32')).not.toContain("'");
    expect(firstTaskNote('shop', 'linux')).toContain("`taskhooks tasks add 'A title'`");
    expect(firstTaskNote('shop', 'darwin')).toMatch(/^no tasks yet in project shop: the add_task tool adds one/);
  });
});
