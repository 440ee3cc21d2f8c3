// The merge functions refuse what install did not write under taskhooks' name, and containers of another shape, as
// one-line refusals; taking taskhooks out leaves both as they are.
import { describe, expect, it } from 'vitest';
import { mcpServerEntry, withTaskhooksServer } from '../../src/install/writing/mcp-json.js';
import { opencodeWiring, withOpencodeWiring, withoutOpencodeWiring } from '../../src/agents/opencode/wiring.js';
import { listAt, WiringRefusal, refusingIn } from '../../src/install/planning/refusals.js';
import { refuseForeignHandlers, withServerApproval, withTaskhooksHooks } from '../../src/install/writing/settings.js';

const OURS = mcpServerEntry('/usr/bin/node', '/opt/taskhooks');
const WIRING = opencodeWiring('/usr/bin/node', '/opt/taskhooks');
const EVIL = { command: '/outside/evil', args: ['--x'] };

describe('withTaskhooksServer', () => {
  it('refuses to set its server over a foreign one, naming what it runs, and keeps it on removal', () => {
    const theirs = { mcpServers: { taskhooks: EVIL, docs: { url: 'https://d' } } };
    expect(() => withTaskhooksServer(theirs, OURS)).toThrow(WiringRefusal);
    expect(() => withTaskhooksServer(theirs, OURS)).toThrow(
      'mcpServers.taskhooks runs /outside/evil --x, which taskhooks did not write',
    );
    expect(withTaskhooksServer(theirs)).toBe(theirs);
  });

  it('replaces an entry of an earlier install and refuses an mcpServers that is not an object', () => {
    const older = { mcpServers: { taskhooks: mcpServerEntry('/old/node', '/old/taskhooks') } };
    expect(withTaskhooksServer(older, OURS)).toEqual({ mcpServers: { taskhooks: OURS } });
    expect(() => withTaskhooksServer({ mcpServers: [] }, OURS)).toThrow(/^"mcpServers" is a list where an object/);
    expect(withTaskhooksServer({ mcpServers: [] })).toEqual({ mcpServers: [] });
  });
});

describe('withOpencodeWiring', () => {
  it('refuses a string plugin; removal leaves it as it is, and it never touches mcp', () => {
    expect(() => withOpencodeWiring({ plugin: 'p' }, WIRING, listAt)).toThrow(
      '"plugin" is a string where a list belongs; make it a list (["p"]), then run install again — nothing was changed',
    );
    expect(withoutOpencodeWiring({ plugin: 'p' })).toEqual({ plugin: 'p' });
    const foreign = { mcp: { taskhooks: { type: 'remote', url: 'https://x' } } };
    const next = withOpencodeWiring(foreign, WIRING, listAt);
    expect(next.mcp).toEqual(foreign.mcp);
    expect(next.plugin).toEqual([WIRING.plugin]);
  });
});

describe("OpenCode's mcp table", () => {
  it('refuses a foreign mcp.taskhooks and an mcp list, takes out an earlier local entry, sets the remote one', () => {
    const foreign = { mcp: { taskhooks: { type: 'local', command: ['/outside/evil'] } } };
    expect(() => withTaskhooksServer(foreign, OURS, 'mcp')).toThrow(
      'mcp.taskhooks runs /outside/evil, which taskhooks',
    );
    expect(withTaskhooksServer(foreign, undefined, 'mcp')).toBe(foreign);
    expect(() => withTaskhooksServer({ mcp: ['x'] }, OURS, 'mcp')).toThrow(/^"mcp" is a list where an object belongs/);
    const local = { type: 'local', command: ['/usr/bin/node', '/old/taskhooks/dist/cli.js', 'mcp'], enabled: true };
    expect(withTaskhooksServer({ mcp: { taskhooks: local, docs: {} } }, undefined, 'mcp')).toEqual({
      mcp: { docs: {} },
    });
    const remote = {
      type: 'remote',
      url: 'http://127.0.0.1:7800/mcp',
      headers: { Authorization: 'Bearer t' },
      oauth: false,
      enabled: true,
    };
    expect(withTaskhooksServer({ mcp: { taskhooks: local } }, remote, 'mcp')).toEqual({ mcp: { taskhooks: remote } });
    expect(withTaskhooksServer({ mcp: { taskhooks: remote } }, undefined, 'mcp')).toEqual({});
  });
});

describe("Claude Code's settings and Copilot CLI's own file", () => {
  const desired = {
    Stop: {
      matcher: '',
      hooks: [{ type: 'command' as const, command: '"/n" "/r/dist/hooks/session-end.js"', timeout: 1 }],
    },
  };

  it('refuses hooks that are not an object, an event that is not a list and an approval list that is not one', () => {
    expect(() => withTaskhooksHooks({ hooks: 'x' }, desired)).toThrow(/^"hooks" is a string where an object/);
    expect(() => withTaskhooksHooks({ hooks: { Stop: 1 } }, desired)).toThrow(/^"hooks.Stop" is a number where a list/);
    expect(withTaskhooksHooks({ hooks: { Other: 1 } }, desired).hooks).toMatchObject({ Other: 1 });
    expect(withTaskhooksHooks({ hooks: 'x' })).toEqual({ hooks: 'x' });
    expect(() => withServerApproval({ enabledMcpjsonServers: 'docs' }, true)).toThrow(/a string where a list/);
    expect(withServerApproval({ enabledMcpjsonServers: 'docs' }, false)).toEqual({ enabledMcpjsonServers: 'docs' });
  });

  it("refuses a handler install did not write in taskhooks' own hooks file, naming the file through refusingIn", () => {
    const file = { version: 1, hooks: { sessionStart: [{ type: 'command', bash: 'curl x | sh', timeoutSec: 5 }] } };
    expect(() => refusingIn('/p/taskhooks.json', () => refuseForeignHandlers(file))).toThrow(
      /^\/p\/taskhooks\.json: hooks\.sessionStart runs curl x \| sh, which taskhooks did not write; .* — nothing was changed$/,
    );
    const ours = {
      hooks: {
        sessionStart: [
          {
            type: 'command',
            bash: '"/n" "/r/dist/hooks/session-start.js" --agent=copilot --event=sessionStart',
            timeoutSec: 5,
          },
        ],
      },
    };
    expect(() => refuseForeignHandlers(ours)).not.toThrow();
  });
});
