// The folders install made: recorded as mkdir reports them, and removed by uninstall only once empty, deepest first;
// a folder that was there before, or holds anything else, stays.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldersMade, recordFoldersMade, removeFoldersMade } from '../../src/install/writing/created-folders.js';
import { silentLogger } from '../helpers/cache.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'th-folders-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('foldersMade', () => {
  it('lists every folder from the first one mkdir made down to the file’s own, and none when it made none', () => {
    const dir = path.join(root, '.github', 'hooks');
    expect(foldersMade(mkdirSync(dir, { recursive: true }), dir)).toEqual([path.join(root, '.github'), dir]);
    expect(foldersMade(mkdirSync(dir, { recursive: true }), dir)).toEqual([]);
  });

  it("reads Windows' long-path answer as the plain path the file is named by, so uninstall finds the folder again", () => {
    const project = 'C:\\Users\\Jo Doe\\My Projects\\shop';
    const made = foldersMade(`\\\\?\\${project}\\.claude`, `${project}\\.claude`, 'win32');
    expect(made).toEqual([`${project}\\.claude`]);
    expect(foldersMade(`\\\\?\\${project}\\.github`, `${project}\\.github\\hooks`, 'win32')).toEqual([
      `${project}\\.github`,
      `${project}\\.github\\hooks`,
    ]);
  });
});

describe('removeFoldersMade', () => {
  it('removes the recorded folders left empty, deepest first, and keeps the rest recorded', () => {
    const home = path.join(root, 'th');
    const log = silentLogger();
    const hooks = path.join(root, 'p', '.github', 'hooks');
    const codex = path.join(root, 'p', '.codex');
    mkdirSync(hooks, { recursive: true });
    mkdirSync(codex, { recursive: true });
    mkdirSync(home, { recursive: true });
    recordFoldersMade(home, [path.join(root, 'p', '.github'), hooks, codex], log);
    writeFileSync(path.join(codex, 'mine.toml'), '');
    const removed = removeFoldersMade(home, [path.join(hooks, 'taskhooks.json'), path.join(codex, 'hooks.json')], log);
    expect(removed).toEqual([hooks, path.join(root, 'p', '.github')]);
    expect(existsSync(path.join(root, 'p', '.github'))).toBe(false);
    expect(existsSync(codex)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(home, 'install-folders.json'), 'utf8'))).toEqual([codex]);
    // A folder never recorded (the user's) is not touched, empty or not.
    const theirs = path.join(root, 'p', '.gemini');
    mkdirSync(theirs);
    expect(removeFoldersMade(home, [path.join(theirs, 'settings.json')], log)).toEqual([]);
    expect(existsSync(theirs)).toBe(true);
  });
});
