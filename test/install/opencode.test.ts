// `taskhooks install --agent opencode`, its dry run and uninstall: the project's opencode.json gets taskhooks' plugin
// (with the node that runs taskhooks), the user's own opencode.json the task tools (the monitor's store server, with
// the store token), each merged with the user's own and given back.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupsOf, makeWorld, stateBackupsOf, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

// A project's own OpenCode config: a plugin and a server of its own, in a layout of its own.
const OPENCODE_JSON =
  '{\n\t"$schema": "https://opencode.ai/config.json",\n\t"plugin": ["opencode-wakatime"],\n\t"mcp": { "docs": { "type": "remote", "url": "https://docs.example.com/mcp" } }\n}\n';

interface Config {
  plugin?: unknown[];
  mcp?: Record<string, { type: string; command?: string[]; url?: string }>;
}
const configOf = (file: string): Config => JSON.parse(readFileSync(file, 'utf8')) as Config;
/** The user's own opencode.json, where the task tools go whatever the plugin's scope. */
const userFile = (world: World): string => path.join(world.home, '.config', 'opencode', 'opencode.json');
const storeToken = (world: World): string => readFileSync(path.join(world.thHome, 'store-token'), 'utf8').trim();

describe('install --agent opencode', () => {
  it("adds its plugin to the project's opencode.json and the task tools to the user's own, 0600, both backed up", async () => {
    const file = w.write('opencode.json', OPENCODE_JSON);
    const mine = w.write(userFile(w), '{ "theme": "tokyonight" }\n');
    const r = await w.runHere(['install', '--agent', 'opencode']);
    expect(r.code, r.stderr).toBe(0);
    const config = configOf(file);
    expect(config.plugin?.[0]).toBe('opencode-wakatime');
    const [spec, options] = (config.plugin ?? [])[1] as [string, { node: string }];
    expect(spec).toMatch(/^file:\/\/.*\/dist\/opencode-plugin\.js$/);
    expect(options.node).toBe(process.execPath);
    // The project's file keeps only the plugin: its servers are the project's own.
    expect(Object.keys(config.mcp ?? {})).toEqual(['docs']);
    expect(backupsOf(file)).toHaveLength(1);
    // The monitor's store server, with the store token: no process per session, and the file is the user's alone.
    expect(JSON.parse(readFileSync(mine, 'utf8'))).toEqual({
      theme: 'tokyonight',
      mcp: {
        taskhooks: {
          type: 'remote',
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/),
          headers: { Authorization: `Bearer ${storeToken(w)}` },
          oauth: false,
          enabled: true,
        },
      },
    });
    expect(statSync(mine).mode & 0o777).toBe(0o600);
    expect(backupsOf(mine)).toEqual([]);
    expect(stateBackupsOf(w, mine)).toHaveLength(1);
    // Claude Code's files are not touched.
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
    expect(existsSync(path.join(w.project, '.claude', 'settings.local.json'))).toBe(false);
    const again = await w.runHere(['install', '--agent', 'opencode']);
    expect(again.stdout).toContain('Already installed: nothing changed.');
  });

  it("moves an earlier install's `taskhooks mcp` out of the project's opencode.json, backed up first", async () => {
    const earlier = JSON.parse(OPENCODE_JSON) as Config;
    const local = { type: 'local', command: ['/usr/bin/node', '/opt/taskhooks/dist/cli.js', 'mcp'], enabled: true };
    const file = w.write('opencode.json', JSON.stringify({ ...earlier, mcp: { ...earlier.mcp, taskhooks: local } }));
    const r = await w.runHere(['install', '--agent', 'opencode']);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(configOf(file).mcp ?? {})).toEqual(['docs']);
    expect(backupsOf(file)).toHaveLength(1);
    expect(readFileSync(path.join(w.project, backupsOf(file)[0] ?? ''), 'utf8')).toContain(
      '/opt/taskhooks/dist/cli.js',
    );
    expect(configOf(userFile(w)).mcp?.taskhooks?.type).toBe('remote');
  });

  it("names `taskhooks mcp` by this machine's paths where the config serves no store server", async () => {
    w.write(path.join(w.thHome, 'config.json'), '{ "monitor": { "storeServerPort": 0 } }\n');
    const r = await w.runHere(['install', '--agent', 'opencode']);
    expect(r.code, r.stderr).toBe(0);
    expect(configOf(userFile(w)).mcp?.taskhooks).toEqual({
      type: 'local',
      command: [process.execPath, expect.stringMatching(/\/dist\/cli\.js$/), 'mcp'],
      enabled: true,
    });
  });

  it('writes the user scope to $XDG_CONFIG_HOME/opencode/opencode.json', async () => {
    const xdg = path.join(w.root, 'xdg config');
    const r = await w.runHere(['install', '--agent', 'opencode', '--scope', 'user'], { env: { XDG_CONFIG_HOME: xdg } });
    expect(r.code, r.stderr).toBe(0);
    const user = path.join(xdg, 'opencode', 'opencode.json');
    expect(configOf(user).plugin).toHaveLength(1);
    expect(configOf(user).mcp?.taskhooks?.type).toBe('remote');
    expect(statSync(user).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(w.project, 'opencode.json'))).toBe(false);
  });

  it("refuses a repository's own mcp.taskhooks, naming its command, and writes nothing; doctor certifies nothing", async () => {
    const file = w.write(
      'opencode.json',
      '{ "mcp": { "taskhooks": { "type": "local", "command": ["/outside/evil", "--api-key", "s3cr3t-value-123456"] } } }\n',
    );
    const before = w.snapshot();
    const r = await w.runHere(['install', '--agent', 'opencode']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file}: mcp.taskhooks runs /outside/evil --api-key`);
    expect(r.stderr).toContain('which taskhooks did not write');
    expect(w.snapshot()).toEqual(before);
    const remote = w.write(
      'opencode.json',
      '{ "mcp": { "taskhooks": { "type": "remote", "url": "https://x.example" } } }',
    );
    expect((await w.runHere(['install', '--agent', 'opencode'])).stderr).toContain(
      `${remote}: mcp.taskhooks reaches https://x.example, which taskhooks did not write`,
    );
  });

  it('refuses a "plugin" that is not a list in one line with the fix, and never says it is installed', async () => {
    const file = w.write('opencode.json', '{ "plugin": "opencode-wakatime" }\n');
    for (let k = 0; k < 2; k++) {
      const r = await w.runHere(['install', '--agent', 'opencode']);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain('Already installed');
      expect(r.stderr.trim().split('\n')).toEqual([
        `taskhooks: ${file}: "plugin" is a string where a list belongs; make it a list (["opencode-wakatime"]), then run install again — nothing was changed`,
      ]);
    }
    const user = w.write(userFile(w), '{ "mcp": ["docs"] }\n');
    w.write('opencode.json', '{}\n');
    expect((await w.runHere(['install', '--agent', 'opencode'])).stderr).toContain(
      `${user}: "mcp" is a list where an object belongs; make it an object`,
    );
    expect(w.read(user)).toBe('{ "mcp": ["docs"] }\n');
    expect(w.read('opencode.json')).toBe('{}\n');
  });

  it('--dry-run writes nothing and shows the diff', async () => {
    w.write('opencode.json', OPENCODE_JSON);
    const before = w.snapshot();
    const r = await w.runHere(['install', '--agent', 'opencode', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('dist/opencode-plugin.js');
    expect(w.snapshot()).toEqual(before);
  });
});

describe('uninstall from OpenCode', () => {
  it("gives the user's opencode.json back byte for byte, and removes one install created", async () => {
    const file = w.write('opencode.json', OPENCODE_JSON);
    expect((await w.runHere(['install', '--agent', 'opencode'])).code).toBe(0);
    expect((await w.runHere(['uninstall', '--agent', 'opencode', '--dry-run'])).stdout).toContain('opencode-plugin.js');
    const r = await w.runHere(['uninstall']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(OPENCODE_JSON);
    // The last project's uninstall takes the task tools out of the user's file, which install made.
    expect(existsSync(userFile(w))).toBe(false);

    const fresh = makeWorld();
    try {
      expect((await fresh.runHere(['install', '--agent', 'opencode'])).code).toBe(0);
      expect((await fresh.runHere(['uninstall', '--agent', 'opencode'])).code).toBe(0);
      expect(existsSync(path.join(fresh.project, 'opencode.json'))).toBe(false);
    } finally {
      fresh.cleanup();
    }
  });
});

describe("OpenCode's task tools in the user's own file", () => {
  it('stay while another project uses OpenCode, and go with the last one, nothing else of the file', async () => {
    const other = path.join(w.root, 'other');
    mkdirSync(path.join(other, '.git'), { recursive: true });
    const mine = w.write(userFile(w), '{\n  "theme": "tokyonight"\n}\n');
    expect((await w.runHere(['install', '--agent', 'opencode'])).code).toBe(0);
    expect((await w.runHere(['install', '--agent', 'opencode', '--dir', other])).code).toBe(0);
    expect((await w.runHere(['uninstall', '--agent', 'opencode'])).code).toBe(0);
    expect(configOf(mine).mcp?.taskhooks?.type).toBe('remote');
    expect((await w.runHere(['uninstall', '--agent', 'opencode', '--dir', other])).code).toBe(0);
    expect(readFileSync(mine, 'utf8')).toBe('{\n  "theme": "tokyonight"\n}\n');
  });
});

describe('install --agent all', () => {
  it('wires every agent found on this machine by its folder, and only those', async () => {
    mkdirSync(path.join(w.home, '.gemini'), { recursive: true });
    mkdirSync(path.join(w.home, '.config', 'opencode'), { recursive: true });
    const r = await w.runHere(['install', '--agent', 'all', '--json'], { env: { PATH: '/nonexistent' } });
    expect(r.code, r.stderr).toBe(0);
    const agents = (JSON.parse(r.stdout) as Array<{ agent: string }>).map((a) => a.agent);
    expect(agents).toEqual(['gemini', 'opencode']);
    expect(existsSync(path.join(w.project, 'opencode.json'))).toBe(true);
    expect(existsSync(path.join(w.project, '.gemini', 'settings.json'))).toBe(true);
    expect(existsSync(path.join(w.project, '.codex'))).toBe(false);
  });
});
