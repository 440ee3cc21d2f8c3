// The repository is a Claude Code plugin: the real CLI must accept it with the plugin directory's stricter rules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLAUDE = path.join(REPO, 'node_modules', '.bin', 'claude');
const home = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-plugin-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

it('claude plugin validate --profile directory passes with no problems or warnings', () => {
  const r = spawnSync(CLAUDE, ['plugin', 'validate', REPO, '--profile', 'directory', '--strict'], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 90_000,
  });
  const output = `${r.stdout}\n${r.stderr}`;
  expect(r.status, output).toBe(0);
  expect(output).toContain('Validation passed');
  expect(output).not.toMatch(/Found \d+ (problem|warning|error)/);
  expect(output).toMatch(/hooks: SessionStart startup\|resume\|clear\|compact command/);
  expect(output).toMatch(/hooks: PreToolUse Edit\|Write\|MultiEdit\|NotebookEdit\|Bash command/);
  expect(output).toContain('hooks: PostToolUse ^mcp__.+__(manage_task|update_task_status|add_task|set_task_status)$ command');
});
