// `taskhooks uninstall` takes out exactly what install added.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupsOf, makeWorld, type World } from './cli.js';
import { openCache } from '../../src/cache/cache.js';
import { listProjects } from '../../src/cache/registered-projects.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

// Deliberately not JSON.stringify's layout: four-space indent, no final newline.
const ORIGINAL =
  '{\n    "permissions": { "allow": ["Bash(ls)"] },\n    "hooks": {\n        "Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }]\n    }\n}';

describe('taskhooks uninstall', () => {
  it('gives an existing settings file back byte for byte', async () => {
    const settings = w.write('.claude/settings.json', ORIGINAL);
    const mcp = w.write('.mcp.json', '{"mcpServers":{"other":{"command":"x"}}}');
    expect((await w.runHere(['install', '--scope', 'project'])).code).toBe(0);
    expect(w.read(settings)).not.toBe(ORIGINAL);
    const r = await w.runHere(['uninstall']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(settings, 'utf8')).toBe(ORIGINAL);
    expect(readFileSync(mcp, 'utf8')).toBe('{"mcpServers":{"other":{"command":"x"}}}');
  });

  it('removes the files install created, and the .claude folder it left empty', async () => {
    const before = w.snapshot();
    expect((await w.runHere(['install'])).code).toBe(0);
    expect((await w.runHere(['uninstall'])).code).toBe(0);
    expect(w.snapshot()).toEqual(before);
    expect(existsSync(path.join(w.project, '.claude'))).toBe(false);
  });

  it('keeps what the user added since install and only takes taskhooks out', async () => {
    const file = w.write('.claude/settings.json', ORIGINAL);
    expect((await w.runHere(['install', '--scope', 'project'])).code).toBe(0);
    const edited = JSON.parse(w.read(file));
    edited.model = 'sonnet';
    w.write(file, JSON.stringify(edited, null, 4));
    expect((await w.runHere(['uninstall', '--scope', 'project'])).code).toBe(0);
    const after = JSON.parse(w.read(file));
    expect(after).toEqual({ ...JSON.parse(ORIGINAL), model: 'sonnet' });
    expect(w.read(file)).toBe(JSON.stringify(after, null, 4));
    // The user's edit is backed up before uninstall rewrites the file.
    expect(backupsOf(file)).toHaveLength(2);
  });

  it('--scope limits it to one settings file', async () => {
    expect((await w.runHere(['install', '--scope', 'user'])).code).toBe(0);
    expect((await w.runHere(['install', '--scope', 'local'])).code).toBe(0);
    expect((await w.runHere(['uninstall', '--scope', 'local'])).code).toBe(0);
    expect(existsSync(path.join(w.project, '.claude/settings.local.json'))).toBe(false);
    expect(w.read(path.join(w.home, '.claude/settings.json'))).toContain('session-start.js');
  });

  it('forgets the project once no settings file wires it, and --dry-run writes nothing', async () => {
    expect((await w.runHere(['install'])).code).toBe(0);
    const before = w.snapshot();
    const dry = await w.runHere(['uninstall', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`remove ${path.join(w.project, '.claude/settings.local.json')}`);
    expect(w.snapshot()).toEqual(before);
    expect((await w.runHere(['uninstall'])).code).toBe(0);
    const cache = openCache({ home: w.thHome });
    try {
      expect(listProjects(cache).map((p) => p.root)).not.toContain(w.project);
    } finally {
      cache.close();
    }
  });

  it('--dry-run and install --dry-run show the hook token masked, never in clear, as text and as JSON', async () => {
    expect((await w.runHere(['install'])).code).toBe(0);
    const token = readFileSync(path.join(w.thHome, 'hook-token'), 'utf8').trim();
    expect(w.read('.claude/settings.local.json')).not.toContain(token);
    expect(readFileSync(path.join(w.home, '.claude', 'settings.json'), 'utf8')).toContain(token);
    const masked = `"****${token.slice(-2)}"`;
    const text = await w.runHere(['uninstall', '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain(token);
    expect(text.stdout).toContain(masked);
    const json = await w.runHere(['uninstall', '--dry-run', '--json']);
    expect(json.stdout).not.toContain(token);
    const diff = (JSON.parse(json.stdout) as { changes: Array<{ diff: string[] }> }).changes.flatMap((c) => c.diff);
    expect(diff.some((line) => line.includes(masked))).toBe(true);
    // A reinstall against a new token shows both the old and the new one masked.
    w.write(path.join(w.thHome, 'hook-token'), `${'f'.repeat(64)}\n`);
    const again = await w.runHere(['install', '--dry-run']);
    expect(again.stdout).not.toContain(token);
    expect(again.stdout).not.toContain('f'.repeat(64));
    expect(again.stdout).toContain('****');
  });

  it("takes its PostToolUse entry out, command or http, and leaves the user's own PostToolUse handler", async () => {
    const own =
      '{\n  "hooks": {\n    "PostToolUse": [{ "matcher": "mcp__.*", "hooks": [{ "type": "command", "command": "log-mcp" }] }]\n  }\n}\n';
    for (const transport of ['command', 'http']) {
      const file = w.write('.claude/settings.local.json', own);
      expect((await w.runHere(['install', '--transport', transport])).code).toBe(0);
      const installed = JSON.parse(w.read(file));
      expect(installed.hooks.PostToolUse).toHaveLength(2);
      expect(JSON.stringify(installed.hooks.PostToolUse[1])).toContain('post-tool-use');
      expect((await w.runHere(['uninstall'])).code).toBe(0);
      expect(w.read(file)).toBe(own);
    }
  });

  it('says so when there is nothing to remove', async () => {
    const r = await w.runHere(['uninstall']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing changed');
  });
});

describe('the folders install made', () => {
  it('go with uninstall once empty, for each agent; a folder the user had stays', async () => {
    const copilotHome = path.join(w.home, '.copilot');
    const theirs = path.join(w.project, '.qwen');
    mkdirSync(theirs);
    const before = w.snapshot();
    for (const agent of ['codex', 'gemini', 'qwen', 'copilot', 'opencode'])
      expect((await w.runHere(['install', '--agent', agent])).code, agent).toBe(0);
    for (const made of ['.codex', '.gemini', '.github/hooks'])
      expect(existsSync(path.join(w.project, made))).toBe(true);
    expect(existsSync(copilotHome)).toBe(true);
    const dry = await w.runHere(['uninstall', '--dry-run']);
    expect(dry.stdout).toContain('then removes the folders install made');
    expect(dry.stdout).toContain(path.join(w.project, '.github'));
    const r = await w.runHere(['uninstall']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${path.join(w.project, '.codex')}/`);
    // Every file and folder as it was: .qwen (the user's, empty) included, .github/, .codex/, ~/.copilot/ gone.
    expect(w.snapshot()).toEqual(before);
    expect(existsSync(theirs)).toBe(true);
  });

  it('one that holds something else stays', async () => {
    expect((await w.runHere(['install', '--agent', 'gemini'])).code).toBe(0);
    w.write('.gemini/notes.md', 'mine\n');
    expect((await w.runHere(['uninstall'])).code).toBe(0);
    expect(w.read('.gemini/notes.md')).toBe('mine\n');
    expect(existsSync(path.join(w.project, '.gemini', 'settings.json'))).toBe(false);
  });
});
