// The removal of a test's folder waits for a hook still running there, which would otherwise make the folder again
// after it was removed (an async SessionEnd does, after Claude Code exits).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { removeTree } from './remove-tree.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

it('waits for a process whose state directory lies in the folder, so nothing of it is left', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-remove-tree-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const home = path.join(dir, 'taskhooks');
  mkdirSync(home);
  // A late writer: it makes its state directory again a moment later, as a hook's cache open does.
  const script = `setTimeout(() => require('node:fs').mkdirSync(process.env.TASKHOOKS_HOME, { recursive: true }), 500)`;
  const late = spawn(process.execPath, ['-e', script], { env: { ...process.env, TASKHOOKS_HOME: home } });
  const exited = new Promise((resolve) => late.on('exit', resolve));
  cleanups.push(() => late.kill('SIGKILL'));

  await removeTree(dir);
  await exited;

  expect(existsSync(dir)).toBe(false);
});
