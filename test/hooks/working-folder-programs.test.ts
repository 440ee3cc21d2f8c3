// A repository taskhooks works in never has its own programs run, though the PATH names the working folder (an empty
// entry, as `PATH="$EXTRA:$PATH"` leaves with EXTRA unset): not the git of the built hooks and of the monitor, nor the
// perl or node of the hook lines install writes, nor those of the plugin's MCP server launcher.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readStatus } from '../../src/git/state.js';
import { simpleGitRunner } from '../../src/git/simple.js';
import { shellQuote } from '../../src/install/paths.js';
import { agentSocketCommand } from '../../src/install/writing/agent-hooks.js';
import { SOCKET_POST, socketFirstCommand } from '../../src/install/writing/settings.js';
import { tempDir } from '../foundation/helpers.js';
import { makeRepo } from '../helpers/git.js';
import { ROOT, runHook, sessionStartInput, tempHome } from '../helpers/hooks.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Executables named `names` in `dir`, each writing its own path and arguments to `marker` and exiting 0. */
function markers(dir: string, marker: string, ...names: string[]): void {
  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const file = path.join(dir, name);
    writeFileSync(file, `#!/bin/sh\necho "$0 $*" >> '${marker}'\n`);
    chmodSync(file, 0o755);
  }
}

/** A repository holding its own `git`, `perl` and `node`, and the file they write to when run. */
function trapRepo(): { dir: string; marker: string; scratch: string } {
  const repo = makeRepo({ name: 'trap', branch: 'main' });
  cleanups.push(repo.cleanup);
  repo.commit('first');
  const scratch = tempDir('th-trap-');
  cleanups.push(scratch.remove);
  const marker = path.join(scratch.dir, 'ran-from-repository');
  markers(repo.dir, marker, 'git', 'perl', 'node');
  return { dir: repo.dir, marker, scratch: scratch.dir };
}

const ranFromRepository = (marker: string): string => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');
/** The programs that wrote to `marker`, in order. */
const programsRun = (marker: string): string[] =>
  readFileSync(marker, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[0] ?? '');

/** `line` run by sh in `cwd` with `env` and no input; resolves once it ended. */
function runLine(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve) => {
    const child = execFile('/bin/sh', ['-c', line], { cwd, env, timeout: 20_000 }, () => resolve());
    child.stdin?.end();
  });
}

describe.skipIf(process.platform === 'win32')('a PATH that names the working folder', () => {
  it("never runs the repository's git from the built SessionStart hook", async () => {
    const repo = trapRepo();
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const start = await runHook('session-start', sessionStartInput(repo.dir, 's9'), {
      home,
      env: { PATH: `:${process.env.PATH ?? ''}` },
      cwd: repo.dir,
    });
    expect(start.code).toBe(0);
    expect(ranFromRepository(repo.marker)).toBe('');
  });

  it("never runs the repository's git from the monitor's runner, nor hands git that PATH", async () => {
    const repo = trapRepo();
    vi.stubEnv('PATH', `:${process.env.PATH ?? ''}:.`);
    const status = await readStatus(repo.dir, simpleGitRunner);
    expect(status.ok).toBe(true);
    expect(ranFromRepository(repo.marker)).toBe('');
  });

  it("never runs the repository's perl nor a bare node from the hook lines install writes", async () => {
    const repo = trapRepo();
    const bin = path.join(repo.scratch, 'bin');
    const installed = path.join(repo.scratch, 'installed');
    const words = {
      script: shellQuote(path.join(ROOT, 'dist/hooks/session-start.js')),
      post: shellQuote(path.join(ROOT, SOCKET_POST)),
      socket: shellQuote(path.join(repo.scratch, 'monitor.sock')),
    };
    const claude = socketFirstCommand({ ...words, node: shellQuote('node'), name: 'session-start' });
    const codex = agentSocketCommand({
      ...words,
      node: shellQuote('node'),
      name: 'session-start',
      agent: 'codex',
      wait: 0.3,
      gitOnly: false,
    });
    // The perl found on the PATH's absolute folder answers; with none there, the node found there does.
    markers(bin, installed, 'perl');
    for (const line of [claude, codex]) await runLine(line, repo.dir, { PATH: `:${bin}::.` });
    rmSync(bin, { recursive: true, force: true });
    markers(bin, installed, 'node');
    for (const line of [claude, codex]) await runLine(line, repo.dir, { PATH: `.:${bin}:` });
    expect(ranFromRepository(repo.marker)).toBe('');
    expect(programsRun(installed)).toEqual([
      path.join(bin, 'perl'),
      path.join(bin, 'perl'),
      path.join(bin, 'node'),
      path.join(bin, 'node'),
    ]);
  });

  it("never runs the repository's perl nor node from the plugin's MCP server launcher", async () => {
    const repo = trapRepo();
    const bin = path.join(repo.scratch, 'bin');
    const installed = path.join(repo.scratch, 'installed');
    markers(bin, installed, 'perl');
    await runLine(shellQuote(path.join(ROOT, 'hooks', 'mcp-bridge')), repo.dir, { PATH: `:${bin}` });
    rmSync(bin, { recursive: true, force: true });
    markers(bin, installed, 'node');
    await runLine(shellQuote(path.join(ROOT, 'hooks', 'mcp-bridge')), repo.dir, { PATH: `${bin}:.` });
    expect(ranFromRepository(repo.marker)).toBe('');
    expect(programsRun(installed)).toEqual([path.join(bin, 'perl'), path.join(bin, 'node')]);
  });
});
