// Which changes `taskhooks tasks …` lets through comes from each source's definition (its declared writes and
// claims), not from what an adapter happens to implement: a write a definition leaves out is refused in one line
// before anything is opened (test/sources/refusals.test.ts checks the line for every source and write).
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countingServer, hookEnv, tempHome } from '../helpers/hooks.js';
import { makeRepo } from '../helpers/git.js';
import { runCli } from '../helpers/cli.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cli(args: string[], config: unknown, extraEnv: Record<string, string> = {}) {
  const home = tempHome(config);
  cleanups.push(home.cleanup);
  const repo = makeRepo({ name: 'shop' });
  cleanups.push(repo.cleanup);
  const env = { ...hookEnv(home.home), HOME: home.home, NO_COLOR: '1', ...extraEnv };
  return runCli(args, { cwd: repo.dir, env });
}

describe('taskhooks tasks with a source that lacks the write', () => {
  it('says so in one line, exit 2, and never starts the source’s program', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'th-fakebacklog-'));
    cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
    const ran = path.join(bin, 'ran');
    writeFileSync(path.join(bin, 'backlog'), `#!/bin/sh\ntouch '${ran}'\necho '[]'\n`);
    chmodSync(path.join(bin, 'backlog'), 0o755);
    const out = await cli(
      ['tasks', 'start', 'task-1'],
      { source: { adapter: 'backlog' } },
      {
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      },
    );
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain('the backlog task source cannot start a task: it is read-only here');
    expect(existsSync(ran)).toBe(false);
  });

  it('refuses a write Linear does not declare (block) without a request, and lets one it declares through', async () => {
    const server = await countingServer();
    cleanups.push(server.close);
    const config = { source: { adapter: 'linear', linear: { url: server.url, apiKey: 'lin_api_test' } } };
    const blocked = await cli(['tasks', 'block', 'ENG-1'], config);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr.trim().split('\n')).toHaveLength(1);
    expect(blocked.stderr).toContain(
      'the linear task source cannot mark a task blocked: it can start, done, reopen, note, add',
    );
    expect(server.connections()).toBe(0);
    // A declared write goes to the server (which answers 503 here): routing let it through.
    const started = await cli(['tasks', 'start', 'ENG-1'], config);
    expect(started.code).not.toBe(0);
    expect(started.stderr).not.toContain('cannot start a task');
    expect(server.connections()).toBeGreaterThan(0);
  });
});
