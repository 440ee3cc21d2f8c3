// What install writes and reads for Windows, checked here on Linux through the platform seams (path.win32): the
// command hooks in exec form with Windows paths, found again by install, doctor and uninstall; the user's home as a
// Windows user has it. The Wine tier (test/e2e/windows.test.ts) runs the same on Node's
// Windows build.
import { describe, expect, it } from 'vitest';
import { homeDir } from '../../src/agents/config-home.js';
import { monitorSocketPath } from '../../src/home/endpoint.js';
import { isOwnExecHook, notOwnHooks } from '../../src/install/own-wiring.js';
import {
  desiredHooks,
  hasTaskhooksHooks,
  isTaskhooksHandler,
  withIdleRewake,
  withTaskhooksHooks,
} from '../../src/install/writing/settings.js';

const root = 'C:\\Program Files\\taskhooks';
const node = 'C:\\Program Files\\nodejs\\node.exe';
const served = { port: 20_002, tokenVar: 'TASKHOOKS_HOOK_TOKEN_0A1B2C3D', guarded: true };
const windows = () =>
  withIdleRewake(desiredHooks({ node, root, transport: 'http', served, platform: 'win32' }), {
    node,
    root,
    platform: 'win32',
  });
const commands = (hooks: object) =>
  Object.values(hooks)
    .flatMap((g: { hooks: unknown[] } | Array<{ hooks: unknown[] }>) => (Array.isArray(g) ? g : [g]))
    .flatMap((g) => g.hooks)
    .filter(
      (h): h is { type: 'command'; command: string; args?: string[] } => (h as { type: string }).type === 'command',
    );

describe('the command hooks install writes for Windows', () => {
  it('are in exec form, node.exe and the script by Windows paths, with no shell, perl or socket', () => {
    const hooks = windows();
    expect(hooks.SessionStart.hooks[0]).toEqual({
      type: 'command',
      command: node,
      args: [`${root}\\dist\\hooks\\session-start.js`, '--ask-monitor'],
      timeout: expect.any(Number),
    });
    // In the background, the monitor does the session's end where it runs: its bundle loads only without one.
    expect(hooks.SessionEnd.hooks[0]).toMatchObject({
      command: node,
      args: [`${root}\\dist\\hooks\\session-end.js`, '--ask-monitor'],
      async: true,
    });
    // The work record's Stop entry, then the idle watch beside it.
    expect(hooks.Stop?.hooks[0]).toMatchObject({
      command: node,
      args: [`${root}\\dist\\hooks\\turn-end.js`, '--ask-monitor'],
      async: true,
    });
    expect(hooks.Stop?.hooks[1]).toMatchObject({
      command: node,
      args: [`${root}\\dist\\cli.js`, 'watch', '--rewake'],
      asyncRewake: true,
    });
    for (const h of commands(hooks)) {
      expect(h.args, JSON.stringify(h)).toBeDefined();
      expect(JSON.stringify(h)).not.toMatch(/perl|\$\(|\/dist|\.sock|\[ /);
    }
  });

  it("are each found again as taskhooks', so a reinstall replaces them and uninstall leaves nothing", () => {
    const hooks = windows();
    for (const h of commands(hooks)) expect(isTaskhooksHandler(h), JSON.stringify(h)).toBe(true);
    const mine = { matcher: '', hooks: [{ type: 'command', command: 'C:\\tools\\lint.exe', args: ['--fix'] }] };
    const installed = withTaskhooksHooks({ hooks: { SessionEnd: [mine] } }, hooks);
    expect(withTaskhooksHooks(installed, hooks)).toEqual(installed);
    const removed = withTaskhooksHooks(installed);
    expect(hasTaskhooksHooks(removed)).toBe(false);
    expect(removed).toEqual({ hooks: { SessionEnd: [mine] } });
  });

  it('are vouched for by doctor when they run this node and this root, whatever the case of the path', () => {
    const script = `${root.toUpperCase()}\\DIST\\HOOKS\\SESSION-START.JS`;
    expect(isOwnExecHook(process.execPath, [script, '--ask-monitor'], root, 'win32')).toBe(true);
    expect(isOwnExecHook(process.execPath, [`${root}\\dist\\cli.js`, 'watch', '--rewake'], root, 'win32')).toBe(true);
    expect(isOwnExecHook(process.execPath, [script, '--other'], root, 'win32')).toBe(false);
    expect(isOwnExecHook(process.execPath, ['D:\\evil\\dist\\hooks\\session-start.js'], root, 'win32')).toBe(false);
    expect(isOwnExecHook('C:\\elsewhere\\node.exe', [script], root, 'win32')).toBe(false);
    const settings = {
      hooks: {
        SessionEnd: [
          { matcher: '', hooks: [{ type: 'command', command: node, args: [`${root}\\dist\\hooks\\session-end.js`] }] },
        ],
      },
    };
    expect(notOwnHooks(settings, root)).toHaveLength(1); // another node than this one
  });
});

describe('Windows paths', () => {
  const profile = 'C:\\Users\\Jo Doe';
  it("find the agents' settings in %USERPROFILE%, not a HOME set for Git Bash", () => {
    expect(homeDir({ USERPROFILE: profile, HOME: '/c/msys/home/jo' }, 'win32')).toBe(profile);
    expect(homeDir({ USERPROFILE: profile, HOME: '/home/jo' }, 'linux')).toBe('/home/jo');
  });

  it('give the monitor no Unix socket: hooks reach it on its loopback port with the token', () => {
    expect(monitorSocketPath(`${profile}\\.taskhooks`, 'win32')).toBeUndefined();
    expect(monitorSocketPath('/home/jo/.taskhooks', 'linux')).toBe('/home/jo/.taskhooks/monitor.sock');
  });
});
