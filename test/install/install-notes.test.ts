// What install keeps out of git by default (the files naming this machine's paths or the hook token, in
// .git/info/exclude), the one line it says of them, and the note for a file git already tracks; run in process
// with the arguments a person would type.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeGitWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeGitWorld();
});
afterEach(() => w.cleanup());

/** The one line install prints of what it kept out of git: the exclude file, and the files it added there. */
const KEPT =
  /^✓ (.*): added (.*), which name this machine's paths or the hook token; git neither shows nor commits them in this clone$/m;
const status = (): string =>
  spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: w.project, encoding: 'utf8' }).stdout;
const excludeFile = (): string => path.join(w.project, '.git', 'info', 'exclude');

describe('what git would commit', () => {
  it('is kept out of git by default, in one line for every agent, said when install adds to the exclude file', async () => {
    const first = await w.runHere(['install', '--agent', 'claude']);
    expect(first.code, first.stderr).toBe(0);
    const gemini = await w.runHere(['install', '--agent', 'gemini']);
    expect(gemini.stdout.match(KEPT)?.slice(1)).toEqual([excludeFile(), '/.gemini/settings.json']);
    // The task tools live in ~/.claude.json: only the hook token's settings file is named.
    expect(first.stdout.match(KEPT)?.[2]).toBe('/.claude/settings.local.json');
    for (const out of [first.stdout, gemini.stdout]) {
      expect(out.match(/^✓ .*exclude/gm)).toHaveLength(1);
      expect(out).not.toMatch(/add-json|'\{|>> \.git|git would commit/);
    }
    expect(status()).toBe('');
    // Run again, install writes nothing and says nothing of it.
    expect((await w.runHere(['install', '--agent', 'gemini'])).stdout).not.toMatch(KEPT);
  });

  it('with --agent all, is part of the summary line: the exclude file and how many, the files listed once above', async () => {
    for (const d of ['.claude', '.codex', '.gemini']) mkdirSync(path.join(w.home, d));
    const all = await w.runHere(['install', '--agent', 'all']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.split('\n').filter((l) => /^✓ .*exclude/.test(l))).toEqual([
      expect.stringMatching(
        `; 3 of them, naming this machine's paths or the hook token, kept out of git in ${excludeFile()}\\)$`,
      ),
    ]);
    for (const f of ['.claude/settings.local.json', '.codex/hooks.json', '.gemini/settings.json'])
      expect(readFileSync(excludeFile(), 'utf8')).toContain(`/${f}`);
    expect(status()).toBe('');
  });

  it('writes the files into .git/info/exclude once; a dry run says what it would add; --git-exclude is the same', async () => {
    const dry = await w.runHere(['install', '--agent', 'codex', '--dry-run']);
    expect(dry.stdout).toContain(`would add to ${excludeFile()}: /.codex/hooks.json`);
    expect(existsSync(excludeFile()) && readFileSync(excludeFile(), 'utf8').includes('/.codex/')).toBe(false);
    const excluded = await w.runHere(['install', '--agent', 'codex', '--git-exclude']);
    expect(excluded.code, excluded.stderr).toBe(0);
    expect(excluded.stdout.match(KEPT)?.[2]).toBe('/.codex/hooks.json');
    const claude = await w.runHere(['install', '--json']);
    expect(JSON.parse(claude.stdout)).toMatchObject({ gitExclude: { added: ['/.claude/settings.local.json'] } });
    const file = readFileSync(excludeFile(), 'utf8');
    expect(file.match(/^# taskhooks install --git-exclude/gm)).toHaveLength(1);
    expect(status()).toBe('');
    // Nothing left to keep out: a further run adds nothing and says nothing of git.
    const again = await w.runHere(['install', '--agent', 'codex']);
    expect(again.stdout).not.toMatch(/exclude|git would commit/);
    expect(readFileSync(excludeFile(), 'utf8')).toBe(file);
  });

  it('says, in one note, that a file git tracks now names this machine: no exclude keeps it out', async () => {
    w.write('.gemini/settings.json', '{ "model": { "name": "gemini-2.5-pro" } }\n');
    spawnSync('git', ['add', '.gemini/settings.json'], { cwd: w.project });
    const r = await w.runHere(['install', '--agent', 'gemini']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^note: \.gemini\/settings\.json is tracked by git and now names this machine's node/m);
    expect(r.stdout).not.toMatch(KEPT);
  });

  it('says nothing of a file git ignores, or where install leaves .mcp.json alone', async () => {
    w.write('.gitignore', '.mcp.json\n.claude/settings.local.json\n');
    const ignored = await w.runHere(['install']);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
    expect(ignored.stdout).not.toMatch(KEPT);
    const remote = await w.runHere(['install', '--dir', w.project, '--server', 'http://127.0.0.1:9/mcp', '--dry-run']);
    expect(remote.stdout).not.toMatch(/would add to/);
  });

  it('writes nothing a team commits: no .mcp.json, and no note about one', async () => {
    rmSync(path.join(w.project, '.git'), { recursive: true });
    spawnSync('git', ['init', '-q'], { cwd: w.project });
    for (const args of [['install'], ['install', '--transport', 'command']]) {
      const r = await w.runHere(args);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
      expect(r.stdout).not.toContain('.mcp.json');
    }
  });
});

describe('the plugin beside install', () => {
  it('is refused in one line while Claude Code has the taskhooks plugin enabled; nothing is written', async () => {
    const settings = w.write(
      path.join(w.home, '.claude', 'settings.json'),
      JSON.stringify({ enabledPlugins: { 'taskhooks@taskhooks': true } }),
    );
    const before = w.snapshot();
    const refused = await w.runHere(['install']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `taskhooks: the taskhooks plugin is enabled for this project (${settings}) and already serves its Claude Code sessions: a second route would answer every event twice; keep the plugin, or remove it first (\`claude plugin uninstall taskhooks@taskhooks\`: both routes read the same tasks, which stay) and run \`taskhooks install\` again — nothing was changed`,
    ]);
    expect(w.snapshot()).toEqual(before);
    // Another agent's install is not Claude Code's second route.
    expect((await w.runHere(['install', '--agent', 'codex'])).code).toBe(0);
  });
});
