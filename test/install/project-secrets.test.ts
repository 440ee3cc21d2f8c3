// What install writes into a project is checked with git itself and refused where git would take it; the hook token
// lives in the person's own settings, refused where a dotfiles repository would commit that; ~/.claude.json stays a
// link; a damaged ~/.claude.json or a commented Gemini CLI file stops nothing it should not. Run in process.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeGitWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeGitWorld();
});
afterEach(() => w.cleanup());

const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], { cwd, encoding: 'utf8' });

describe('a project file git would commit', () => {
  it.each([
    ['git tracks it', () => git(w.project, 'add', '-f', w.write('.claude/settings.local.json', '{}\n'))],
    [
      'a committed .gitignore un-ignores it',
      () => git(w.project, 'add', w.write('.gitignore', '!.claude/settings.local.json\n')),
    ],
    [
      'it is a link to a file git tracks',
      () => {
        git(w.project, 'add', w.write('team/settings.json', '{}\n'));
        mkdirSync(path.join(w.project, '.claude'));
        symlinkSync('../team/settings.json', path.join(w.project, '.claude', 'settings.local.json'));
      },
    ],
  ])('is refused loudly, nothing written, when %s', async (_why, arrange) => {
    arrange();
    const before = w.snapshot();
    const r = await w.runHere(['install']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('.claude/settings.local.json would be committed by git');
    expect(r.stderr).toContain('nothing was changed');
    expect(w.snapshot()).toEqual(before);
  });
});

describe("the person's own settings, which hold the hook token", () => {
  it('are refused where a dotfiles repository would commit them', async () => {
    git(w.home, 'init', '-q');
    const before = w.snapshot();
    const r = await w.runHere(['install']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${path.join(w.home, '.claude', 'settings.json')} is in a git repository`);
    expect(w.snapshot()).toEqual(before);
  });
});

describe('~/.claude.json', () => {
  it('kept by a dotfile manager as a link stays a link through install and uninstall', async () => {
    const target = w.write(path.join(w.home, 'dotfiles', 'claude.json'), '{"theme": "dark"}\n');
    const link = path.join(w.home, '.claude.json');
    symlinkSync(target, link);
    expect((await w.runHere(['install'])).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).projects[w.project].mcpServers.taskhooks.type).toBe('http');
    expect((await w.runHere(['uninstall'])).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ theme: 'dark' });
  });

  it('not valid JSON refuses install before anything is written', async () => {
    writeFileSync(path.join(w.home, '.claude.json'), '{"projects": ');
    const before = w.snapshot();
    const r = await w.runHere(['install']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('.claude.json is not valid JSON');
    expect(w.snapshot()).toEqual(before);
  });
});

describe("another agent's file with comments", () => {
  it('fails no uninstall that has nothing to take out of it', async () => {
    w.write(
      path.join(w.home, '.gemini', 'settings.json'),
      '{\n  // mine\n  "model": { "name": "gemini-2.5-pro" }\n}\n',
    );
    expect((await w.runHere(['install'])).code).toBe(0);
    const r = await w.runHere(['uninstall']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.read(path.join(w.home, '.gemini', 'settings.json'))).toContain('// mine');
  });
});
