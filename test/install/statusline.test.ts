// `taskhooks install --statusline` and `uninstall`, run in process: ours is added only where the file has no
// status line, and the file's status-line state comes back byte for byte.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, REPO, type World } from './cli.js';
import {
  desiredStatusLine,
  hasTaskhooksStatusLine,
  withTaskhooksStatusLine,
} from '../../src/install/writing/status-line.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const OURS = {
  type: 'command',
  command: `"${process.execPath}" "${REPO}/dist/hooks/status-line.js"`,
  padding: 0,
  refreshInterval: 60,
};
// Four-space indent, no final newline: bytes JSON.stringify would not make again.
const THEIRS = '{\n    "model": "opus",\n    "statusLine": { "type": "command", "command": "~/.claude/my-line.sh" }\n}';
const PLAIN = '{\n    "model": "opus",\n    "permissions": { "allow": ["Bash(ls)"] }\n}';

const settingsOf = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('taskhooks install --statusline', () => {
  it('adds the fast entry where there is no status line; the command it writes runs and prints a row', async () => {
    const before = w.snapshot();
    const r = await w.runHere(['install', '--statusline']);
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(w.project, '.claude/settings.local.json');
    expect(settingsOf(file).statusLine).toEqual(OURS);
    expect(r.stdout).not.toContain('status line of its own');

    // The command as Claude Code runs it: through the shell, its status-line JSON on stdin.
    const input = JSON.stringify({
      session_id: 's',
      cwd: w.project,
      workspace: { current_dir: w.project, project_dir: w.project },
      model: { id: 'x' },
    });
    const shown = spawnSync('/bin/sh', ['-c', OURS.command], {
      input,
      env: { ...w.env, COLUMNS: '60' },
      cwd: w.project,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect([shown.status, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toMatch(/^(tasks: not fetched yet|no pending tasks · \d+ s ago)\n$/);

    expect((await w.runHere(['uninstall'])).code).toBe(0);
    expect(w.snapshot()).toEqual(before);
  });

  it('adds it to an existing settings file and uninstall gives the original bytes back', async () => {
    const file = w.write('.claude/settings.json', PLAIN);
    expect((await w.runHere(['install', '--scope', 'project', '--statusline'])).code).toBe(0);
    expect(settingsOf(file).statusLine).toEqual(OURS);
    expect((await w.runHere(['uninstall'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(PLAIN);
  });

  it("never replaces the user's own status line, says so in one line, and uninstall leaves it byte for byte", async () => {
    const file = w.write('.claude/settings.json', THEIRS);
    const r = await w.runHere(['install', '--scope', 'project', '--statusline']);
    expect(r.code, r.stderr).toBe(0);
    const notes = r.stdout.split('\n').filter((l) => l.includes('status line of its own'));
    expect(notes).toEqual([
      `note: ${file} already has a status line of its own: left it as it is (docs/statusline.md shows how to run both)`,
    ]);
    const installed = settingsOf(file);
    expect(installed.statusLine).toEqual({ type: 'command', command: '~/.claude/my-line.sh' });
    expect(installed.hooks).toBeDefined();
    expect((await w.runHere(['uninstall'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(THEIRS);
  });

  it('a later install without the flag keeps ours; only uninstall takes it out', async () => {
    const file = w.write('.claude/settings.json', PLAIN);
    expect((await w.runHere(['install', '--scope', 'project'])).code).toBe(0);
    expect(settingsOf(file).statusLine).toBeUndefined();
    expect((await w.runHere(['install', '--scope', 'project', '--statusline'])).code).toBe(0);
    const withLine = readFileSync(file, 'utf8');
    const again = await w.runHere(['install', '--scope', 'project']);
    expect(again.stdout).toContain('Already installed: nothing changed.');
    expect(readFileSync(file, 'utf8')).toBe(withLine);
    expect((await w.runHere(['uninstall', '--scope', 'project'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(PLAIN);
  });

  it('--dry-run shows the status line it would add and writes nothing', async () => {
    w.write('.claude/settings.local.json', PLAIN);
    const before = w.snapshot();
    const r = await w.runHere(['install', '--statusline', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"statusLine": {');
    expect(r.stdout).toContain('dist/hooks/status-line.js');
    expect(w.snapshot()).toEqual(before);
  });
});

describe('withTaskhooksStatusLine (unit)', () => {
  const desired = desiredStatusLine('/usr/bin/node', '/opt/taskhooks');

  it('keeps ours current where it is (a moved install), in the same place among the keys', () => {
    const moved = { a: 1, statusLine: desiredStatusLine('/old/node', '/old/taskhooks'), z: 2 };
    const { settings, keptTheirs } = withTaskhooksStatusLine(moved, desired);
    expect(settings).toEqual({ a: 1, statusLine: desired, z: 2 });
    expect(Object.keys(settings)).toEqual(['a', 'statusLine', 'z']);
    expect(keptTheirs).toBe(false);
  });

  it('adds only when asked, takes only ours out, and reports a foreign one kept', () => {
    expect(withTaskhooksStatusLine({ a: 1 }, desired).settings).toEqual({ a: 1 });
    expect(withTaskhooksStatusLine({ a: 1 }, desired, true).settings).toEqual({ a: 1, statusLine: desired });
    const theirs = { statusLine: { type: 'command', command: 'ccusage statusline' } };
    expect(withTaskhooksStatusLine(theirs, desired, true)).toEqual({ settings: theirs, keptTheirs: true });
    expect(withTaskhooksStatusLine(theirs).settings).toEqual(theirs);
    expect(withTaskhooksStatusLine({ a: 1, statusLine: desired }).settings).toEqual({ a: 1 });
    expect([hasTaskhooksStatusLine({ statusLine: desired }), hasTaskhooksStatusLine(theirs)]).toEqual([true, false]);
  });
});
