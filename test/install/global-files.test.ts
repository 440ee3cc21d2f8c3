// Every file install writes outside the project is named as global, in its output and its dry run, with what it does
// to other folders; uninstall takes every --agent value install takes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
  // `--agent all` takes the agents whose folder is there.
  for (const d of ['.codex', '.gemini']) mkdirSync(path.join(w.home, d));
});
afterEach(() => w.cleanup());

interface Change {
  file: string;
  action: string;
  global?: string;
}
/** Each entry is an http one for the store server, with its token: why it is not in the project's file. */
const TOKEN_KEPT_OUT = " (user-wide, as in the project's own file the entry would hold the store token)";
const outside = (file: string): boolean => !file.startsWith(`${w.project}${path.sep}`);

it('names each file outside the project as global, with what it does to other folders; the project files not', async () => {
  const dry = await w.runHere(['install', '--agent', 'all', '--dry-run']);
  expect(dry.code, dry.stderr).toBe(0);
  const lines = dry.stdout.split('\n');
  const codexToml = path.join(w.home, '.codex', 'config.toml');
  const geminiUser = path.join(w.home, '.gemini', 'settings.json');
  const after = (header: string): string | undefined => lines[lines.findIndex((l) => l.startsWith(header)) + 1];
  expect(after(`create ${codexToml}`)).toBe(
    `  global: Codex offers the task tools in every folder it opens${TOKEN_KEPT_OUT}`,
  );
  expect(after(`create ${geminiUser}`)).toBe(
    `  global: Gemini CLI offers the task tools in every folder it opens${TOKEN_KEPT_OUT}`,
  );
  expect(after(`create ${path.join(w.project, '.codex', 'hooks.json')}`)).not.toContain('global');

  const json = JSON.parse((await w.runHere(['install', '--agent', 'all', '--dry-run', '--json'])).stdout) as Array<{
    changes: Change[];
  }>;
  const planned = json.flatMap((r) => r.changes);
  expect(
    planned
      .filter((c) => outside(c.file))
      .map((c) => c.file)
      .sort(),
  ).toEqual([codexToml, geminiUser].sort());
  for (const c of planned) expect(Boolean(c.global), c.file).toBe(outside(c.file));

  const done = await w.runHere(['install', '--agent', 'all']);
  expect(done.code, done.stderr).toBe(0);
  expect(done.stdout).toContain(
    `created  ${codexToml} — global: Codex offers the task tools in every folder it opens${TOKEN_KEPT_OUT}\n`,
  );
  expect(done.stdout).toContain(
    `created  ${geminiUser} — global: Gemini CLI offers the task tools in every folder it opens${TOKEN_KEPT_OUT}\n`,
  );

  // Hooks in a user-scope file run in every folder too, and say so.
  const user = await w.runHere(['install', '--agent', 'gemini', '--scope', 'user', '--dry-run']);
  expect(user.stdout).toContain(
    `  global: Gemini CLI runs taskhooks' hooks in every folder it opens; Gemini CLI offers the task tools in every folder it opens${TOKEN_KEPT_OUT}`,
  );
});

it("says Claude Code's ~/.claude.json is a global file holding this project's entry alone", async () => {
  const dry = await w.runHere(['install', '--dry-run']);
  expect(dry.stdout).toContain(
    "in your own ~/.claude.json (global file; local scope: this project's entry alone, other folders unaffected)",
  );
  const done = await w.runHere(['install', '--json']);
  const changes = (JSON.parse(done.stdout) as { changes: Change[] }).changes;
  expect(changes.find((c) => c.file === path.join(w.home, '.claude.json'))?.global).toBe(
    "global: this project's entry alone (Claude Code's local scope): no other folder gets the task tools",
  );
});

it('uninstall takes --agent all, as install does, and says what leaving a global file does', async () => {
  expect((await w.runHere(['install', '--agent', 'all'])).code).toBe(0);
  const r = await w.runHere(['uninstall', '--agent', 'all']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(
    `removed  ${path.join(w.home, '.codex', 'config.toml')} — global: taskhooks is gone from every folder Codex opens`,
  );
  const bad = await w.runHere(['uninstall', '--agent', 'vim']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('is not one of claude, codex, gemini, qwen, copilot, opencode, all');
});

/** The file or folder each change line of an output names, in order. */
const changed = (out: string): string[] =>
  out
    .split('\n')
    .filter((l) => /^(created|updated|removed) {2}/.test(l))
    .map((l) => l.slice('created  '.length).split(' — ')[0] as string);

it('install and uninstall --agent all name each file and folder on one line, and end with their summary', async () => {
  const planned = await w.runHere(['install', '--agent', 'all', '--dry-run', '--json']);
  const files = (JSON.parse(planned.stdout) as Array<{ changes: Change[] }>).flatMap((r) =>
    r.changes.map((c) => c.file),
  );
  const installed = await w.runHere(['install', '--agent', 'all']);
  expect(installed.code, installed.stderr).toBe(0);
  expect(changed(installed.stdout)).toEqual(files);
  // The exclude file is named, not the files it keeps out again.
  expect(installed.stdout).not.toMatch(/exclude: added/);
  const last = installed.stdout.trimEnd().split('\n').slice(-3);
  expect(last[0]).toMatch(
    new RegExp(
      `^✓ taskhooks is installed for ${w.project}: Codex, Gemini CLI \\(${files.length} files changed(; \\d+ of them, naming this machine's paths or the hook token, kept out of git in .*)?\\)$`,
    ),
  );
  expect(last[1]).toMatch(/^monitor: /);
  expect(last[2]).toMatch(/^Next: start Codex, Gemini CLI in /);

  const removed = await w.runHere(['uninstall', '--agent', 'all']);
  expect(removed.code, removed.stderr).toBe(0);
  const gone = changed(removed.stdout);
  expect(new Set(gone).size).toBe(gone.length);
  const folders = gone.filter((f) => f.endsWith('/'));
  expect(folders.length).toBeGreaterThan(0);
  expect(removed.stdout).not.toContain('then removes the folders');
  const summary = removed.stdout.trimEnd().split('\n').slice(-3);
  expect(summary[0]).toMatch(
    new RegExp(
      `^✓ taskhooks is uninstalled from ${w.project}: ${gone.length - folders.length} files and ${folders.length} folders? changed or removed; the monitor forgot the project`,
    ),
  );
  expect(summary[1]).toMatch(/^monitor: /);
  expect(summary[2]).toMatch(/^Your tasks stay in .*tasks\.db; `taskhooks install` puts the hooks back\.$/);
});
