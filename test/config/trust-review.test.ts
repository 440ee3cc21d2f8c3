// What `taskhooks trust` shows before it records a file: each thing trusting it would allow, one line each, and a
// file it cannot read as JSON refused in one line with the fix.
import { describe, expect, it } from 'vitest';
import { reviewTrust } from '../../src/config/trust-review.js';
import { UserError } from '../../src/errors/user.js';

describe('reviewTrust', () => {
  it('names the command a project config runs, the servers it sends credentials to, and what else it sets', () => {
    const text = JSON.stringify({
      source: { command: 'task-master', args: ['list'], servers: ['https://tasks.example'] },
      monitor: { hookPort: 1 },
    });
    expect(reviewTrust('/r/.claude/taskhooks.json', text, 'project-config').grants).toEqual([
      'runs "task-master" "list"',
      'sends your task-server credentials to "https://tasks.example"',
      'also sets monitor.hookPort',
    ]);
  });

  it('names the headers an .mcp.json lends, never their values', () => {
    const text = JSON.stringify({
      mcpServers: { hub: { url: 'https://hub.example/mcp', headers: { Authorization: 'Bearer s3cret' } }, bare: {} },
    });
    const { grants } = reviewTrust('/r/.mcp.json', text, 'mcp-json');
    expect(grants).toEqual(['lends the Authorization header(s) of "hub" (https://hub.example/mcp) to taskhooks']);
    expect(grants.join('\n')).not.toContain('s3cret');
  });

  it('refuses a file that is not JSON, or a project config that is no object, in one line with the fix', () => {
    for (const [text, kind] of [
      ['{"source": ', 'project-config'],
      ['[1]', 'project-config'],
      ['{nope', 'mcp-json'],
    ] as const) {
      let thrown: unknown;
      try {
        reviewTrust('/r/f.json', text, kind);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(UserError);
      expect((thrown as Error).message).toMatch(/^\/r\/f\.json .*; fix it before trusting it$/);
      expect((thrown as Error).message).not.toContain('\n');
    }
  });
});
