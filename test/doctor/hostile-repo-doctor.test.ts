// `taskhooks doctor` (the built CLI) in a repository whose branch ref is a link to /dev/zero or a FIFO: it names the
// file in one line and ends, rather than waiting on git reading a device without end.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { git } from '../helpers/git.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it.each([
  ['a link to /dev/zero', (f: string) => symlinkSync('/dev/zero', f), 'is a character device, not a file'],
  ['a FIFO', (f: string) => execFileSync('mkfifo', [f]), 'is a FIFO, not a file'],
])('a branch ref that is %s is named in one line, and doctor ends', async (_label, make, words) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'th-doctor-hostile-'));
  dirs.push(dir);
  const project = path.join(dir, 'webapp');
  mkdirSync(project);
  git(project, 'init', '-q', '-b', 'main');
  git(project, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'one');
  const ref = path.join(project, '.git', 'refs', 'heads', 'main');
  rmSync(ref);
  make(ref);
  const env = { ...process.env, TASKHOOKS_HOME: path.join(dir, 'home'), HOME: dir, NO_COLOR: '1' };
  const out = await run(process.execPath, [path.join(root, 'dist/cli.js'), 'doctor', '--json'], {
    cwd: project,
    env: { ...env, MCP_SERVER_URL: 'http://127.0.0.1:9/mcp' },
  }).then(
    (r) => r.stdout,
    (e: { stdout: string }) => e.stdout,
  );
  const report = JSON.parse(out) as { steps: Array<{ name: string; ok: boolean; detail: string }> };
  const step = report.steps.find((s) => s.name === 'git');
  expect(step).toMatchObject({ ok: false });
  expect(step?.detail).toBe(`${ref} ${words}: the repository is ignored`);
});
