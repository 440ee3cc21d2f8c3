import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { desiredHooks, withTaskhooksHooks } from '../../src/install/settings.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hook commands', () => {
  it('run from any cwd with spaces, quotes and $ in the paths', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'taskhooks quote $HOME "x" '));
    const node = path.join(dir, 'my node');
    symlinkSync(process.execPath, node);
    const root = path.join(dir, 'pkg `root`');
    mkdirSync(path.join(root, 'dist', 'hooks'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'hooks', 'session-start.js'), 'process.stdout.write("ran " + process.argv[1])');
    const hooks = desiredHooks({ node, root, transport: 'command' });
    const handler = hooks.SessionStart.hooks[0];
    if (handler?.type !== 'command') throw new Error('expected a command hook');
    const out = execFileSync('/bin/sh', ['-c', handler.command], { cwd: os.tmpdir(), env: { PATH: '/nonexistent' }, encoding: 'utf8' });
    expect(out).toBe(`ran ${path.join(root, 'dist', 'hooks', 'session-start.js')}`);
  });
});

describe('withTaskhooksHooks', () => {
  const desired = desiredHooks({ node: '/n', root: '/r', transport: 'command' });

  it("takes taskhooks out of a group it shares with the user's handler and keeps the user's", () => {
    const mine = { type: 'command', command: 'echo mine' };
    const settings = { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [mine, { type: 'command', command: '"/n" "/old/dist/hooks/pre-tool-use.js"' }] }] } };
    const installed = withTaskhooksHooks(settings, desired);
    expect(installed.hooks).toEqual({
      PreToolUse: [{ matcher: 'Bash', hooks: [mine] }, desired.PreToolUse],
      SessionStart: [desired.SessionStart],
    });
    expect(withTaskhooksHooks(installed)).toEqual({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [mine] }] } });
  });

  it('leaves events it does not understand alone', () => {
    const settings = { hooks: { Custom: 'not an array' }, other: 1 };
    expect(withTaskhooksHooks(withTaskhooksHooks(settings, desired))).toEqual(settings);
  });
});
