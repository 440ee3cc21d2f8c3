// A failing command under --json prints `{"error":{"kind","message","fix"}}` on stdout, and its exit code tells a usage
// error from a task that is not there from a source that is down: what a script meets (once as the built
// CLI, for the exit code a process ends with).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, EXIT_TABLE_END, EXIT_TABLE_START, exitCodeTable } from '../../src/cli/failure.js';
import { root } from '../foundation/helpers.js';
import { describeRun, runBuiltCli, runCli, type CliRun } from '../helpers/cli.js';
import { refusedUrl } from '../helpers/fault-server.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, tempHome } from '../helpers/hooks.js';
import { startReferenceServer } from '../helpers/reference-server.js';

let repo: TempRepo;
let home: { home: string; cleanup(): void };
beforeAll(() => {
  repo = makeRepo({ name: 'shop', branch: 'main', commits: ['initial'] });
  home = tempHome();
});
afterAll(() => {
  repo.cleanup();
  home.cleanup();
});

const options = (env: NodeJS.ProcessEnv = {}) => ({
  cwd: repo.dir,
  env: { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1', ...env },
});
const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> => runCli(args, options(env));

/** The error a script reads: stdout is one JSON object holding it, and nothing else. */
function errorOf(r: CliRun): { kind: string; message: string; fix: string } {
  const parsed = JSON.parse(r.stdout) as { error: { kind: string; message: string; fix: string } };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error.message.length, describeRun(r)).toBeGreaterThan(5);
  expect(parsed.error.fix.length, describeRun(r)).toBeGreaterThan(5);
  return parsed.error;
}

describe('--json failures', () => {
  it('a task that is not there: not_found, exit 3, the way to list the ids', async () => {
    const r = await cli(['tasks', 'show', 'TASK-999', '--json']);
    expect(r.code, describeRun(r)).toBe(EXIT_CODES.not_found.code);
    const error = errorOf(r);
    expect(error).toMatchObject({ kind: 'not_found', message: expect.stringContaining('TASK-999') });
    expect(error.fix).toContain('taskhooks tasks list --all');
    expect(r.stderr).toContain('Task not found: TASK-999');
  });

  it('a write to a task that is not there answers the same', async () => {
    const r = await cli(['tasks', 'done', 'TASK-999', '--json']);
    expect(r.code, describeRun(r)).toBe(3);
    expect(errorOf(r).kind).toBe('not_found');
  });

  it('an unknown flag or a missing argument: usage, exit 2, the help named', async () => {
    for (const args of [
      ['tasks', 'show', 'TASK-1', '--jsn', '--json'],
      ['tasks', 'show', '--json'],
      ['tasks', 'add', 'x', '--priority', 'soon', '--json'],
    ]) {
      const r = await cli(args);
      expect(r.code, describeRun(r)).toBe(2);
      expect(errorOf(r)).toMatchObject({ kind: 'usage', fix: `see taskhooks tasks ${args[1]} --help` });
    }
  });

  it('a source that is down: unavailable, exit 4, where and what to check', async () => {
    const url = await refusedUrl();
    const r = await cli(['tasks', 'list', '--json'], { MCP_SERVER_URL: url, MCP_API_TOKEN: 'x'.repeat(24) });
    expect(r.code, describeRun(r)).toBe(EXIT_CODES.unavailable.code);
    const error = errorOf(r);
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain(url);
  });

  it('credentials the source refuses: auth, exit 5', async () => {
    const ref = await startReferenceServer();
    try {
      const r = await cli(['tasks', 'list', '--json'], { MCP_SERVER_URL: ref.url, MCP_API_TOKEN: 'w'.repeat(32) });
      expect(r.code, describeRun(r)).toBe(EXIT_CODES.auth.code);
      expect(errorOf(r).kind).toBe('auth');
    } finally {
      await ref.close();
    }
  });

  it('without --json, stdout stays empty and the exit codes are the same, as the shell sees them', async () => {
    const r = await runBuiltCli(['tasks', 'show', 'TASK-999'], options());
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^taskhooks: Task not found: TASK-999/);
  });
});

it("docs/cli.md's exit code table is the code's (else: npm run docs:commands)", () => {
  const page = readFileSync(path.join(root, 'docs', 'cli.md'), 'utf8');
  const start = page.indexOf(EXIT_TABLE_START);
  expect(start).toBeGreaterThan(-1);
  expect(page.slice(start + EXIT_TABLE_START.length + 1, page.indexOf(EXIT_TABLE_END))).toBe(`${exitCodeTable()}\n`);
});
