// Installs running at once in several projects rewrite the same user file (Claude Code's ~/.claude/settings.json,
// Gemini CLI's ~/.gemini/settings.json): each one's entries must survive the others'. The gated projects' installs
// are held inside git, which they run after reading the user's file and before writing it, until another install
// has written that file: the real processes, in the one order that loses an update unless a write reads again.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeRun, runBuiltCli, type CliRun } from '../helpers/cli.js';
import { makeWorld, type World } from './cli.js';

let w: World;
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const GATED = 3;

/**
 * The real git behind a gate: a call from a folder under `gated/` notes its arrival and waits until the test opens the
 * gate. Every other call goes straight through.
 */
function gatedGit(): { env: NodeJS.ProcessEnv; projects: string[]; arrived(): number; open(): void } {
  const gate = path.join(w.root, 'gate');
  const bin = path.join(w.root, 'bin');
  const gated = path.join(w.root, 'gated');
  mkdirSync(gate);
  mkdirSync(bin);
  const git = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(
    path.join(bin, 'git'),
    [
      '#!/bin/sh',
      `case "$PWD/" in '${gated}/'*)`,
      `  : > '${gate}/arrived-'$$`,
      `  while [ ! -e '${gate}/open' ]; do sleep 0.02; done ;;`,
      'esac',
      `exec '${git}' "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const projects = Array.from({ length: GATED }, (_, k) => {
    const p = path.join(gated, `p${k}`);
    mkdirSync(path.join(p, '.git'), { recursive: true });
    return p;
  });
  return {
    env: { ...w.env, PATH: `${bin}${path.delimiter}${w.env.PATH}` },
    projects,
    arrived: () => readdirSync(gate).filter((n) => n.startsWith('arrived-')).length,
    open: () => writeFileSync(path.join(gate, 'open'), ''),
  };
}

/** Runs the gated installs and, once each has read the user's file and waits in git, `first`; then all finish. */
async function raced(gatedArgs: string[], firstArgs: string[]): Promise<void> {
  const g = gatedGit();
  const run = (args: string[], cwd: string) => runBuiltCli(args, { cwd, env: g.env });
  const held = g.projects.map((p) => run([...gatedArgs, '--dir', p], p));
  let first: CliRun | undefined;
  try {
    await vi.waitFor(() => expect(g.arrived()).toBeGreaterThanOrEqual(GATED), { timeout: 60_000, interval: 20 });
    first = await run([...firstArgs, '--dir', w.project], w.project);
  } finally {
    g.open();
  }
  for (const r of [first, ...(await Promise.all(held))]) if (r) expect(r.code, describeRun(r)).toBe(0);
}

const json = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8'));

describe.skipIf(process.platform === 'win32')('installs at once', () => {
  it("keep every install's entries in Claude Code's user settings", async () => {
    const file = path.join(w.home, '.claude', 'settings.json');
    // The gated ones put the hook token in the user's settings; the other its hooks, for every project.
    await raced(['install', '--agent', 'claude'], ['install', '--agent', 'claude', '--scope', 'user']);
    const settings = json(file);
    expect(Object.keys(settings.env as object)).toEqual([expect.stringMatching(/^TASKHOOKS_HOOK_TOKEN_/)]);
    expect(settings).toHaveProperty('hooks.SessionStart');
    // What each write replaced is in a backup: the hooks, before the token was added beside them.
    const backups = readdirSync(path.join(w.thHome, 'file-backups')).filter((n) => n.startsWith('settings.json.'));
    expect(backups.some((n) => 'hooks' in json(path.join(w.thHome, 'file-backups', n)))).toBe(true);
    // Each project's task tools in ~/.claude.json, written under Claude Code's own lock.
    expect(Object.keys(json(path.join(w.home, '.claude.json')).projects as object)).toHaveLength(GATED + 1);
  }, 120_000);

  it("keep what an uninstall took out of Claude Code's user settings", async () => {
    const file = path.join(w.home, '.claude', 'settings.json');
    const first = await w.runHere(['install', '--agent', 'claude', '--scope', 'user']);
    expect(first.code, first.stderr).toBe(0);
    // The gated ones read the hooks there before the uninstall takes them out, and write after it.
    await raced(['install', '--agent', 'claude'], ['uninstall', '--agent', 'claude', '--scope', 'user']);
    const settings = json(file);
    expect(Object.keys(settings.env as object)).toEqual([expect.stringMatching(/^TASKHOOKS_HOOK_TOKEN_/)]);
    expect(settings).not.toHaveProperty('hooks');
  }, 120_000);

  it("keep every install's entries in Gemini CLI's user settings", async () => {
    const file = path.join(w.home, '.gemini', 'settings.json');
    // The gated ones put the task tools there; the other its hooks too, for every project.
    await raced(['install', '--agent', 'gemini'], ['install', '--agent', 'gemini', '--scope', 'user']);
    const settings = json(file);
    expect(Object.keys(settings.mcpServers as object)).toEqual(['taskhooks']);
    expect(settings).toHaveProperty('hooks.SessionStart');
  }, 120_000);
});
