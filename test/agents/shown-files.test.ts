// The agents' files as help and messages name them, with the reader injected: `~/…` and relative paths for a POSIX
// shell, real paths with backslashes on Windows, never `~\…`.
import { describe, expect, it } from 'vitest';
import { shownFile } from '../../src/agents/agent.js';
import { claudeJsonShown } from '../../src/agents/claude/claude-json.js';
import { AGENTS } from '../../src/agents/index.js';
import type { Reader } from '../../src/util/shown.js';

const windows: Reader = { platform: 'win32', env: {}, homedir: 'C:\\Users\\Jo Doe' };
const linux: Reader = { platform: 'linux', env: {}, homedir: '/home/jo' };

describe("an agent's file", () => {
  it('in the home folder is `~/…` on POSIX and its real path on Windows', () => {
    expect(shownFile(AGENTS.claude, 'user', linux)).toBe('~/.claude/settings.json');
    expect(shownFile(AGENTS.claude, 'user', windows)).toBe('C:\\Users\\Jo Doe\\.claude\\settings.json');
    expect(shownFile(AGENTS.gemini, 'user', windows)).toBe('C:\\Users\\Jo Doe\\.gemini\\settings.json');
    expect(claudeJsonShown(linux)).toBe('~/.claude.json');
    expect(claudeJsonShown(windows)).toBe('C:\\Users\\Jo Doe\\.claude.json');
  });

  it("in the project's folder is named from it, in the reader's separators", () => {
    expect(shownFile(AGENTS.claude, 'local', linux)).toBe('.claude/settings.local.json');
    expect(shownFile(AGENTS.claude, 'local', windows)).toBe('.claude\\settings.local.json');
    expect(shownFile(AGENTS.codex, 'project', windows)).toBe('.codex\\hooks.json');
  });

  it('never reads `~\\` on Windows, for any agent or scope', () => {
    for (const agent of Object.values(AGENTS))
      for (const scope of agent.scopes) expect(shownFile(agent, scope, windows)).not.toMatch(/~|\//);
  });
});
