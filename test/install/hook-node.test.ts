// The Node install names in hooks, for each version manager's layout: the stable name of the Node taskhooks runs on
// where the manager has one, never the versioned folder its upgrade removes. The machine is described, not read: each
// case lists its files and links.
import { describe, expect, it } from 'vitest';
import { bareNodeNote, hookNode, PATH_NODE, versionManagerOf, type NodeFacts } from '../../src/install/hook-node.js';

/** A machine of `files` (each its own real path) and `links` (name → real path). */
function machine(
  execPath: string,
  o: { files?: string[]; links?: Record<string, string>; PATH?: string; env?: NodeJS.ProcessEnv; win?: boolean },
): NodeFacts {
  const files = new Set([execPath, ...(o.files ?? [])]);
  const links = o.links ?? {};
  return {
    execPath,
    platform: o.win ? 'win32' : 'linux',
    env: { ...(o.PATH === undefined ? {} : { PATH: o.PATH }), ...o.env },
    real: (file) => links[file] ?? (files.has(file) ? file : undefined),
  };
}

describe('the Node a hook names', () => {
  it('keeps a Node no version manager holds', () => {
    expect(hookNode(machine('/usr/bin/node', {}))).toBe('/usr/bin/node');
    expect(hookNode(machine('C:\\Program Files\\nodejs\\node.exe', { win: true }))).toBe(
      'C:\\Program Files\\nodejs\\node.exe',
    );
  });

  it("names Homebrew's linked node, or its formula's opt link when the linked one is another Node", () => {
    const cellar = '/opt/homebrew/Cellar/node/24.3.0/bin/node';
    expect(hookNode(machine(cellar, { links: { '/opt/homebrew/bin/node': cellar } }))).toBe('/opt/homebrew/bin/node');
    const intel = '/usr/local/Cellar/node/24.3.0/bin/node';
    expect(hookNode(machine(intel, { links: { '/usr/local/bin/node': intel } }))).toBe('/usr/local/bin/node');
    const keg = '/opt/homebrew/Cellar/node@22/22.17.1/bin/node';
    const links = {
      '/opt/homebrew/bin/node': cellar,
      '/opt/homebrew/opt/node@22/bin/node': keg,
    };
    expect(hookNode(machine(keg, { files: [cellar], links }))).toBe('/opt/homebrew/opt/node@22/bin/node');
  });

  it("names nvm's Node by PATH at run time, or by a PATH entry outside its versions", () => {
    const nvm = '/home/jo/.nvm/versions/node/v22.17.1/bin/node';
    const PATH = '/home/jo/.nvm/versions/node/v22.17.1/bin:/usr/local/bin:/usr/bin';
    expect(hookNode(machine(nvm, { PATH, files: ['/usr/bin/node'] }))).toBe(PATH_NODE);
    expect(hookNode(machine(nvm, { PATH: `/home/jo/bin:${PATH}`, links: { '/home/jo/bin/node': nvm } }))).toBe(
      '/home/jo/bin/node',
    );
    expect(hookNode(machine(nvm, {}))).toBe(PATH_NODE);
  });

  it("names fnm's default alias, and no shell's own link", () => {
    const fnm = '/home/jo/.local/share/fnm/node-versions/v22.17.1/installation/bin/node';
    const alias = '/home/jo/.local/share/fnm/aliases/default/bin/node';
    expect(hookNode(machine(fnm, { links: { [alias]: fnm } }))).toBe(alias);
    const shell = 'C:\\Users\\jo\\AppData\\Local\\fnm_multishells\\4242_1700000000000\\node.exe';
    expect(
      hookNode(
        machine(shell, { win: true, PATH: 'C:\\Users\\jo\\AppData\\Local\\fnm_multishells\\4242_1700000000000' }),
      ),
    ).toBe(PATH_NODE);
  });

  it("names Volta's, asdf's and mise's shims", () => {
    const volta = '/home/jo/.volta/tools/image/node/22.17.1/bin/node';
    expect(hookNode(machine(volta, { links: { '/home/jo/.volta/bin/node': '/home/jo/.volta/bin/volta-shim' } }))).toBe(
      '/home/jo/.volta/bin/node',
    );
    const asdf = '/home/jo/.asdf/installs/nodejs/22.17.1/bin/node';
    expect(hookNode(machine(asdf, { files: ['/home/jo/.asdf/shims/node'] }))).toBe('/home/jo/.asdf/shims/node');
    const mise = '/home/jo/.local/share/mise/installs/node/22.17.1/bin/node';
    expect(hookNode(machine(mise, { files: ['/home/jo/.local/share/mise/shims/node'] }))).toBe(
      '/home/jo/.local/share/mise/shims/node',
    );
    // mise activated without shims: its versions only, on PATH.
    expect(hookNode(machine(mise, { PATH: '/home/jo/.local/share/mise/installs/node/22.17.1/bin:/usr/bin' }))).toBe(
      PATH_NODE,
    );
  });

  it("names nvm-windows' link, Scoop's current and Volta's shim on Windows", () => {
    const nvm = 'C:\\Users\\jo\\AppData\\Roaming\\nvm\\v22.17.1\\node.exe';
    const link = 'C:\\Program Files\\nodejs\\node.exe';
    const env = { NVM_SYMLINK: 'C:\\Program Files\\nodejs' };
    expect(hookNode(machine(nvm, { win: true, env, links: { [link]: nvm } }))).toBe(link);
    // No NVM_SYMLINK: Windows' PATH, with its `;` and its relative entry skipped, finds that link.
    const PATH = 'nodejs;C:\\Program Files\\nodejs';
    expect(hookNode(machine(nvm, { win: true, PATH, links: { [link]: nvm, 'nodejs\\node.exe': nvm } }))).toBe(link);
    const scoop = 'C:\\Users\\jo\\scoop\\apps\\nodejs-lts\\22.17.1\\node.exe';
    const current = 'C:\\Users\\jo\\scoop\\apps\\nodejs-lts\\current\\node.exe';
    expect(hookNode(machine(scoop, { win: true, files: [current] }))).toBe(current);
    expect(hookNode(machine(current, { win: true }))).toBe(current);
    const volta = 'C:\\Users\\jo\\AppData\\Local\\Volta\\tools\\image\\node\\22.17.1\\node.exe';
    const shim = 'C:\\Users\\jo\\AppData\\Local\\Volta\\bin\\node.exe';
    expect(hookNode(machine(volta, { win: true, files: [shim] }))).toBe(shim);
  });

  it('says where Windows hooks run node by name, which Windows looks for in the project folder first', () => {
    // Claude Code's exec form and Codex's cmd.exe both look in the working folder first.
    for (const runs of ['exec', 'cmd'] as const)
      expect(bareNodeNote(PATH_NODE, 'win32', runs)).toMatch(/project folder first: .*`taskhooks install` again/);
    expect(bareNodeNote('C:\\Program Files\\nodejs\\node.exe', 'win32', 'exec')).toBeUndefined();
    // PowerShell looks on the PATH alone; OpenCode's plugin names Node in full.
    for (const runs of ['powershell', 'plugin'] as const)
      expect(bareNodeNote(PATH_NODE, 'win32', runs)).toBeUndefined();
    // A shell runs these hooks elsewhere, and a shell looks on the PATH alone.
    expect(bareNodeNote(PATH_NODE, 'linux', 'exec')).toBeUndefined();
  });

  it('tells which manager holds a path', () => {
    expect(versionManagerOf('/home/jo/.nvm/versions/node/v24.1.0/bin/node', 'linux')).toBe('nvm');
    expect(versionManagerOf('/opt/homebrew/Cellar/node/24.3.0/bin/node', 'darwin')).toBe('Homebrew');
    expect(versionManagerOf('C:\\Users\\jo\\scoop\\apps\\nodejs\\22.1.0\\node.exe', 'win32')).toBe('Scoop');
    expect(versionManagerOf('/opt/homebrew/bin/node', 'darwin')).toBeUndefined();
    expect(versionManagerOf('/usr/bin/node', 'linux')).toBeUndefined();
  });
});
