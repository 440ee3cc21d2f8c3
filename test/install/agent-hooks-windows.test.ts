// Another agent's hooks as install writes them on Windows, through the platform seam: each as the shell that agent runs
// hook lines in there reads it (its adapter's `windows`), never perl or a socket, never a path joined with `/`; and
// each recognised as taskhooks' own, so doctor vouches for it and uninstall takes it out.
import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../src/agents/index.js';
import { desiredAgentHooks } from '../../src/install/writing/agent-hooks.js';
import { foreignServer, isOwnHookCommand } from '../../src/install/own-wiring.js';
import { mcpServerEntry } from '../../src/install/writing/mcp-json.js';
import { handlerLine, isTaskhooksHandler, type HookEntry } from '../../src/install/writing/settings.js';
import { decodedPowershell } from '../../src/install/writing/windows-hook.js';
import { isJsonObject } from '../../src/util/object.js';

const NODE = 'C:\\Program Files\\nodejs\\node.exe';
const ROOT = "C:\\Users\\Jo O'Brien\\AppData\\Roaming\\npm\\node_modules\\taskhooks";
const COMMAND_AGENTS = ['codex', 'gemini', 'qwen', 'copilot'] as const;

/** `text` as a regular expression that matches it alone. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A handler's line as install's recognisers read it. */
const lineOf = (h: unknown): string => (isJsonObject(h) ? handlerLine(h) : undefined) ?? '';

const handlers = (entries: Record<string, HookEntry>) =>
  Object.entries(entries).flatMap(([event, e]) => ('hooks' in e ? e.hooks : [e]).map((h) => ({ event, h })));

const windowsHooks = (id: (typeof COMMAND_AGENTS)[number], node = NODE) =>
  handlers(
    desiredAgentHooks(AGENTS[id], {
      node,
      root: ROOT,
      served: { socket: '/h/monitor.sock', guarded: true },
      platform: 'win32',
    }),
  );

describe("another agent's hooks on Windows", () => {
  it('run node on the hook script as PowerShell reads it: quoted words, backslashed paths, no perl or socket', () => {
    for (const id of COMMAND_AGENTS)
      for (const { event, h } of windowsHooks(id)) {
        const line = lineOf(h);
        const named = `'--agent=${id}'${id === 'copilot' ? ` '--event=${event}'` : ''}`;
        const scripts = `'${ROOT.replace("'", "''")}\\dist\\hooks\\`;
        expect(line, `${id} ${event}`).toMatch(
          new RegExp(`^& ${literal(`'${NODE}'`)} ${literal(scripts)}[a-z-]+\\.js' ${named}$`),
        );
        expect(line).not.toMatch(/perl|monitor\.sock|\//);
      }
  });

  it("hand each line to the shell the agent runs it in: Codex's cmd.exe gets it encoded, with no quote in it", () => {
    for (const { h } of windowsHooks('codex')) {
      const command = 'command' in h ? h.command : '';
      expect(command).toMatch(/^powershell\.exe -NoLogo -NoProfile -NonInteractive -EncodedCommand [A-Za-z0-9+/=]+$/);
      expect(decodedPowershell(command)).toMatch(/^& '/);
    }
    for (const { h } of windowsHooks('qwen')) expect(h).toMatchObject({ shell: 'powershell' });
    for (const { h } of windowsHooks('gemini')) expect(h).not.toHaveProperty('shell');
    for (const { h } of windowsHooks('copilot')) {
      expect(h).toHaveProperty('powershell');
      expect(h).not.toHaveProperty('bash');
    }
  });

  it("are taskhooks' own: recognised to replace and take out, and held to this node and package by doctor", () => {
    for (const id of COMMAND_AGENTS)
      for (const { h } of windowsHooks(id, process.execPath)) {
        expect(isTaskhooksHandler(h), id).toBe(true);
        const command = lineOf(h);
        expect(isOwnHookCommand(command, ROOT), id).toBe(true);
        // NTFS: the package folder in another case is the same folder.
        expect(isOwnHookCommand(command, ROOT.toUpperCase()), id).toBe(true);
        expect(isOwnHookCommand(command, 'C:\\other\\taskhooks'), id).toBe(false);
      }
    for (const { h } of windowsHooks('gemini')) expect(isOwnHookCommand(lineOf(h), ROOT)).toBe(false);
  });
});

describe('the task tools server on Windows', () => {
  it('starts the CLI by its Windows path, owned whatever the case of the package folder', () => {
    const entry = mcpServerEntry(process.execPath, ROOT, 'win32');
    expect(entry.args[0]).toBe(`${ROOT}\\dist\\cli.js`);
    expect(foreignServer(entry, ROOT.toLowerCase(), 'win32')).toBeUndefined();
    expect(foreignServer(entry, 'C:\\other', 'win32')?.written).toBe(true);
  });
});
