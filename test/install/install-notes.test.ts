// The notes install adds about what git would commit, run through the built CLI as a person would.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

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
  it('writes nothing a team commits: no .mcp.json, and no note about one', () => {
    rmSync(path.join(w.project, '.git'), { recursive: true });
    spawnSync('git', ['init', '-q'], { cwd: w.project });
    for (const args of [['install'], ['install', '--transport', 'command']]) {
      const r = w.run(args);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
      expect(r.stdout).not.toContain('.mcp.json');
    }
  });
});
