// `taskhooks install --source github`: what it finds by itself is written without a question; what is missing is
// one line saying how to give it, and nothing is written.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git, makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';

const run = promisify(execFile);
const CLI = path.join(import.meta.dirname, '../../dist/cli.js');

let repo: TempRepo;
let home: { home: string; cleanup(): void };

beforeEach(() => {
  repo = makeRepo({ name: 'widgets' });
  home = tempHome();
});
afterEach(() => {
  repo.cleanup();
  home.cleanup();
});

async function install(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1', TASKHOOKS_NO_AUTOSTART: '1' };
  // No gh on this PATH: only node's own directory and the system's.
  const PATH = [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
  try {
    const r = await run(process.execPath, [CLI, 'install', '--source', 'github', '--dry-run', '--json'], {
      cwd: repo.dir,
      env: { ...base, PATH, ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('taskhooks install --source github', () => {
  it('writes the choice of GitHub and asks nothing when the origin and a token are found', async () => {
    git(repo.dir, 'remote', 'add', 'origin', 'git@github.com:acme/widgets.git');
    const r = await install({ GH_TOKEN: 'ghp_installtoken123' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(String.raw`\"adapter\": \"github\"`);
    expect(r.stdout).toContain('acme/widgets on github.com (origin), token from GH_TOKEN');
    expect(r.stdout + r.stderr).not.toContain('ghp_installtoken123');
  });

  it.each([
    [{}, 'no GitHub token for github.com: set GH_TOKEN'],
    [
      { GH_TOKEN: 'x', GITHUB_API_URL: 'https://ghe.example/api/v3' },
      'origin is on github.com, the GitHub API is https://ghe.example/api/v3',
    ],
  ])('names what is missing in one line and writes nothing', async (env, line) => {
    git(repo.dir, 'remote', 'add', 'origin', 'https://github.com/acme/widgets');
    const r = await install(env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(line);
    expect(existsSync(path.join(repo.dir, '.claude'))).toBe(false);
  });

  it('a checkout with no GitHub origin says how to add one', async () => {
    const r = await install({ GH_TOKEN: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('git remote add origin https://github.com/OWNER/REPO');
    expect(existsSync(path.join(repo.dir, '.claude'))).toBe(false);
    expect(readFileSync(path.join(repo.dir, '.git', 'config'), 'utf8')).not.toContain('remote');
  });
});
