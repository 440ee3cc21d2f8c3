// The repository is a Claude Code marketplace holding one plugin, taskhooks, its plugin/ folder. The real CLI must
// accept both with the plugin directory's stricter rules, install the plugin from the marketplace, and tell a session
// its start at its first prompt; on Node 20, which has no SQLite of its own, that says so in one line and fails nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLAUDE, claudeEnv, hookAttachments, hookRecord, runClaude } from '../helpers/claude.js';
import { makeRepo } from '../helpers/git.js';
import { closedPortUrl, seedSnapshot, task } from '../helpers/hooks.js';
import { removeTree } from '../helpers/remove-tree.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const root = mkdtempSync(path.join(os.tmpdir(), 'taskhooks-plugin-'));
const home = path.join(root, 'home');
mkdirSync(home);
afterAll(() => removeTree(root));

function claude(args: string[]): { status: number | null; stdout: string; output: string } {
  const r = spawnSync(CLAUDE, args, {
    cwd: root,
    env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, HOME: home, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: r.status, stdout: r.stdout, output: `${r.stdout}\n${r.stderr}` };
}

interface ValidationReport {
  success: boolean;
  manifest: { file: string; type: string; errors: unknown[]; warnings: unknown[] };
  provides: { hooks: Array<{ event: string; matcher: string; type: string; command?: string; server?: string }> };
  advice: unknown[];
  directory: { findings: unknown[]; undecided: unknown[]; failure: unknown };
}

function validate(target: string): ValidationReport {
  const r = claude(['plugin', 'validate', target, '--profile', 'directory', '--strict', '--json']);
  expect(r.status, r.output).toBe(0);
  return JSON.parse(r.stdout) as ValidationReport;
}

/** hooks/hooks.json flattened the way the validator lists what a plugin provides: a command, or a tool of a server. */
function pluginHooks(): ValidationReport['provides']['hooks'] {
  const file = JSON.parse(readFileSync(path.join(REPO, 'plugin/hooks/hooks.json'), 'utf8')) as {
    hooks: Record<
      string,
      Array<{
        matcher: string;
        hooks: Array<{ type: string; command?: string; args?: string[]; server?: string; tool?: string }>;
      }>
    >;
  };
  return Object.entries(file.hooks).flatMap(([event, groups]) =>
    groups.flatMap((g) =>
      g.hooks.map(({ type, command, args, server, tool }) =>
        type === 'mcp_tool'
          ? { event, matcher: g.matcher, type, server, tool }
          : { event, matcher: g.matcher, type, command, ...(args ? { args } : {}) },
      ),
    ),
  );
}

describe('claude plugin validate --profile directory --strict', () => {
  it('passes the marketplace at the repository root, whose plugin provides exactly the hooks of hooks/hooks.json', () => {
    const report = validate(REPO);
    expect(report.manifest).toMatchObject({
      file: path.join(REPO, '.claude-plugin/marketplace.json'),
      type: 'marketplace',
      errors: [],
      warnings: [],
    });
    expect(report.success).toBe(true);
    expect(report.directory).toMatchObject({ findings: [], undecided: [], failure: null });
    // The validator advises a README line that installs the plugin from its marketplace: the README has it.
    expect(report.advice).toEqual([]);
    expect(report.provides.hooks).toEqual(pluginHooks());
  });

  it('passes the plugin manifest', () => {
    const report = validate(path.join(REPO, 'plugin/.claude-plugin/plugin.json'));
    expect(report.manifest).toMatchObject({ type: 'plugin', errors: [], warnings: [] });
    expect(report.success).toBe(true);
    expect(report.directory).toMatchObject({ findings: [], undecided: [], failure: null });
    expect(report.provides.hooks).toEqual(pluginHooks());
  });
});

it('a marketplace added from a folder installs taskhooks; on Node 20 its first prompt says what it lacks', async () => {
  // A checkout as git has it: the marketplace and the built plugin folder, no node_modules.
  const folder = path.join(root, 'taskhooks');
  for (const f of ['.claude-plugin/marketplace.json', 'plugin', 'README.md', 'LICENSE'])
    cpSync(path.join(REPO, f), path.join(folder, f), { recursive: true });

  const added = claude(['plugin', 'marketplace', 'add', folder, '--json']);
  expect(added.status, added.output).toBe(0);
  expect(JSON.parse(added.stdout)).toMatchObject({ outcome: 'ok', marketplace: 'taskhooks' });
  const installed = claude(['plugin', 'install', 'taskhooks@taskhooks', '--json']);
  expect(installed.status, installed.output).toBe(0);
  expect(JSON.parse(installed.stdout)).toMatchObject({ outcome: 'ok', pluginId: 'taskhooks@taskhooks' });

  const taskhooksHome = path.join(root, 'taskhooks-home');
  const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
  try {
    seedSnapshot(taskhooksHome, {
      sourceKey: 'embedded',
      project: 'shop',
      branch: 'main',
      tasks: [task('TASK-3', { title: 'Ship the plugin' })],
    });
    const result = await runClaude(
      repo.dir,
      claudeEnv(home, taskhooksHome, (await closedPortUrl()).replace(/\/mcp$/, '')),
    );
    expect(result.code).not.toBeNull();
    // A new session's start comes with its first prompt, from the plugin's own server; no hook failed.
    const { contexts } = hookRecord(home, 'UserPromptSubmit');
    expect(hookAttachments(home).filter((r) => /error|fail/.test(r.type ?? ''))).toEqual([]);
    expect(contexts).toHaveLength(1);
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 13)) {
      expect(contexts[0]).toMatch(/^\[taskhooks\] project shop, branch main: 1 pending task/);
      expect(contexts[0]).toContain('TASK-3 "Ship the plugin"');
    } else {
      // A plugin copy compiles nothing, so Node 20 has no SQLite library: one line says so and the plugin's remedy.
      expect(contexts[0]).toMatch(/^taskhooks: no SQLite library: .*put a Node 22\.13 or later first on PATH/);
    }
  } finally {
    repo.cleanup();
  }
});
