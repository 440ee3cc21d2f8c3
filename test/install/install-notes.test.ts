// The one note install prints about what git would commit, and --git-exclude, run through the built CLI as a person
// would.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  // A real repository: what git ignores is git's to say.
  rmSync(path.join(w.project, '.git'), { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: w.project });
});
afterEach(() => w.cleanup());

const NOTE =
  /^note: git would commit what install wrote for this machine \(its paths, the hook token\) in (.*): `taskhooks install --git-exclude` adds them to \.git\/info\/exclude, for this clone only(.*)$/m;
const status = (): string =>
  spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: w.project, encoding: 'utf8' }).stdout;

describe('what git would commit', () => {
  it('is one note for every agent, said when install writes it, in words (no shell-quoted JSON)', () => {
    const first = w.run(['install', '--agent', 'claude']);
    expect(first.code, first.stderr).toBe(0);
    const gemini = w.run(['install', '--agent', 'gemini']);
    expect(gemini.stdout.match(NOTE)?.[1]).toBe('.gemini/settings.json');
    // The task tools live in ~/.claude.json now: only the hook token's settings file is named.
    expect(first.stdout.match(NOTE)?.[1]).toBe('.claude/settings.local.json');
    expect(first.stdout.match(NOTE)?.[2]).toBe('');
    for (const out of [first.stdout, gemini.stdout]) {
      expect(out.match(/^note: .*git/gm)).toHaveLength(1);
      expect(out).not.toMatch(/add-json|'\{|>> \.git/);
    }
    // Run again, install writes nothing and says nothing of it.
    expect(w.run(['install', '--agent', 'gemini']).stdout).not.toMatch(NOTE);
  });

  it("with --agent all, is still one note, naming every agent's files", () => {
    for (const d of ['.claude', '.codex', '.gemini']) mkdirSync(path.join(w.home, d));
    const all = w.run(['install', '--agent', 'all']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.match(/^note: .*git/gm)).toHaveLength(1);
    const named = all.stdout.match(NOTE)?.[1]?.split(', ');
    expect(named).toEqual(
      expect.arrayContaining([
        '.claude/settings.local.json',
        '.codex/hooks.json',
        '.codex/config.toml',
        '.gemini/settings.json',
      ]),
    );
  });

  it('--git-exclude writes the files into .git/info/exclude once, and git then neither shows nor commits them', () => {
    expect(w.run(['install']).code).toBe(0);
    expect(w.run(['install', '--agent', 'codex']).code).toBe(0);
    expect(status()).toContain('.codex/');
    const dry = w.run(['install', '--agent', 'codex', '--git-exclude', '--dry-run']);
    expect(dry.stdout).toContain(
      `would add to ${path.join(w.project, '.git', 'info', 'exclude')}: /.codex/hooks.json, /.codex/config.toml`,
    );
    const excluded = w.run(['install', '--agent', 'codex', '--git-exclude']);
    expect(excluded.code, excluded.stderr).toBe(0);
    expect(excluded.stdout).toContain(
      `✓ ${path.join(w.project, '.git', 'info', 'exclude')}: added /.codex/hooks.json, /.codex/config.toml; git neither shows nor commits them in this clone`,
    );
    const claude = w.run(['install', '--git-exclude', '--json']);
    expect(JSON.parse(claude.stdout)).toMatchObject({
      gitExclude: { added: ['/.claude/settings.local.json'] },
    });
    const file = readFileSync(path.join(w.project, '.git', 'info', 'exclude'), 'utf8');
    expect(file.match(/^# taskhooks install --git-exclude/gm)).toHaveLength(1);
    expect(status()).toBe('');
    // Nothing left to keep out: a further run adds nothing and says nothing of git.
    const again = w.run(['install', '--agent', 'codex', '--git-exclude']);
    expect(again.stdout).not.toMatch(/exclude|git would commit/);
    expect(readFileSync(path.join(w.project, '.git', 'info', 'exclude'), 'utf8')).toBe(file);
  });

  it('says nothing of a file git ignores, or where install leaves .mcp.json alone', () => {
    w.write('.gitignore', '.mcp.json\n.claude/settings.local.json\n');
    const ignored = w.run(['install']);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
    expect(ignored.stdout).not.toMatch(NOTE);
    const remote = w.run(['install', '--dir', w.project, '--server', 'http://127.0.0.1:9/mcp', '--dry-run']);
    expect(remote.stdout).not.toMatch(NOTE);
  });

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
