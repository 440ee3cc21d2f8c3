// `taskhooks install --agent copilot`: Copilot CLI's native hooks file in the repository, the task tools' server in its
// user-level mcp-config.json (merged beside the user's own servers), and an uninstall that keeps that one entry while
// another project still uses it.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupsOf, makeWorld, stateBackupsOf, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const HOOKS = '.github/hooks/taskhooks.json';
const MCP_CONFIG =
  '{\n  "mcpServers": {\n    "docs": { "type": "local", "command": "docs-mcp", "tools": ["*"] }\n  }\n}\n';
const json = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('install --agent copilot', () => {
  it('writes its native hooks file, each handler naming its event, and the server beside the user’s own', async () => {
    const mcp = w.write(path.join(w.home, '.copilot', 'mcp-config.json'), MCP_CONFIG);
    const r = await w.runHere(['install', '--agent', 'copilot']);
    expect(r.code, r.stderr).toBe(0);
    const file = json(path.join(w.project, HOOKS)) as {
      version: number;
      hooks: Record<string, Array<{ type: string; bash: string; timeoutSec: number }>>;
    };
    expect(file.version).toBe(1);
    expect(Object.keys(file.hooks)).toEqual([
      'sessionStart',
      'userPromptSubmitted',
      'preToolUse',
      'postToolUse',
      'sessionEnd',
    ]);
    const pre = file.hooks.preToolUse?.[0];
    expect(pre?.type).toBe('command');
    expect(pre?.bash).toContain(' pre-tool-use "$PPID" copilot preToolUse -- ');
    expect(pre?.bash).toMatch(
      /; exec "[^"]+" "[^"]+\/dist\/hooks\/pre-tool-use\.js" --agent=copilot --event=preToolUse$/,
    );
    expect(pre?.timeoutSec).toBe(5);
    const servers = json(mcp).mcpServers as Record<string, { type: string; command: string; args?: string[] }>;
    expect(servers.docs?.command).toBe('docs-mcp');
    // The monitor's store server with its token: the file becomes the user's alone.
    const token = readFileSync(path.join(w.thHome, 'store-token'), 'utf8').trim();
    expect(servers.taskhooks).toEqual({
      type: 'http',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/),
      headers: { Authorization: `Bearer ${token}` },
      tools: ['*'],
    });
    expect(statSync(mcp).mode & 0o777).toBe(0o600);
    expect(backupsOf(mcp)).toEqual([]);
    expect(stateBackupsOf(w, mcp)).toHaveLength(1);
    expect(r.stdout).toContain('GITHUB_COPILOT_PROMPT_MODE_REPO_HOOKS');
    expect((await w.runHere(['install', '--agent', 'copilot'])).stdout).toContain('Already installed');
  });

  it('refuses a user scope for its hooks, which live in the repository', async () => {
    const r = await w.runHere(['install', '--agent', 'copilot', '--scope', 'user']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Copilot CLI reads hooks from project only');
  });
});

describe('uninstall --agent copilot', () => {
  it('keeps the user-level server while another project uses it, and takes it out with the last one', async () => {
    const mcp = w.write(path.join(w.home, '.copilot', 'mcp-config.json'), MCP_CONFIG);
    const other = path.join(w.root, 'other');
    mkdirSync(path.join(other, '.git'), { recursive: true });
    expect((await w.runHere(['install', '--agent', 'copilot'])).code).toBe(0);
    expect((await w.runHere(['install', '--agent', 'copilot', '--dir', other])).code).toBe(0);
    expect((await w.runHere(['uninstall', '--agent', 'copilot'])).code).toBe(0);
    expect(existsSync(path.join(w.project, HOOKS))).toBe(false);
    expect(Object.keys(json(mcp).mcpServers as object)).toEqual(['docs', 'taskhooks']);
    const dry = await w.runHere(['uninstall', '--agent', 'copilot', '--dir', other, '--dry-run']);
    expect(dry.stdout).toContain(`remove ${path.join(other, HOOKS)}`);
    expect(dry.stdout).toContain(`update ${mcp}`);
    expect((await w.runHere(['uninstall', '--agent', 'copilot', '--dir', other])).code).toBe(0);
    expect(readFileSync(mcp, 'utf8')).toBe(MCP_CONFIG);
  });

  it('--scope user takes the server out at once', async () => {
    const mcp = w.write(path.join(w.home, '.copilot', 'mcp-config.json'), MCP_CONFIG);
    expect((await w.runHere(['install', '--agent', 'copilot'])).code).toBe(0);
    expect((await w.runHere(['uninstall', '--agent', 'copilot', '--scope', 'user'])).code).toBe(0);
    expect(readFileSync(mcp, 'utf8')).toBe(MCP_CONFIG);
    expect(existsSync(path.join(w.project, HOOKS))).toBe(true);
  });
});
