// Config files as taskhooks edits them: read with their own layout and rewritten in it, refused with the fix when
// unreadable, backed up beside them or (holding a secret) in the state directory, and written where links lead.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKUP_MARK, backupPlace, holdsSecret } from '../../src/files/file-change.js';
import { formatJson, readJsonDoc, sameJson } from '../../src/files/json-doc.js';
import { resolveTarget } from '../../src/files/real-path.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'th-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a JSON document', () => {
  it('keeps its indent, line ends and final newline when written back', () => {
    const file = path.join(dir, 'settings.json');
    const text = '{\r\n\t"a": 1,\r\n\t"b": [\r\n\t\t2\r\n\t]\r\n}';
    writeFileSync(file, text);
    const doc = readJsonDoc(file);
    expect(doc.value).toEqual({ a: 1, b: [2] });
    expect(formatJson(doc.value, doc.style)).toBe(text);
  });

  it('is empty with the default layout when the file does not exist yet', () => {
    const doc = readJsonDoc(path.join(dir, 'absent.json'));
    expect(doc).toMatchObject({ text: null, value: {} });
    expect(formatJson({ a: 1 }, doc.style)).toBe('{\n  "a": 1\n}\n');
  });

  it('is refused with the fix when it is not a JSON object, and the refusal says nothing was changed', () => {
    const file = path.join(dir, 'list.json');
    writeFileSync(file, '[1, 2]');
    expect(() => readJsonDoc(file)).toThrow(`${file} must hold a JSON object; fix it by hand and run again`);
    writeFileSync(file, '{"a": ');
    expect(() => readJsonDoc(file)).toThrow(/nothing was changed/);
  });

  it('counts a moved key as a change', () => {
    expect(sameJson({ a: 1, b: 2 }, { a: 1, b: 2 })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
});

describe('a backup', () => {
  it('lies beside its file, or for a file holding a secret in the state directory under a name of its folder', () => {
    const file = path.join(dir, 'repo', '.claude', 'settings.local.json');
    expect(backupPlace(file)).toEqual({ dir: path.dirname(file), prefix: `settings.local.json${BACKUP_MARK}` });
    const state = path.join(dir, 'state', 'file-backups');
    const kept = backupPlace(file, state);
    const other = backupPlace(path.join(dir, 'other', '.claude', 'settings.local.json'), state);
    expect(kept.dir).toBe(state);
    expect(kept.prefix).toMatch(/^settings\.local\.json\.[0-9a-f]{12}\.taskhooks-backup-$/);
    expect(other.prefix).not.toBe(kept.prefix);
    expect(holdsSecret({ mode: 0o600 })).toBe(true);
    expect(holdsSecret({ mode: 0o644 })).toBe(false);
  });
});

describe('where a write lands', () => {
  it('follows a link on the path, a dangling one too', () => {
    const real = path.join(dir, 'dotfiles');
    mkdirSync(real);
    symlinkSync(real, path.join(dir, '.claude'));
    expect(resolveTarget(path.join(dir, '.claude', 'settings.json'))).toBe(path.join(real, 'settings.json'));
    symlinkSync(path.join(real, 'claude.json'), path.join(dir, '.claude.json'));
    expect(resolveTarget(path.join(dir, '.claude.json'))).toBe(path.join(real, 'claude.json'));
  });

  it('refuses a loop of links with the fix', () => {
    symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    expect(() => resolveTarget(path.join(dir, 'a'))).toThrow(/too many symbolic links; fix the link/);
  });
});
