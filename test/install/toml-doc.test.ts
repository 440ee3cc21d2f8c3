// taskhooks' server in a Codex config.toml: one table added, replaced or taken out, every other byte the user's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { hasTomlServer, readTomlDoc, withTomlServer } from '../../src/install/writing/toml-doc.js';
import { UserError } from '../../src/errors/user.js';
import { loadTokenFormats } from '../../src/log/redact.js';

// The CLI loads the rules that mask a secret in a message at its start.
beforeAll(() => loadTokenFormats());

const OURS = { command: '/usr/bin/node', args: ['/opt/taskhooks/dist/cli.js', 'mcp'], env_vars: ['TASKHOOKS_HOME'] };
const NEWER = { ...OURS, command: '/usr/local/bin/node' };
const FILE = '/home/me/.codex/config.toml';

const doc = (text: string | null) => ({ file: FILE, text, value: text === null ? {} : parse(text) });
const set = (text: string | null, entry = OURS) => withTomlServer(doc(text), entry) ?? '';
const unset = (text: string) => withTomlServer(doc(text)) ?? '';

const USER = `# my Codex
model = "gpt-5.5" # the fast one

[mcp_servers.docs]
command = "docs-mcp"
args = [
  "--root", # where the docs live
  "[not a header]",
]

# the sandbox
[sandbox_workspace_write]
network_access = true
`;

describe('withTomlServer', () => {
  it('adds the table at the end and keeps every byte before it', () => {
    const next = set(USER);
    expect(next.startsWith(USER)).toBe(true);
    expect(next.slice(USER.length)).toBe(
      '\n[mcp_servers.taskhooks]\ncommand = "/usr/bin/node"\nargs = [ "/opt/taskhooks/dist/cli.js", "mcp" ]\nenv_vars = [ "TASKHOOKS_HOME" ]\n',
    );
    expect(hasTomlServer(parse(next))).toBe(true);
  });

  it('writes a new file as the table alone, and takes it out to nothing', () => {
    const next = set(null);
    expect(next).toMatch(/^\[mcp_servers\.taskhooks\]\n/);
    expect(unset(next)).toBe('');
  });

  it('takes out what it added and gives the text back as it was', () => {
    expect(unset(set(USER))).toBe(USER);
    const noFinalNewline = 'model = "o3"';
    expect(unset(set(noFinalNewline))).toBe(`${noFinalNewline}\n`);
  });

  it('replaces only its own table’s keys in place; comments and tables around it stay', () => {
    const before = `${USER}\n[mcp_servers.taskhooks]\ncommand = "/usr/bin/node"\nargs = ["/opt/taskhooks/dist/cli.js", "mcp"]\n\n# after ours\n[mcp_servers.taskhooks.tools.manage_task]\napproval_mode = "approve"\n`;
    const next = set(before, NEWER);
    expect(next).toBe(
      before.replace(
        'command = "/usr/bin/node"\nargs = ["/opt/taskhooks/dist/cli.js", "mcp"]\n',
        'command = "/usr/local/bin/node"\nargs = [ "/opt/taskhooks/dist/cli.js", "mcp" ]\nenv_vars = [ "TASKHOOKS_HOME" ]\n',
      ),
    );
    // Uninstall takes its sub-tables too: alone they would name a server without a command.
    expect(unset(next)).toBe(`${USER}\n# after ours\n`);
  });

  it('changes nothing when its keys are current, whatever else the user added to its table', () => {
    const mine = `${set(USER).trimEnd()}\nstartup_timeout_sec = 30\n`;
    expect(withTomlServer(doc(mine), OURS)).toBe(mine);
  });

  it('refuses to set its server over one it did not write, naming its command; leaves it on removal', () => {
    const theirs = `${USER}\n[mcp_servers.taskhooks]\ncommand = "/outside/evil"\nargs = ["--token", "x"]\n`;
    // The command is named, a token given on it is not.
    expect(() => withTomlServer(doc(theirs), OURS)).toThrow(
      /^\[mcp_servers\.taskhooks\] runs \/outside\/evil --token \[redacted\], which taskhooks did not write; remove it or give it another name .* — nothing was changed$/,
    );
    expect(withTomlServer(doc(theirs))).toBe(theirs);
    expect(() => withTomlServer(doc('mcp_servers = "none"\n'), OURS)).toThrow(
      /^"mcp_servers" is a string where an object belongs/,
    );
    expect(hasTomlServer(parse(theirs))).toBe(false);
  });

  it('keeps CRLF line endings and a quoted header of its own table', () => {
    const crlf =
      'model = "o3"\r\n\r\n[mcp_servers."taskhooks"]\r\ncommand = "/usr/bin/node"\r\nargs = ["/x/dist/cli.js", "mcp"]\r\n';
    const next = set(crlf);
    expect(next).toBe(
      'model = "o3"\r\n\r\n[mcp_servers.taskhooks]\r\ncommand = "/usr/bin/node"\r\nargs = [ "/opt/taskhooks/dist/cli.js", "mcp" ]\r\nenv_vars = [ "TASKHOOKS_HOME" ]\r\n',
    );
    expect(unset(next)).toBe('model = "o3"\r\n');
  });

  it('is not fooled by brackets at a line start inside a multi-line string', () => {
    const tricky = `instructions = """\n[mcp_servers.taskhooks]\ncommand = "no"\n"""\n`;
    const next = set(tricky);
    expect(next.startsWith(tricky)).toBe(true);
    expect(unset(next)).toBe(tricky);
  });

  it('refuses, naming the file, to edit its server written as an inline table', () => {
    const inline = 'mcp_servers = { taskhooks = { command = "/usr/bin/node", args = ["/x/dist/cli.js", "mcp"] } }\n';
    expect(() => set(inline)).toThrow(UserError);
    expect(() => set(inline)).toThrow(
      `cannot edit [mcp_servers.taskhooks] in ${FILE}: it holds the server as an inline table`,
    );
  });
});

describe('readTomlDoc', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file that is not TOML in one line with its place', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'th-toml-'));
    const file = path.join(dir, 'config.toml');
    writeFileSync(file, 'model = "o3"\nbroken = [\n');
    expect(() => readTomlDoc(file)).toThrow(UserError);
    expect(() => readTomlDoc(file)).toThrow(
      new RegExp(
        `^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+ is not valid TOML \\(.+\\); fix it by hand and run again — nothing was changed$`,
      ),
    );
    expect(readTomlDoc(path.join(dir, 'absent.toml'))).toEqual({
      file: path.join(dir, 'absent.toml'),
      text: null,
      value: {},
    });
  });
});
