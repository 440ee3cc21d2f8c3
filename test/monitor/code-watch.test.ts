// A monitor stops once the code it runs is no longer installed: Claude Code marks a plugin version's folder unused when
// the plugin is removed or updated, and npm removes an uninstalled package's folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ORPHANED_MARK, watchCode } from '../../src/monitor/watch/code-watch.js';

const undo: Array<() => void> = [];
afterEach(() => {
  for (const u of undo.splice(0)) u();
});

/** A folder holding a package, as a plugin copy or a global install is. */
function codeFolder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'th-code-watch-'));
  undo.push(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(path.join(root, 'package.json'), '{"name":"taskhooks"}');
  return root;
}

/** Every reason the watch gave so far. */
function watched(root: string): string[] {
  const reasons: string[] = [];
  undo.push(watchCode(root, (why) => reasons.push(why)));
  return reasons;
}

it('says nothing while the code is installed, and once when Claude Code marks its folder unused', async () => {
  const root = codeFolder();
  const reasons = watched(root);
  writeFileSync(path.join(root, 'README.md'), 'a change that is no removal');
  await new Promise((r) => setTimeout(r, 200));
  expect(reasons).toEqual([]);
  writeFileSync(path.join(root, ORPHANED_MARK), String(Date.now()));
  await expect.poll(() => reasons).toHaveLength(1);
  expect(reasons[0]).toContain(`Claude Code marked the plugin folder ${root} unused`);
});

it('hears a folder removed, and one marked before the watch began', async () => {
  const removed = codeFolder();
  const reasons = watched(removed);
  rmSync(removed, { recursive: true });
  await expect.poll(() => reasons).toEqual([`${removed} was removed`]);

  const marked = codeFolder();
  writeFileSync(path.join(marked, ORPHANED_MARK), '1');
  expect(watched(marked)).toHaveLength(1);
});
