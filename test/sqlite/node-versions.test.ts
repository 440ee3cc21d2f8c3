// The smoke path on each Node people run (20, 22, 24), from a copy of the built dist/ with no node_modules in reach,
// so no better-sqlite3, as in every install but a clone. Node 22.13+ runs on node:sqlite (a task written by
// the CLI is in the next session's context); on an older Node, SessionStart, the CLI and the status line each say in
// one line what is missing and the fix.
import { execFile } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_SQLITE_FROM } from '../../src/sqlite/no-driver.js';
import { makeRepo, type TempRepo } from '../helpers/git.js';
import { hookEnv, parseHookStdout, ROOT } from '../helpers/hooks.js';
import { machineNode, nodeBinary, OTHER_NODES } from '../helpers/node-versions.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  node: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; input?: string },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(node, args, { env: opts.env, cwd: opts.cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (err && code === null) return reject(err);
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
}

const hasNodeSqlite = (version: string): boolean => {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [fromMajor = 0, fromMinor = 0] = NODE_SQLITE_FROM.split('.').map(Number);
  return major > fromMajor || (major === fromMajor && minor >= fromMinor);
};

type NodeCase = [label: string, resolve: () => { version: string; node: string }];
const machine = machineNode();
const suiteMajor = Number(process.versions.node.split('.')[0]);

/**
 * This Node; the machine's own where the suite runs on another; then the pinned others but the suite's own major,
 * resolved once the global setup has installed them.
 */
const NODES: readonly NodeCase[] = [
  [`Node ${process.version} (the suite's)`, () => ({ version: process.version, node: process.execPath })],
  ...(machine ? [[`Node ${machine.version} (the machine's)`, () => machine] satisfies NodeCase] : []),
  ...OTHER_NODES.filter((major) => major !== suiteMajor).map(
    (major): NodeCase => [`Node ${major}`, () => nodeBinary(major)],
  ),
];

let scratch: string;
let app: string;
let repo: TempRepo;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'th-node-versions-'));
  // Outside the checkout: nothing above it holds a node_modules.
  app = path.join(scratch, 'app');
  cpSync(path.join(ROOT, 'dist'), path.join(app, 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
  repo = makeRepo({ name: 'smoke', commits: ['init'] });
});

afterAll(() => {
  repo?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.each(NODES)('the built hooks and CLI with no better-sqlite3 on %s', (_label, resolve) => {
  it('write a task, read it back, and put it in a session’s context; or say in one line what is missing', async () => {
    const { version, node } = resolve();
    const home = path.join(scratch, `home-${version}`);
    const env = { ...hookEnv(home), HOME: scratch, TASKHOOKS_SQLITE: '' };
    const cli = (...args: string[]): Promise<Run> =>
      run(node, [path.join(app, 'dist/cli.js'), ...args], { env, cwd: repo.dir });
    const sessionStart = (id: string): Promise<Run> =>
      run(node, [path.join(app, 'dist/hooks/session-start.js')], {
        env,
        cwd: repo.dir,
        input: JSON.stringify({
          session_id: id,
          hook_event_name: 'SessionStart',
          source: 'startup',
          cwd: repo.dir,
          transcript_path: '/dev/null',
        }),
      });
    if (!hasNodeSqlite(version)) {
      const hook = await sessionStart('smoke-1');
      expect(hook.code).toBe(0);
      expect(hook.stderr).toBe('');
      const context = parseHookStdout(hook.stdout)?.hookSpecificOutput.additionalContext ?? '';
      expect(context).toMatch(
        /^taskhooks: no SQLite library: Node v\d+\.\d+\.\d+ has no node:sqlite; upgrade Node to 22\.13 or later, which has SQLite built in$/,
      );
      expect(context.split('\n')).toHaveLength(1);
      // The person hears it too, once, at the session's start; on the plugin route with the fix that applies there.
      expect(parseHookStdout(hook.stdout)?.systemMessage).toBe(context);
      const pluginEnv = { ...env, CLAUDE_PLUGIN_DATA: home };
      const plugin = await run(node, [path.join(app, 'dist/hooks/session-start.js')], {
        env: pluginEnv,
        cwd: repo.dir,
        input: JSON.stringify({ session_id: 'smoke-p', hook_event_name: 'SessionStart', cwd: repo.dir }),
      });
      const told = parseHookStdout(plugin.stdout)?.systemMessage ?? '';
      expect(told).toMatch(/^taskhooks: no SQLite library: .*put a Node 22\.13 or later first on PATH/);
      expect(told).not.toContain('upgrade Node');
      // Its MCP server offers no task tool that could only fail: the hook tool alone.
      const client = new Client({ name: 'node-versions', version: '0' });
      const mcp = [path.join(app, 'dist/cli.js'), 'mcp'];
      await client.connect(new StdioClientTransport({ command: node, args: mcp, env: pluginEnv, cwd: repo.dir }));
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['hook']);
      await client.close();
      const row = await run(node, [path.join(app, 'dist/hooks/status-line.js')], {
        env: { ...env, COLUMNS: '400' },
        cwd: repo.dir,
        input: JSON.stringify({ session_id: 'smoke-1', cwd: repo.dir, workspace: { current_dir: repo.dir } }),
      });
      expect(row.stdout).toMatch(/^tasks: no SQLite library: .*22\.13/);
      const list = await cli('tasks', 'list');
      expect(list.code).toBe(1);
      expect(list.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^taskhooks: no SQLite library: .*22\.13/),
      ]);
      return;
    }
    const added = await cli('tasks', 'add', `Smoke on ${version}`);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect((await cli('tasks', 'list')).stdout).toContain(`Smoke on ${version}`);
    const hook = await sessionStart('smoke-2');
    expect(hook.code).toBe(0);
    // node:sqlite's experimental warning (Node 22) must not reach a hook's stderr.
    expect(hook.stderr).toBe('');
    expect(parseHookStdout(hook.stdout)?.hookSpecificOutput.additionalContext).toContain(`Smoke on ${version}`);
    const doctor = await cli('doctor');
    expect(doctor.stdout).toMatch(/✓ sqlite .*node:sqlite, SQLite 3\.\d+/);
  });
});
