// Each agent's default install into a git repository leaves nothing git would show or commit that names this machine
// (its node, taskhooks' checkout, the state directory) or carries a token: the task tools go to the user's own files,
// and the project files naming this machine's paths are kept out through .git/info/exclude.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeGitWorld, REPO, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeGitWorld();
});
afterEach(() => w.cleanup());

const git = (...args: string[]): string[] =>
  spawnSync('git', args, { cwd: w.project, encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l !== '');

/** What in the world must never reach a commit: this machine's paths and the tokens of its state directory. */
function machineWords(): string[] {
  const tokens = ['store-token', 'hook-token']
    .map((f) => path.join(w.thHome, f))
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8').trim());
  return [process.execPath, REPO, w.thHome, ...tokens];
}

describe('a default install commits nothing of this machine', () => {
  it.each(['codex', 'gemini', 'qwen', 'copilot', 'opencode'])('%s', (agent) => {
    const r = w.run(['install', '--agent', agent]);
    expect(r.code, r.stderr).toBe(0);
    const shown = [
      ...git('ls-files', '--others', '--exclude-standard'),
      ...git('status', '--porcelain', '--untracked-files=all').map((l) => l.slice(3)),
    ];
    for (const rel of new Set(shown)) {
      const text = readFileSync(path.join(w.project, rel), 'utf8');
      for (const word of machineWords()) expect(text, `${rel} names ${word}`).not.toContain(word);
    }
    // Install wrote into the project and kept it out: the one line says which files, and why.
    expect(r.stdout).toMatch(/^✓ .*exclude: added .*, which name this machine's paths or the hook token/m);
  });
});
