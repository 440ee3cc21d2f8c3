// A repository's symlinks cannot make `taskhooks install` or `uninstall` write outside it: with `.claude` linked to a
// folder elsewhere or `.mcp.json` to a file elsewhere, both refuse in one line and the outside files stay
// byte-identical; a link that stays inside the project is written through, and `--dry-run` names its real target.
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../install/cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

/** Every file under `dir` with its bytes. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    try {
      out[name] = readFileSync(path.join(dir, name), 'utf8');
    } catch {
      out[name] = '(folder)';
    }
  }
  return out;
}

const SETTINGS = '{\n  "model": "opus"\n}\n';
const MCP = '{ "mcpServers": { "mine": { "url": "https://example.invalid/mcp" } } }\n';

describe('install and uninstall through a repository symlink', () => {
  it.each([
    ['.claude linked to an outside folder', (outside: string) => symlinkSync(outside, path.join(w.project, '.claude'))],
    [
      '.mcp.json linked to an outside file',
      (outside: string) => symlinkSync(path.join(outside, 'mcp.json'), path.join(w.project, '.mcp.json')),
    ],
    [
      '.claude linked to an outside folder that does not exist yet',
      (outside: string) => symlinkSync(path.join(outside, 'later'), path.join(w.project, '.claude')),
    ],
  ])('refuses with %s and leaves the outside files byte-identical', async (_label, link) => {
    const outside = path.join(w.root, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'settings.local.json'), SETTINGS);
    writeFileSync(path.join(outside, 'settings.json'), SETTINGS);
    writeFileSync(path.join(outside, 'mcp.json'), MCP);
    link(outside);
    const before = contents(outside);
    for (const args of [['install'], ['install', '--dry-run'], ['install', '--scope', 'project'], ['uninstall']]) {
      const r = await w.runHere(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 1]);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^taskhooks: .* leads to .*outside .*my project: taskhooks writes only inside it; /);
      expect(contents(outside)).toEqual(before);
    }
  });

  it('writes through a link that stays inside the project, and the dry run names the real target', async () => {
    mkdirSync(path.join(w.project, 'shared'));
    writeFileSync(path.join(w.project, 'shared', 'mcp.json'), MCP);
    symlinkSync(path.join('shared', 'mcp.json'), path.join(w.project, '.mcp.json'));
    // The mcp transport's server is the one install still writes into .mcp.json.
    const dry = await w.runHere(['install', '--transport', 'mcp', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      `update ${path.join(w.project, '.mcp.json')} → ${path.join(w.project, 'shared', 'mcp.json')}`,
    );
    const r = await w.runHere(['install', '--transport', 'mcp']);
    expect(r.code, r.stderr).toBe(0);
    const written = JSON.parse(readFileSync(path.join(w.project, 'shared', 'mcp.json'), 'utf8'));
    expect(Object.keys(written.mcpServers)).toEqual(['mine', 'taskhooks']);
    // The backup sits beside the link, inside the project.
    expect(readdirSync(w.project).filter((n) => n.startsWith('.mcp.json.taskhooks-backup-'))).toHaveLength(1);
  });
});
