// Install's lines in .git/info/exclude: written only inside the repository's git directory (a link leading elsewhere
// is refused in one line, and nothing is appended through it), into a worktree's main repository, and taken out by
// uninstall exactly, the person's own lines kept.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeGitWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeGitWorld();
});
afterEach(() => w.cleanup());

const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });
const excludeFile = (): string => path.join(w.project, '.git', 'info', 'exclude');
const GITCONFIG = '[user]\n\tname = Me\n';

describe('the exclude file install writes', () => {
  it.each([
    [
      'exclude linked to a file outside the git directory',
      (target: string) => {
        rmSync(excludeFile(), { force: true });
        symlinkSync(target, excludeFile());
      },
    ],
    [
      'info/ linked to a folder outside the git directory',
      (target: string) => {
        rmSync(path.join(w.project, '.git', 'info'), { recursive: true, force: true });
        mkdirSync(path.join(w.root, 'elsewhere'));
        symlinkSync(path.join(w.root, 'elsewhere'), path.join(w.project, '.git', 'info'));
        symlinkSync(target, path.join(w.root, 'elsewhere', 'exclude'));
      },
    ],
  ])('is refused in one line with %s; nothing is written', async (_label, link) => {
    const outside = w.write(path.join(w.home, '.gitconfig'), GITCONFIG);
    link(outside);
    for (const args of [['install'], ['install', '--dry-run'], ['uninstall']]) {
      const r = await w.runHere(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 1]);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^taskhooks: .*exclude leads to .*\.gitconfig, outside .*\.git: taskhooks writes only inside it; /,
      );
      expect(readFileSync(outside, 'utf8')).toBe(GITCONFIG);
      expect(existsSync(path.join(w.project, '.claude', 'settings.local.json'))).toBe(false);
    }
  });

  it("goes to a worktree's main repository", async () => {
    writeFileSync(path.join(w.project, 'README'), 'x\n');
    git(w.project, 'add', 'README');
    git(w.project, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'x');
    const tree = path.join(w.root, 'tree');
    expect(git(w.project, 'worktree', 'add', '-q', tree).status).toBe(0);
    const r = await w.runHere(['install'], { cwd: tree });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(excludeFile(), 'utf8')).toContain('/.claude/settings.local.json');
    expect(git(tree, 'status', '--porcelain').stdout).toBe('');
  });
});

describe('uninstall', () => {
  it("takes out exactly the lines install added, and leaves the person's own", async () => {
    const mine = '# my own\n*.log\n/.claude/settings.local.json\n';
    w.write(excludeFile(), mine);
    expect((await w.runHere(['install', '--agent', 'codex'])).code).toBe(0);
    expect((await w.runHere(['install', '--agent', 'gemini'])).code).toBe(0);
    w.write(excludeFile(), `${readFileSync(excludeFile(), 'utf8')}build/\n`);
    const installed = readFileSync(excludeFile(), 'utf8');
    expect(installed).toContain('/.codex/hooks.json');
    expect(installed).toContain('/.gemini/settings.json');
    const r = await w.runHere(['uninstall']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(excludeFile(), 'utf8')).toBe(`${mine}build/\n`);
    expect(r.stdout).toContain(excludeFile());
  });
});
