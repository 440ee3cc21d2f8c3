// doctor on the task tools install gave Codex in its config.toml: there and startable, gone, or left naming a
// taskhooks that moved.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tomlTaskTools } from '../../src/doctor/agent-steps.js';
import { makeWorld, REPO, type World } from '../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const doctorLine = (env: NodeJS.ProcessEnv, name: string): string | undefined =>
  w
    .run(['doctor'], { env })
    .stdout.split('\n')
    .find((l) => l.includes(name));

describe('tomlTaskTools', () => {
  it("says which taskhooks Codex's config.toml starts, and doctor shows it", () => {
    const env = { CODEX_HOME: path.join(w.root, 'codex') };
    // The task tools are the user's own config.toml's: the file doctor reads for the user scope.
    expect(w.run(['install', '--agent', 'codex', '--scope', 'user'], { env }).code).toBe(0);
    const file = path.join(env.CODEX_HOME, 'config.toml');
    expect(tomlTaskTools(file, 'codex')).toMatch(/^\[mcp_servers\.taskhooks\] in .*config\.toml /);
    expect(doctorLine(env, 'Codex task tools')).toMatch(/^✓ Codex task tools .*\[mcp_servers\.taskhooks\] in /);
  });

  it('fails with the fix where the table names a taskhooks that is gone', () => {
    const file = w.write(
      '.codex/config.toml',
      '# mine\n[mcp_servers.taskhooks]\ncommand = "/nowhere/node"\nargs = ["/gone/dist/cli.js", "mcp"]\n',
    );
    expect(() => tomlTaskTools(file, 'codex')).toThrow(
      `[mcp_servers.taskhooks] of ${file}: it runs /nowhere/node /gone/dist/cli.js mcp: another taskhooks or node than this one`,
    );
  });

  it('fails, naming what it runs, where the table is a server taskhooks did not write; says none where there is none', () => {
    const file = w.write('.codex/config.toml', '[mcp_servers.taskhooks]\ncommand = "/outside/evil"\n');
    expect(() => tomlTaskTools(file, 'codex')).toThrow(
      `[mcp_servers.taskhooks] of ${file}: it runs /outside/evil, which taskhooks did not write`,
    );
    // A look-alike naming this taskhooks' CLI through another program is not its own either.
    w.write(file, `[mcp_servers.taskhooks]\ncommand = "/outside/evil"\nargs = ["${REPO}/dist/cli.js", "mcp"]\n`);
    expect(() => tomlTaskTools(file, 'codex')).toThrow(/another taskhooks or node than this one/);
    expect(tomlTaskTools(path.join(w.root, 'none.toml'), 'codex')).toMatch(/no task tools/);
  });

  it('fails, naming the line, where the file is not TOML', () => {
    const file = w.write('.codex/config.toml', 'model = \n');
    expect(() => tomlTaskTools(file, 'codex')).toThrow(`${file}:1:`);
  });
});
