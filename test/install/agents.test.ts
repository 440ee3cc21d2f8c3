// `taskhooks install --agent codex|gemini|qwen`, its dry run and uninstall: the agent's own file, merged, given back.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupsOf, makeWorld, stateBackupsOf, type World } from './cli.js';
import { ABSOLUTE_PATH_FIRST } from '../../src/install/writing/command-hook.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

interface Group {
  matcher: string;
  hooks: Array<{ type: string; command: string; timeout: number }>;
}
const hooksOf = (file: string): Record<string, Group[]> =>
  (JSON.parse(readFileSync(file, 'utf8')) as { hooks: Record<string, Group[]> }).hooks;

// Gemini CLI's own settings, with a hook of the user's, in a layout of their own.
const GEMINI_SETTINGS =
  '{\n    "model": { "name": "gemini-2.5-pro" },\n    "hooks": {\n        "AfterTool": [{ "matcher": "write_file", "hooks": [{ "type": "command", "command": "prettier --write", "timeout": 3000 }] }]\n    }\n}\n';

// Codex's own config.toml, commented, with a server of the user's.
const CODEX_CONFIG = `# my Codex
model = "gpt-5.5" # the fast one

[mcp_servers.docs]
command = "docs-mcp" # read-only
args = ["--root", "/srv/docs"]

[projects."/srv/shop"]
trust_level = "trusted"
`;
/** The store token of the world's state directory, the one the monitor's store server takes. */
const storeToken = (world: World): string => readFileSync(path.join(world.thHome, 'store-token'), 'utf8').trim();

const serversOf = (file: string): Record<string, Record<string, unknown>> =>
  (parse(readFileSync(file, 'utf8')) as { mcp_servers: Record<string, Record<string, unknown>> }).mcp_servers;

describe('install --agent codex', () => {
  it("writes the project's .codex/hooks.json with command hooks of the same entries, and says how to approve them", async () => {
    const r = await w.runHere(['install', '--agent', 'codex']);
    expect(r.code, r.stderr).toBe(0);
    // The task tools: the monitor's store server, in the user's own config.toml (0600, it holds the store token).
    const user = path.join(w.home, '.codex', 'config.toml');
    const server = serversOf(user).taskhooks;
    expect(server?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(server?.http_headers).toEqual({ Authorization: `Bearer ${storeToken(w)}` });
    expect(statSync(user).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(w.project, '.codex', 'config.toml'))).toBe(false);
    const hooks = hooksOf(path.join(w.project, '.codex', 'hooks.json'));
    expect(Object.keys(hooks)).toEqual(['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop']);
    expect(hooks.Stop?.[0]?.hooks[0]?.command).toMatch(
      / turn-end "\$PPID" codex -- .*\/dist\/hooks\/turn-end\.js" --agent=codex$/,
    );
    expect(hooks.PreToolUse?.[0]?.matcher).toBe('Bash|apply_patch');
    const command = hooks.PreToolUse?.[0]?.hooks[0]?.command ?? '';
    // Handed to the monitor's socket first; with no guard on, only a call that names git.
    expect(command.startsWith(ABSOLUTE_PATH_FIRST)).toBe(true);
    expect(command.slice(ABSOLUTE_PATH_FIRST.length)).toMatch(
      /^command -v perl >\/dev\/null && exec perl "[^"]+\/socket-post\.pl" --git-only /,
    );
    expect(command).toContain(` ${JSON.stringify(path.join(w.thHome, 'monitor.sock'))} pre-tool-use "$PPID" codex -- `);
    expect(command).toMatch(/; exec "[^"]+" "[^"]+\/dist\/hooks\/pre-tool-use\.js" --agent=codex$/);
    expect(hooks.PreToolUse?.[0]?.hooks[0]?.timeout).toBe(5);
    expect(r.stdout).toContain('Trust all and continue');
    // Claude Code's files are not touched.
    expect(existsSync(path.join(w.project, '.claude'))).toBe(false);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
  });

  it('writes $CODEX_HOME/hooks.json for the user scope', async () => {
    const codexHome = path.join(w.root, 'codex home');
    const r = await w.runHere(['install', '--agent', 'codex', '--scope', 'user'], { env: { CODEX_HOME: codexHome } });
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(hooksOf(path.join(codexHome, 'hooks.json')))).toContain('SessionStart');
    expect(existsSync(path.join(w.home, '.codex'))).toBe(false);
  });

  it("adds the task tools' table to the user's config.toml, every other byte kept, and uninstall gives it back", async () => {
    const codexHome = path.join(w.root, 'codex home');
    const config = w.write(path.join(codexHome, 'config.toml'), CODEX_CONFIG);
    const env = { env: { CODEX_HOME: codexHome } };
    const before = w.snapshot();
    const dry = await w.runHere(['install', '--agent', 'codex', '--scope', 'user', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+ [mcp_servers.taskhooks]');
    expect(w.snapshot()).toEqual(before);

    expect((await w.runHere(['install', '--agent', 'codex', '--scope', 'user'], env)).code).toBe(0);
    const after = readFileSync(config, 'utf8');
    expect(after.startsWith(CODEX_CONFIG)).toBe(true);
    expect(Object.keys(serversOf(config))).toEqual(['docs', 'taskhooks']);
    expect(backupsOf(config)).toEqual([]);
    expect(stateBackupsOf(w, config)).toHaveLength(1);
    expect((await w.runHere(['install', '--agent', 'codex', '--scope', 'user'], env)).stdout).toContain(
      'Already installed',
    );

    const out = await w.runHere(['uninstall', '--agent', 'codex', '--scope', 'user', '--dry-run'], env);
    expect(out.stdout).toContain('- [mcp_servers.taskhooks]');
    expect((await w.runHere(['uninstall', '--agent', 'codex', '--scope', 'user'], env)).code).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(CODEX_CONFIG);
  });

  it('refuses a taskhooks server it did not write, naming it, and a config.toml that is not TOML', async () => {
    const theirs = `${CODEX_CONFIG}\n[mcp_servers.taskhooks]\ncommand = "their-tasks"\n`;
    const config = w.write('.codex/config.toml', theirs);
    const snap = w.snapshot();
    const r = await w.runHere(['install', '--agent', 'codex']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${config}: [mcp_servers.taskhooks] runs their-tasks, which taskhooks did not write`);
    expect(w.snapshot()).toEqual(snap);
    expect((await w.runHere(['uninstall', '--agent', 'codex'])).code).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(theirs);

    w.write('.codex/config.toml', 'model = "o3"\nbroken = [\n');
    const before = w.snapshot();
    const bad = await w.runHere(['install', '--agent', 'codex']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(
      /config\.toml:\d+:\d+ is not valid TOML .*; fix it by hand and run again — nothing was changed/,
    );
    expect(w.snapshot()).toEqual(before);
  });

  it("keeps the user's task tools while another project uses Codex, and takes them out with the last one", async () => {
    const other = path.join(w.root, 'other');
    mkdirSync(path.join(other, '.git'), { recursive: true });
    const user = path.join(w.home, '.codex', 'config.toml');
    expect((await w.runHere(['install', '--agent', 'codex'])).code).toBe(0);
    expect((await w.runHere(['install', '--agent', 'codex', '--dir', other])).code).toBe(0);
    expect((await w.runHere(['uninstall', '--agent', 'codex'])).code).toBe(0);
    expect(Object.keys(serversOf(user))).toEqual(['taskhooks']);
    expect((await w.runHere(['uninstall', '--agent', 'codex', '--dir', other])).code).toBe(0);
    expect(existsSync(user)).toBe(false);
  });

  it("moves an earlier install's `taskhooks mcp` out of the project's config.toml, giving its bytes back", async () => {
    const earlier = `${CODEX_CONFIG}\n[mcp_servers.taskhooks]\ncommand = "/usr/bin/node"\nargs = ["/opt/taskhooks/dist/cli.js", "mcp"]\n`;
    const config = w.write('.codex/config.toml', earlier);
    const r = await w.runHere(['install', '--agent', 'codex']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(`${CODEX_CONFIG}`);
    expect(serversOf(path.join(w.home, '.codex', 'config.toml')).taskhooks?.url).toMatch(/\/mcp$/);
  });

  it('refuses what only Claude Code has, in one line each', async () => {
    const local = await w.runHere(['install', '--agent', 'codex', '--scope', 'local']);
    expect(local.code).not.toBe(0);
    expect(local.stderr).toContain('Codex reads hooks from project or user only');
    expect((await w.runHere(['install', '--agent', 'codex', '--transport', 'http'])).stderr).toContain(
      'runs command hooks only',
    );
    expect((await w.runHere(['install', '--agent', 'vim'])).stderr).toContain(
      '--agent "vim" is not one of claude, codex, gemini, qwen, copilot, opencode',
    );
  });
});

describe('install --agent gemini', () => {
  it('merges into the settings Gemini CLI reads, keeping the user’s own, timeouts in milliseconds', async () => {
    const file = w.write('.gemini/settings.json', GEMINI_SETTINGS);
    const r = await w.runHere(['install', '--agent', 'gemini']);
    expect(r.code, r.stderr).toBe(0);
    const after = JSON.parse(w.read(file));
    expect(after.model).toEqual({ name: 'gemini-2.5-pro' });
    const hooks = hooksOf(file);
    expect(hooks.AfterTool?.[0]?.hooks[0]?.command).toBe('prettier --write');
    // One hook after a call, the news and the edit reminder; with no guard on, none before one.
    const ours = hooks.AfterTool?.[1]?.hooks.map((h) => h.command) ?? [];
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/post-tool-use\.js" --agent=gemini$/);
    expect(hooks.BeforeTool).toBeUndefined();
    expect(hooks.SessionStart?.[0]?.hooks[0]?.timeout).toBe(35_000);
    expect(backupsOf(file)).toHaveLength(1);
    expect(r.stdout).toContain('trust');
    // Once more changes nothing.
    const again = await w.runHere(['install', '--agent', 'gemini']);
    expect(again.stdout).toContain('Already installed: nothing changed.');
  });

  it('--dry-run writes nothing and shows the diff', async () => {
    w.write('.gemini/settings.json', GEMINI_SETTINGS);
    const before = w.snapshot();
    const r = await w.runHere(['install', '--agent', 'gemini', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('--agent=gemini');
    expect(w.snapshot()).toEqual(before);
  });
});

// Qwen Code's own settings: comments-free JSON with a server of the user's.
const QWEN_SETTINGS =
  '{\n  "mcpServers": { "docs": { "command": "docs-mcp" } },\n  "model": { "name": "qwen3-coder-plus" }\n}\n';

describe('install --agent qwen', () => {
  it("merges hooks (timeouts in seconds) and the task tools' server into .qwen/settings.json, and gives it back", async () => {
    const file = w.write('.qwen/settings.json', QWEN_SETTINGS);
    const r = await w.runHere(['install', '--agent', 'qwen']);
    expect(r.code, r.stderr).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as {
      mcpServers: Record<string, { command: string; args?: string[] }>;
      hooks: Record<string, Group[]>;
    };
    // With no guard on, no hook before a call: Qwen Code's model reads nothing said there.
    expect(Object.keys(after.hooks)).toEqual(['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'SessionEnd']);
    expect(after.hooks.PostToolUse?.[0]?.hooks[0]?.timeout).toBe(5);
    expect(after.hooks.PostToolUse?.[0]?.hooks.map((h) => h.command.match(/hooks\/([a-z-]+)\.js/)?.[1])).toEqual([
      'post-tool-use',
    ]);
    // The task tools are the user's own, not the project's: an earlier install's entry there goes.
    expect(after.mcpServers).toEqual({ docs: { command: 'docs-mcp' } });
    const user = JSON.parse(w.read(path.join(w.home, '.qwen', 'settings.json'))) as { mcpServers: unknown };
    expect(user.mcpServers).toEqual({
      taskhooks: {
        type: 'http',
        httpUrl: expect.stringMatching(/\/mcp$/),
        headers: { Authorization: `Bearer ${storeToken(w)}` },
      },
    });
    expect(backupsOf(file)).toHaveLength(1);
    expect(r.stdout).toContain('folderTrust');
    expect((await w.runHere(['uninstall', '--agent', 'qwen'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(QWEN_SETTINGS);
  });

  it('writes $QWEN_HOME/settings.json for the user scope', async () => {
    const qwenHome = path.join(w.root, 'qwen home');
    const r = await w.runHere(['install', '--agent', 'qwen', '--scope', 'user'], { env: { QWEN_HOME: qwenHome } });
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(hooksOf(path.join(qwenHome, 'settings.json')))).toContain('UserPromptSubmit');
    expect(existsSync(path.join(w.project, '.qwen'))).toBe(false);
  });
});

describe('uninstall', () => {
  it("takes taskhooks out of every agent's files and gives the user's file back byte for byte", async () => {
    const gemini = w.write('.gemini/settings.json', GEMINI_SETTINGS);
    const before = w.snapshot();
    expect((await w.runHere(['install', '--agent', 'gemini'])).code).toBe(0);
    expect((await w.runHere(['install', '--agent', 'codex'])).code).toBe(0);
    const r = await w.runHere(['uninstall']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(gemini, 'utf8')).toBe(GEMINI_SETTINGS);
    expect(existsSync(path.join(w.project, '.codex', 'hooks.json'))).toBe(false);
    expect(existsSync(path.join(w.project, '.codex', 'config.toml'))).toBe(false);
    for (const [file, text] of before) expect(w.snapshot().get(file), file).toBe(text);
  });

  it('--agent removes one agent only', async () => {
    expect((await w.runHere(['install', '--agent', 'gemini'])).code).toBe(0);
    expect((await w.runHere(['install', '--agent', 'codex'])).code).toBe(0);
    expect((await w.runHere(['uninstall', '--agent', 'codex'])).code).toBe(0);
    expect(existsSync(path.join(w.project, '.codex', 'hooks.json'))).toBe(false);
    expect(Object.keys(hooksOf(path.join(w.project, '.gemini', 'settings.json')))).toContain('AfterTool');
  });
});
