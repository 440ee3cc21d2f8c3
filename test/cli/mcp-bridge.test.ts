// The plugin's MCP server as Claude Code spawns it (hooks/mcp-bridge: perl, else dist/mcp-bridge.js): joined to the
// hooks-only server its user's monitor runs on mcp.sock, or serving it in-process where no monitor answers; a guard is
// decided either way.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOOK_TOOL } from '../../src/hooks/hosts/mcp-tool-input.js';
import { homeFiles } from '../../src/home/files.js';
import { demoProject, hookEnv, ROOT, unmarked } from '../helpers/hooks.js';
import { tempDir } from '../foundation/helpers.js';
import { HANDSHAKE, rpcLine } from '../helpers/mcp-lines.js';
import { recordingNode } from '../helpers/recording-node.js';
import { findOnPath } from '../../src/util/executable.js';
import { waitFor } from '../monitor/helpers.js';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const LAUNCHER = path.join(ROOT, 'hooks', 'mcp-bridge');
const AGENTHUB = 'http://127.0.0.1:9/mcp';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function project(
  config: unknown = {
    source: { servers: [AGENTHUB] },
    hooks: { guards: { protectedBranches: ['main'], protectedPaths: ['secrets/**'] } },
  },
): { home: string; dir: string; cli(args: string[]): Promise<unknown> } {
  const p = demoProject({ config });
  cleanups.push(p.cleanup);
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [CLI, ...args], { cwd: p.repo.dir, env: hookEnv(p.home) });
  return { home: p.home, dir: p.repo.dir, cli };
}

/**
 * The bridge's PATH: a folder of this test's node, git (for a monitor it starts), perl where the route has it, and
 * whatever `more` adds.
 */
function programs(withPerl: boolean, more: Record<string, string> = {}): string {
  const bin = tempDir('th-bridge-bin-');
  cleanups.push(bin.remove);
  if (!more.node) symlinkSync(process.execPath, path.join(bin.dir, 'node'));
  for (const name of withPerl ? ['git', 'perl'] : ['git']) {
    const found = findOnPath(name, process.env);
    if (!found) throw new Error(`${name} is not on this machine's PATH: the bridge's tests need it`);
    symlinkSync(found, path.join(bin.dir, name));
  }
  for (const [name, script] of Object.entries(more)) writeFileSync(path.join(bin.dir, name), script, { mode: 0o755 });
  return bin.dir;
}

/** The bridge's PATH for the route, its `node` noting the script of each run before it runs. */
function countingNode(): { path: string; runs: () => string[] } {
  const marks = tempDir('th-bridge-node-');
  cleanups.push(marks.remove);
  const node = recordingNode(path.join(marks.dir, 'started'));
  return { path: programs(route.perl, { node: node.text }), runs: node.runs };
}

/** The two ways the launcher runs: perl where there is one (Linux and macOS mostly), node's bridge where not. */
const ROUTES = [
  { name: 'perl, as the plugin starts it', perl: true },
  { name: "node's bridge, where there is no perl", perl: false },
] as const;
let route: (typeof ROUTES)[number] = ROUTES[0];

/**
 * The bridge as Claude Code starts it. `session` names the session in its environment, as Claude Code does, and puts
 * a shell between the test and the bridge: the shell is the session's agent, and it exits when the bridge does.
 */
async function bridge(home: string, cwd: string, session?: string, more: NodeJS.ProcessEnv = {}): Promise<Client> {
  const client = new Client({ name: 'claude-code-stand-in', version: '0.0.0' });
  const run = session ? { command: '/bin/sh', args: ['-c', '"$0"; :', LAUNCHER] } : { command: LAUNCHER, args: [] };
  const PATH = programs(route.perl);
  const env = hookEnv(home, { ...(session ? { CLAUDE_CODE_SESSION_ID: session } : {}), PATH, ...more }) as Record<
    string,
    string
  >;
  await client.connect(new StdioClientTransport({ ...run, cwd, env, stderr: 'pipe' }));
  cleanups.push(() => client.close());
  return client;
}

/** PreToolUse for a tool call, as the plugin's mcp_tool hook sends it; the answer's decision and reason. */
async function preToolUse(
  client: Client,
  cwd: string,
  tool: string,
  input: Record<string, unknown>,
): Promise<{ decision?: string; reason?: string }> {
  const result = await client.callTool({
    name: HOOK_TOOL,
    arguments: {
      event: 'pre-tool-use',
      session_id: 's1',
      cwd,
      hook_event_name: 'PreToolUse',
      tool_name: tool,
      tool_use_id: `toolu_${Math.random()}`,
      tool_input: JSON.stringify(input),
    },
  });
  const [first] = result.content as Array<{ text: string }>;
  const out = JSON.parse(first?.text ?? '') as {
    hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string };
  };
  return {
    ...(out.hookSpecificOutput?.permissionDecision ? { decision: out.hookSpecificOutput.permissionDecision } : {}),
    ...(out.hookSpecificOutput?.permissionDecisionReason
      ? { reason: out.hookSpecificOutput.permissionDecisionReason }
      : {}),
  };
}

const serverLog = (home: string): string => {
  const file = path.join(homeFiles(home).logs, 'server.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

describe.each(ROUTES)('the plugin bridge: $name', (r) => {
  beforeEach(() => {
    route = r;
  });

  it("joins the monitor's hooks-only server on a socket only its owner reaches, and the push guard holds there", async () => {
    const p = project();
    await p.cli(['monitor', 'start']);
    cleanups.push(() => p.cli(['monitor', 'stop']));
    const socket = homeFiles(p.home).mcpSocket;
    expect(statSync(socket).mode & 0o777).toBe(0o600);

    const client = await bridge(p.home, p.dir);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([HOOK_TOOL]);
    const push = await preToolUse(client, p.dir, 'Bash', { command: 'git push origin main' });
    expect(push.decision).toBe('deny');
    expect(push.reason).toContain('git push to branch main is refused');
    expect(await preToolUse(client, p.dir, 'Bash', { command: 'ls -la' })).toEqual({});
    // The monitor answered: no server of the session's own started.
    expect(serverLog(p.home)).not.toContain('stdio server started');
  });

  it('refuses a Write of 12 MB on the socket before reading it, and serves the next call', async () => {
    const p = project();
    await p.cli(['monitor', 'start']);
    cleanups.push(() => p.cli(['monitor', 'stop']));
    const client = await bridge(p.home, p.dir);
    const write = await preToolUse(client, p.dir, 'Write', {
      file_path: path.join(p.dir, 'secrets', 'a.txt'),
      content: 'x'.repeat(12 * 1024 * 1024),
    });
    expect(write.decision).toBe('deny');
    expect(write.reason).toContain('over 8 MiB');
    // The stream outlived the long line: the next call is answered too.
    expect(await preToolUse(client, p.dir, 'Bash', { command: 'ls' })).toEqual({});
  });

  it('hands the session to a server of its own when the monitor stops mid-session: the push guard still refuses', async () => {
    const p = project();
    await p.cli(['monitor', 'start']);
    // Monitors may start, as in a person's session: one its person stopped must stay stopped all the same.
    const client = await bridge(p.home, p.dir, undefined, { TASKHOOKS_NO_AUTOSTART: '0' });
    cleanups.push(() => p.cli(['monitor', 'stop']));
    expect(await preToolUse(client, p.dir, 'Bash', { command: 'ls' })).toEqual({});
    await p.cli(['monitor', 'stop']);

    const push = await preToolUse(client, p.dir, 'Bash', { command: 'git push origin main' });
    expect(push.decision).toBe('deny');
    expect(push.reason).toContain('git push to branch main is refused');
    // The bridge's server writes its log asynchronously, in a process still running.
    await waitFor('the handover in server.log', () => serverLog(p.home).includes('stdio server started'));
    // Taken over with the session's handshake, not started afresh (which would start a monitor and join it).
    expect(existsSync(homeFiles(p.home).info)).toBe(false);
  });

  it('serves the hook tool itself where no monitor listens, and the push guard holds there too', async () => {
    const p = project();
    const client = await bridge(p.home, p.dir);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([HOOK_TOOL]);
    const push = await preToolUse(client, p.dir, 'Bash', { command: 'git push origin main' });
    expect(push.decision).toBe('deny');
    expect(push.reason).toContain('git push to branch main is refused');
    // The bridge's server writes its log asynchronously, in a process still running.
    await waitFor('the handover in server.log', () => serverLog(p.home).includes('stdio server started'));
  });

  it('starts the monitor a cold start lacks and joins it, and tells the session its start at its first prompt', async () => {
    const p = project({ hooks: { guards: { protectedBranches: ['main'] } } });
    await p.cli(['tasks', 'add', 'Refactor the parser']);
    // A session's start after a reboot: the plugin runs no SessionStart hook then, so its bridge starts the monitor.
    const client = await bridge(p.home, p.dir, 's1', { TASKHOOKS_NO_AUTOSTART: '0' });
    cleanups.push(() => p.cli(['monitor', 'stop']));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain(HOOK_TOOL);
    const prompt = (id: string) =>
      client.callTool({
        name: HOOK_TOOL,
        arguments: { event: 'user-prompt-submit', session_id: 's1', cwd: p.dir, prompt: 'go on', prompt_id: id },
      });
    const [first] = (await prompt('p1')).content as Array<{ text: string }>;
    const told = JSON.parse(first?.text ?? '') as { hookSpecificOutput?: { additionalContext?: string } };
    expect(unmarked(told.hookSpecificOutput?.additionalContext ?? '')).toContain('"Refactor the parser"');
    expect(((await prompt('p2')).content as Array<{ text: string }>)[0]?.text).toBe('{}');
    const push = await preToolUse(client, p.dir, 'Bash', { command: 'git push origin main' });
    expect(push.decision).toBe('deny');
    // The monitor the bridge started answered: no server of the session's own was loaded.
    expect(serverLog(p.home)).not.toContain('stdio server started');
    expect(existsSync(homeFiles(p.home).starter)).toBe(false);
  });

  it('after a reboot, four bridges at once start one monitor, and each session is told its start by it', async () => {
    const p = project({ hooks: { guards: { protectedBranches: ['main'] } } });
    await p.cli(['tasks', 'add', 'Refactor the parser']);
    cleanups.push(() => p.cli(['monitor', 'stop']));
    const node = countingNode();
    const sessions = ['s1', 's2', 's3', 's4'];
    const clients = await Promise.all(
      sessions.map((s) => bridge(p.home, p.dir, s, { TASKHOOKS_NO_AUTOSTART: '0', PATH: node.path })),
    );
    const told = await Promise.all(
      clients.map(async (client, i) => {
        const answer = await client.callTool({
          name: HOOK_TOOL,
          arguments: {
            event: 'user-prompt-submit',
            session_id: sessions[i],
            cwd: p.dir,
            prompt: 'go on',
            prompt_id: 'p1',
          },
        });
        const [first] = answer.content as Array<{ text: string }>;
        return JSON.parse(first?.text ?? '') as { hookSpecificOutput?: { additionalContext?: string } };
      }),
    );
    for (const t of told)
      expect(unmarked(t.hookSpecificOutput?.additionalContext ?? '')).toContain('"Refactor the parser"');
    const log = path.join(homeFiles(p.home).logs, 'hooks.log');
    expect(readFileSync(log, 'utf8').match(/no monitor was running: started one/g)).toHaveLength(1);
    expect(serverLog(p.home)).not.toContain('stdio server started');
    // With perl, the first bridge to find no monitor becomes node's, which starts it; the others wait for it in perl.
    expect(node.runs()).toHaveLength(route.perl ? 1 : 4);
  });

  it('makes the state directory of a first session, owner-only, and starts its monitor there', async () => {
    const p = project();
    const home = path.join(p.home, 'first-session');
    const client = await bridge(home, p.dir, 's1', { TASKHOOKS_NO_AUTOSTART: '0' });
    cleanups.push(() => promisify(execFile)(process.execPath, [CLI, 'monitor', 'stop'], { env: hookEnv(home) }));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain(HOOK_TOOL);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    await waitFor('its monitor', () => existsSync(homeFiles(home).info));
    expect(serverLog(home)).not.toContain('stdio server started');
  });

  it("serves a turn's end through its hook tool, and ends the session when its Claude Code has exited", async () => {
    const p = project({});
    await promisify(execFile)(process.execPath, [CLI, 'monitor', 'start'], {
      cwd: p.dir,
      env: hookEnv(p.home, { TASKHOOKS_LOG_LEVEL: 'debug' }),
    });
    cleanups.push(() => p.cli(['monitor', 'stop']));
    const session = 'bridged-session-1';
    const client = await bridge(p.home, p.dir, session);
    const turn = { event: 'turn-end', session_id: session, cwd: p.dir, hook_event_name: 'Stop' };
    const answer = await client.callTool({
      name: HOOK_TOOL,
      arguments: { ...turn, last_assistant_message: 'Left off.' },
    });
    expect(answer.content).toEqual([{ type: 'text', text: '{}' }]);
    const monitorLog = () => readFileSync(path.join(homeFiles(p.home).logs, 'monitor.log'), 'utf8');
    expect(monitorLog()).not.toContain('SessionEnd: session forgotten');

    // The agent goes: the bridge's stdin closes, the bridge and then its shell exit.
    await client.close();
    await waitFor('the end in monitor.log', () => monitorLog().includes('SessionEnd: session forgotten'));
    expect(monitorLog()).toMatch(/"reason":"other".*SessionEnd: session forgotten/);
  });

  // With nothing configured the plugin is all a person installed: its server is where the model's task tools come from.
  for (const monitor of [true, false])
    it(`offers the built-in store's task tools ${monitor ? "from the monitor's socket" : 'itself, no monitor listening'}, and a task made there is the project's`, async () => {
      const p = project({});
      if (monitor) {
        await p.cli(['monitor', 'start']);
        cleanups.push(() => p.cli(['monitor', 'stop']));
      }
      const client = await bridge(p.home, p.dir);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining([HOOK_TOOL, 'list_tasks', 'add_task', 'update_task']));
      // A session's task needs only its title: the project is the folder the bridge was started in.
      const made = await client.callTool({ name: 'add_task', arguments: { title: 'Made through the plugin' } });
      expect(made.isError, JSON.stringify(made)).toBeFalsy();
      const { stdout } = (await promisify(execFile)(process.execPath, [CLI, 'tasks', 'list'], {
        cwd: p.dir,
        env: hookEnv(p.home),
      })) as { stdout: string };
      expect(stdout).toContain('Made through the plugin');
      expect(serverLog(p.home).includes('stdio server started')).toBe(!monitor);
    });
});

describe('the plugin bridge with its monitor running', () => {
  beforeEach(() => {
    route = ROUTES[0];
  });

  it("hands over to node's bridge with the handshake perl kept: a server of the session's own answers from there", async () => {
    const p = project();
    await p.cli(['monitor', 'start']);
    cleanups.push(() => p.cli(['monitor', 'stop']));
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'mcp-bridge.js'), `--take-over=${HANDSHAKE}`], {
      cwd: p.dir,
      env: hookEnv(p.home),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    cleanups.push(() => child.kill());
    child.stdin.end(rpcLine(2, 'tools/list'));
    let out = '';
    for await (const chunk of child.stdout) out += String(chunk);
    // The answer to the kept initialize was Claude Code's already, from the monitor: only the new request's is sent.
    const answers = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result: { tools: unknown[] } });
    expect(answers.map((a) => a.id)).toEqual([2]);
    expect(answers[0]?.result.tools.length).toBeGreaterThan(0);
    // Not the monitor, though one runs: the one that went away is what the handover is for.
    await waitFor('the handover in server.log', () => serverLog(p.home).includes('stdio server started'));
  });

  it('starts no node: perl joins the session to the socket, and the push guard holds there', async () => {
    const p = project();
    await p.cli(['monitor', 'start']);
    cleanups.push(() => p.cli(['monitor', 'stop']));
    const node = countingNode();
    const client = await bridge(p.home, p.dir, 's1', { PATH: node.path });
    const push = await preToolUse(client, p.dir, 'Bash', { command: 'git push origin main' });
    expect(push.decision).toBe('deny');
    expect(node.runs()).toEqual([]);
  });
});
