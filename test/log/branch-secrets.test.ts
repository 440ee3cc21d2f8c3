// A token in a branch name (pasted into `git switch -c`, say) is masked everywhere taskhooks prints or logs the branch:
// the session's context, `taskhooks context`, the --json of `tasks list` and `sessions`, hooks.log, the note of
// `tasks start` naming another session's branch, and `taskhooks start`'s line naming the registered project. So is one
// in a commit subject, written with `%5F` for its underscore, wherever the recent commits are shown.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { git, makeRepo } from '../helpers/git.js';
import { hookEnv, ROOT, runHookHere, sessionStartInput, tempHome } from '../helpers/hooks.js';
import { exited, waitFor } from '../monitor/helpers.js';
import { runCliOk } from '../helpers/cli.js';

const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

// A GitHub token's published format: ghp_ and 36 letters and digits (no real token).
const TOKEN = `ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'.slice(0, 36)}`;

it('is masked in the context, `taskhooks context`, --json output and hooks.log', async () => {
  const repo = makeRepo({ name: 'shop', branch: `fix/${TOKEN}`, commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const home = tempHome({});
  cleanups.push(home.cleanup);
  const env = { ...hookEnv(home.home), NO_COLOR: '1' };
  const cli = (...args: string[]) => runCliOk(args, { cwd: repo.dir, env });

  await cli('tasks', 'add', 'Fix the checkout total');
  const start = await runHookHere('session-start', sessionStartInput(repo.dir, 's-1'), { home: home.home });
  const context = String(start.output?.hookSpecificOutput.additionalContext);
  expect(context).toContain('fix/');
  // A task server that does not answer (nothing listens on port 9): the hook logs the failed fetch with its scope.
  await runHookHere('session-start', sessionStartInput(repo.dir, 's-2'), {
    home: home.home,
    env: { MCP_SERVER_URL: 'http://127.0.0.1:9/mcp' },
  });
  const printed = [
    context,
    (await cli('context', '--offline')).stdout,
    (await cli('context', '--offline', '--json')).stdout,
    (await cli('tasks', 'list', '--json')).stdout,
    (await cli('sessions', '--json')).stdout,
    readFileSync(path.join(home.home, 'logs', 'hooks.log'), 'utf8'),
  ];
  for (const text of printed) expect(text).not.toContain(TOKEN);
  expect(printed[1]).toContain('fix/');
  expect(printed[5]).toContain('"branch":"fix/[redacted]"');
});

it("is masked in `tasks start`'s note naming the other session that holds the task", async () => {
  const repo = makeRepo({ name: 'shop', branch: `fix/${TOKEN}`, commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const home = tempHome({});
  cleanups.push(home.cleanup);
  const linked = path.join(path.dirname(repo.dir), 'shop-2');
  git(repo.dir, 'worktree', 'add', '-q', '-b', 'other', linked);
  const env = { ...hookEnv(home.home), NO_COLOR: '1' };
  const cli = async (cwd: string, ...args: string[]): Promise<string> => {
    const { stdout, stderr } = await runCliOk(args, { cwd, env });
    return stdout + stderr;
  };
  const { id } = JSON.parse(await cli(repo.dir, 'tasks', 'add', 'Fix the checkout total', '--json')) as { id: string };
  await runHookHere('session-start', sessionStartInput(repo.dir, 's-1'), { home: home.home, cwd: repo.dir });
  expect(await cli(repo.dir, 'tasks', 'start', id)).toContain('Held by the session');
  await runHookHere('session-start', sessionStartInput(linked, 's-2'), { home: home.home, cwd: linked });
  const note = await cli(linked, 'tasks', 'start', id);
  expect(note).toContain(`${id} is in progress in another session too (worktree ${repo.dir}, branch fix/[redacted])`);
  expect(note).not.toContain(TOKEN);
});

it("is masked in `taskhooks start`'s line naming the project it registered", async () => {
  const repo = makeRepo({ name: 'shop', branch: `fix/${TOKEN}`, commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const home = tempHome({});
  cleanups.push(home.cleanup);
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'start'], {
    env: { ...hookEnv(home.home), NO_COLOR: '1' },
    cwd: repo.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  await waitFor('the context preview', () => out.includes('Ctrl-C stops it'));
  child.kill('SIGINT');
  expect(await exited(child)).toEqual({ code: 0, signal: null });
  expect(out).toContain(`Registered ${repo.dir} (project shop, branch fix/[redacted])`);
  expect(out).not.toContain(TOKEN);
}, 60_000);

it('in a commit subject, disguised, is masked in the context and `taskhooks context`', async () => {
  const subject = `Revert "add the bot key ${TOKEN.replace('_', '%5F')}"`;
  const repo = makeRepo({ name: 'shop', branch: 'main', commits: ['initial commit', subject] });
  cleanups.push(repo.cleanup);
  const home = tempHome({});
  cleanups.push(home.cleanup);
  const env = { ...hookEnv(home.home), NO_COLOR: '1' };
  const cli = (...args: string[]) => runCliOk(args, { cwd: repo.dir, env });
  const start = await runHookHere('session-start', sessionStartInput(repo.dir, 's-1'), { home: home.home });
  const printed = [
    String(start.output?.hookSpecificOutput.additionalContext),
    (await cli('context', '--offline')).stdout,
    (await cli('context', '--offline', '--json')).stdout,
  ];
  for (const text of printed) {
    expect(text).toContain('Revert ”add the bot key [redacted]”');
    expect(text).not.toContain(TOKEN.slice(4));
  }
});
