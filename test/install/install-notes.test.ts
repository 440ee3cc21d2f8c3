// The notes install adds about what git would commit, run through the built CLI as a person would.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homeStorePort } from '../../src/home/endpoint.js';
import { makeWorld, type World } from './cli.js';

interface McpEntry {
  command?: string;
  args?: string[];
}

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

describe('git and the token', () => {
  it('warns when settings.local.json, which holds the token, is not ignored by git', () => {
    const gitInit = (cwd: string) => spawnSync('git', ['init', '-q'], { cwd });
    rmSync(path.join(w.project, '.git'), { recursive: true });
    gitInit(w.project);
    const warned = w.run(['install', '--transport', 'http']);
    expect(warned.stdout).toContain('holds the hook token but git does not ignore it');
    w.write('.gitignore', '.claude/settings.local.json\n');
    const quiet = w.run(['install', '--transport', 'http']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('git does not ignore it');
  });
});

describe('.mcp.json and git', () => {
  it("says once that .mcp.json now holds this machine's paths, and how to keep them out of git", () => {
    const first = w.run(['install']);
    expect(first.code, first.stderr).toBe(0);
    // The monitor's store server by its port, which is this state directory's own.
    const served = `http://127.0.0.1:${homeStorePort(w.thHome)}/mcp`;
    expect(first.stdout).toContain(
      `note: ${path.join(w.project, '.mcp.json')} now holds paths of this machine (${served}): to keep them out of git, add .mcp.json to .git/info/exclude, ` +
        `or remove its "taskhooks" entry and add the server for yourself only: claude mcp add-json --scope local taskhooks '`,
    );
    expect(first.stdout.match(/now holds paths of this machine/g)).toHaveLength(1);
    expect(w.run(['install']).stdout).not.toContain('now holds paths of this machine');
  });

  it.each([
    ['the monitor over http (the default)', [], 'add-json'],
    ['taskhooks mcp over stdio', ['--transport', 'mcp'], 'add'],
  ])(
    'the command it offers, run by a shell, registers for the person alone the entry .mcp.json holds: %s',
    (_, args, subcommand) => {
      const out = w.run(['install', ...args]);
      expect(out.code, out.stderr).toBe(0);
      const command = /add the server for yourself only: (claude mcp .*)$/m.exec(out.stdout)?.[1];
      expect(command, out.stdout).toBeDefined();
      // A stand-in for claude on the PATH that prints the arguments the shell gave it.
      const bin = path.join(w.root, 'bin');
      w.write(path.join(bin, 'claude'), `#!${process.execPath}\nconsole.log(JSON.stringify(process.argv.slice(2)));\n`);
      chmodSync(path.join(bin, 'claude'), 0o755);
      const ran = spawnSync('sh', ['-c', command as string], {
        env: { ...w.env, PATH: `${bin}:${w.env.PATH ?? ''}` },
        encoding: 'utf8',
      });
      const argv = JSON.parse(ran.stdout) as string[];
      const { taskhooks: entry } = (JSON.parse(w.read('.mcp.json')) as { mcpServers: Record<string, McpEntry> })
        .mcpServers;
      if (!entry) throw new Error(`no taskhooks entry in .mcp.json after: ${out.stdout}`);
      expect(argv[1]).toBe(subcommand);
      if (subcommand === 'add-json') {
        expect(argv.slice(0, 5)).toEqual(['mcp', 'add-json', '--scope', 'local', 'taskhooks']);
        expect(JSON.parse(argv[5] as string)).toEqual(entry);
      } else {
        expect(argv.slice(0, 6)).toEqual(['mcp', 'add', '--scope', 'local', 'taskhooks', '--']);
        expect(argv.slice(6)).toEqual([entry.command, ...(entry.args ?? [])]);
      }
    },
  );

  it('says nothing of it where git ignores .mcp.json, or where install leaves .mcp.json alone', () => {
    rmSync(path.join(w.project, '.git'), { recursive: true });
    spawnSync('git', ['init', '-q'], { cwd: w.project });
    w.write('.gitignore', '.mcp.json\n');
    const ignored = w.run(['install']);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(true);
    expect(ignored.stdout).not.toContain('now holds paths of this machine');
    const remote = w.run(['install', '--dir', w.project, '--server', 'http://127.0.0.1:9/mcp', '--dry-run']);
    expect(remote.stdout).not.toContain('now holds paths of this machine');
  });
});
