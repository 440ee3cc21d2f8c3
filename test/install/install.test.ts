// The merge matrix of `taskhooks install`, run in process with the arguments a person would type.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { homeHookPort, homeStorePort } from '../../src/home/endpoint.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupsOf, makeWorld, REPO, stateBackupsOf, type World } from './cli.js';
import { hookTokenVar } from '../../src/home/hook-token-env.js';
import { MCP_SERVER_NAME, mcpToolHandler } from '../../src/hooks/hosts/mcp-tool-input.js';
import { ABSOLUTE_PATH_FIRST } from '../../src/install/writing/command-hook.js';

let w: World;

/** taskhooks' server in the project's local scope of the world's ~/.claude.json. */
function localServer(): { type: string; url: string; headers: Record<string, string> } {
  const claude = json(readFileSync(path.join(w.home, '.claude.json'), 'utf8'));
  return claude.projects[w.project].mcpServers.taskhooks;
}
beforeEach(() => {
  w = makeWorld();
});
afterEach(() => w.cleanup());

const json = (text: string): any => JSON.parse(text);

const USER_SETTINGS = `{
  "permissions": {
    "allow": ["Bash(npm test)"],
    "deny": ["Read(./.env)"]
  },
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [{ "type": "command", "command": "echo mine", "timeout": 3 }]
      }
    ],
    "Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }]
  },
  "model": "opus",
  "env": { "FOO": "bar" }
}
`;

describe('taskhooks install', () => {
  it('--transport mcp wires SessionStart a command, tool calls to taskhooks mcp of .mcp.json, approved locally', async () => {
    const r = await w.runHere(['install', '--transport', 'mcp']);
    expect(r.code, r.stderr).toBe(0);
    const settings = json(w.read('.claude/settings.local.json'));
    const start = settings.hooks.SessionStart[0];
    const pre = settings.hooks.PreToolUse[0];
    // A forked session is told its tasks too.
    expect(start.matcher).toBe('startup|resume|clear|compact|fork');
    expect(pre.matcher).toBe('Edit|Write|MultiEdit|NotebookEdit|Bash');
    expect(start.hooks[0]).toEqual({
      type: 'command',
      command: `"${process.execPath}" "${REPO}/dist/hooks/session-start.js"`,
      timeout: 35,
    });
    // The whole tool input goes to the tool: the push guard parses the full command.
    expect(pre.hooks[0]).toMatchObject({
      type: 'mcp_tool',
      server: 'taskhooks',
      tool: 'hook',
      input: { event: 'pre-tool-use', session_id: '${session_id}', cwd: '${cwd}', tool_input: '${tool_input}' },
      timeout: 5,
    });
    // After MCP tool calls only (where a task tool's answer is), and waited for: its news must land beside the tool
    // result, before the next model request; PostToolBatch tells it after the others.
    expect(settings.hooks.PostToolUse).toEqual([
      {
        matcher: 'mcp__.*',
        hooks: [
          {
            type: 'mcp_tool',
            server: 'taskhooks',
            tool: 'hook',
            input: expect.objectContaining({ event: 'post-tool-use', tool_response: '${tool_response}' }),
            timeout: 5,
          },
        ],
      },
    ]);
    expect(settings.enabledMcpjsonServers).toEqual(['taskhooks']);
    expect(json(w.read('.mcp.json'))).toEqual({
      mcpServers: { taskhooks: { type: 'stdio', command: process.execPath, args: [`${REPO}/dist/cli.js`, 'mcp'] } },
    });
    expect(backupsOf(path.join(w.project, '.claude/settings.local.json'))).toEqual([]);
    expect(r.stdout).toMatch(/settings\.local\.json\s+created/);
  });

  it("keeps the user's hooks, permissions and other keys exactly, in order, and backs the file up first", async () => {
    const file = w.write('.claude/settings.json', USER_SETTINGS);
    const r = await w.runHere(['install', '--scope', 'project']);
    expect(r.code, r.stderr).toBe(0);
    const before = json(USER_SETTINGS);
    const after = json(w.read('.claude/settings.json'));
    expect(Object.keys(after)).toEqual(['permissions', 'hooks', 'model', 'env']);
    expect(after.permissions).toEqual(before.permissions);
    expect(after.model).toBe('opus');
    expect(after.env).toEqual({ FOO: 'bar' });
    expect(Object.keys(after.hooks)).toEqual([
      'PreToolUse',
      'Stop',
      'PostToolBatch',
      'PostToolUse',
      'SessionEnd',
      'SessionStart',
      'SubagentStart',
      'UserPromptSubmit',
    ]);
    expect(after.hooks.PreToolUse[0]).toEqual(before.hooks.PreToolUse[0]);
    expect(after.hooks.PreToolUse).toHaveLength(2);
    // The user's Stop handlers stay first; the work record's entry (the project's server's hook tool: no process at a
    // turn's end) and the idle session's rewake watch follow them.
    expect(after.hooks.Stop.slice(0, -1)).toEqual(before.hooks.Stop);
    expect(after.hooks.Stop.at(-1)).toEqual({
      matcher: '',
      hooks: [
        mcpToolHandler({ name: 'turn-end', event: 'Stop', timeout: 5 }, MCP_SERVER_NAME),
        {
          type: 'command',
          command: `[ "$CLAUDE_CODE_SESSION_ATTENDED" = 0 ] || "${process.execPath}" "${REPO}/dist/cli.js" watch --rewake`,
          timeout: 86_400,
          asyncRewake: true,
        },
      ],
    });
    const backups = backupsOf(file);
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(file), backups[0] as string), 'utf8')).toBe(USER_SETTINGS);
  });

  it('changes nothing at all the second time: byte-identical, no new backup', async () => {
    const file = w.write('.claude/settings.json', USER_SETTINGS);
    expect((await w.runHere(['install', '--scope', 'project'])).code).toBe(0);
    const once = w.snapshot();
    const r = await w.runHere(['install', '--scope', 'project']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.snapshot()).toEqual(once);
    expect(backupsOf(file)).toHaveLength(1);
    expect(r.stdout).toContain('Already installed: nothing changed.');
  });

  it('replaces an older taskhooks entry in place instead of adding a second one', async () => {
    const old = json(USER_SETTINGS);
    old.hooks.SessionStart = [
      {
        matcher: 'startup',
        hooks: [{ type: 'command', command: 'node /old/place/dist/hooks/session-start.js', timeout: 10000 }],
      },
    ];
    w.write('.claude/settings.json', JSON.stringify(old, null, 2));
    expect((await w.runHere(['install', '--scope', 'project'])).code).toBe(0);
    const after = json(w.read('.claude/settings.json'));
    expect(after.hooks.SessionStart).toHaveLength(1);
    expect(after.hooks.SessionStart[0].hooks[0].command).toContain(`${REPO}/dist/hooks/session-start.js`);
    expect(after.hooks.SessionStart[0].hooks[0].timeout).toBe(35);
    const all = JSON.stringify(after);
    expect(all.match(/session-start\.js/g)).toHaveLength(1);
    expect(all.match(/"pre-tool-use"/g)).toHaveLength(1);
    expect(all.match(/"post-tool-use"/g)).toHaveLength(1);
  });

  it.each([
    ['the default (http)', []],
    ['--transport mcp', ['--transport', 'mcp']],
    ['--transport command', ['--transport', 'command']],
    ['--scope user', ['--scope', 'user', '--transport', 'command']],
  ])('%s: a re-install narrows an earlier PostToolUse entry for every tool to MCP tool calls', async (_, args) => {
    expect((await w.runHere(['install', ...args])).code).toBe(0);
    const file = args.includes('user')
      ? path.join(w.home, '.claude/settings.json')
      : path.join(w.project, '.claude/settings.local.json');
    // What an install before the narrower matcher wrote: the same entry, run after every tool call.
    const earlier = json(readFileSync(file, 'utf8'));
    earlier.hooks.PostToolUse[0].matcher = '';
    writeFileSync(file, JSON.stringify(earlier, null, 2));
    const r = await w.runHere(['install', ...args]);
    expect(r.code, r.stderr).toBe(0);
    const after = json(readFileSync(file, 'utf8'));
    expect(after.hooks.PostToolUse).toHaveLength(1);
    expect(after.hooks.PostToolUse[0].matcher).toBe('mcp__.*');
    expect(after.hooks.PostToolUse[0].hooks).toEqual(earlier.hooks.PostToolUse[0].hooks);
    expect(after.hooks.PostToolBatch[0].matcher).toBe('');
  });

  it('leaves a malformed settings file untouched and names the line and column', async () => {
    const bad = '{\n  "permissions": {\n    "allow": ["Bash(ls)",]\n  }\n}\n';
    const file = w.write('.claude/settings.json', bad);
    const r = await w.runHere(['install', '--scope', 'project']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/line 3, column \d+/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(bad);
    expect(backupsOf(file)).toEqual([]);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
  });

  it('refuses a read-only settings file with one clear line and writes nothing', async () => {
    // Tests run as root, where chmod 0444 does not stop writes: install honours the missing write bits itself,
    // so this checks the real refusal rather than the kernel's (test/install/apply.test.ts injects EACCES too).
    const file = w.write('.claude/settings.json', USER_SETTINGS);
    chmodSync(file, 0o444);
    const before = w.snapshot();
    const r = await w.runHere(['install', '--scope', 'project']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `taskhooks: ${file} is read-only (mode 0444); make it writable (chmod u+w) and run again — nothing was changed`,
    );
    expect(w.snapshot()).toEqual(before);
    expect(statSync(file).mode & 0o777).toBe(0o444);
  });

  it.each([
    ['project', '.claude/settings.json'],
    ['local', '.claude/settings.local.json'],
    ['user', 'HOME/.claude/settings.json'],
  ])('--scope %s writes its hooks to %s only', async (scope, rel) => {
    const r = await w.runHere(['install', '--scope', scope]);
    expect(r.code, r.stderr).toBe(0);
    const target = rel.startsWith('HOME/') ? path.join(w.home, rel.slice(5)) : path.join(w.project, rel);
    const candidates = [
      path.join(w.project, '.claude/settings.json'),
      path.join(w.project, '.claude/settings.local.json'),
      path.join(w.home, '.claude/settings.json'),
    ];
    const local = path.join(w.project, '.claude/settings.local.json');
    for (const c of candidates) {
      const wired = existsSync(c) && JSON.stringify(json(readFileSync(c, 'utf8'))).includes('"hooks"');
      expect(wired, c).toBe(c === target);
    }
    // A committed file takes no token: the project scope's hooks call `taskhooks mcp` of .mcp.json, approved in the
    // local settings; the local scope's task tools live in ~/.claude.json; user settings keep command hooks.
    if (scope === 'user') expect(existsSync(local)).toBe(false);
    else if (scope === 'project')
      expect(json(readFileSync(local, 'utf8')).enabledMcpjsonServers).toEqual(['taskhooks']);
    else expect(localServer()).toBeDefined();
    expect(json(readFileSync(target, 'utf8')).hooks.SessionStart).toHaveLength(1);
  });

  it('--dry-run prints the change and writes nothing', async () => {
    w.write('.claude/settings.json', USER_SETTINGS);
    const before = w.snapshot();
    const r = await w.runHere(['install', '--scope', 'project', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.snapshot()).toEqual(before);
    expect(existsSync(path.join(w.thHome, 'cache.db'))).toBe(false);
    expect(r.stdout).toContain(`update ${path.join(w.project, '.claude/settings.json')} (backup first)`);
    expect(r.stdout).toContain(`create ${path.join(w.project, '.mcp.json')}`);
    expect(r.stdout).toMatch(/^\s+\+\s+"matcher": "startup\|resume\|clear\|compact\|fork",$/m);
    expect(r.stdout).toMatch(/^\s+ {2}"model": "opus",$/m);
    expect(r.stdout).toContain('Dry run: nothing was written.');
  });

  it('--json reports the changes as data', async () => {
    const r = await w.runHere(['install', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({
      project: w.project,
      scope: 'local',
      transport: 'http',
      dryRun: false,
      registered: true,
    });
    // settings.local.json, the hook token in the person's own settings, and the task tools in their ~/.claude.json,
    // neither of which existed yet.
    expect(out.changes.map((c: { action: string }) => c.action)).toEqual(['create', 'create', 'create']);
  });

  it('says ~/.claude.json was created when it made it, updated when it was there, removed when uninstall empties it', async () => {
    const claudeJson = path.join(w.home, '.claude.json');
    const row = (stdout: string): string | undefined =>
      stdout.split('\n').find((l) => l.split(' — ')[0]?.endsWith(`  ${claudeJson}`));
    expect(row((await w.runHere(['install'])).stdout)).toMatch(/^created\b/);
    expect(row((await w.runHere(['uninstall'])).stdout)).toMatch(/^removed\b/);
    expect(existsSync(claudeJson)).toBe(false);
    writeFileSync(claudeJson, '{"numStartups": 3}\n');
    expect(row((await w.runHere(['install'])).stdout)).toMatch(/^updated\b/);
  });
});

describe('.mcp.json', () => {
  it("moves an earlier install's entry out of .mcp.json, keeping the user's servers, with a backup", async () => {
    const github = { type: 'http', url: 'https://example.com/mcp' };
    const earlier = {
      type: 'http',
      url: 'http://127.0.0.1:20001/mcp',
      headersHelper: `printf '{"Authorization":"Bearer %s"}' "$(cat '${path.join(w.thHome, 'hook-token')}')"`,
    };
    const file = w.write('.mcp.json', `${JSON.stringify({ mcpServers: { github, taskhooks: earlier } }, null, 2)}\n`);
    w.write('.claude/settings.local.json', JSON.stringify({ enabledMcpjsonServers: ['taskhooks', 'github'] }));
    const r = await w.runHere(['install']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(w.read('.mcp.json'))).toEqual({ mcpServers: { github } });
    expect(backupsOf(file)).toHaveLength(1);
    expect(json(w.read('.claude/settings.local.json')).enabledMcpjsonServers).toEqual(['github']);
    expect(r.stdout).toContain('moved the task tools out of');
    expect(localServer().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('leaves an entry git has committed, and says what to do', async () => {
    const earlier = { type: 'stdio', command: process.execPath, args: [`${REPO}/dist/cli.js`, 'mcp'] };
    const text = `${JSON.stringify({ mcpServers: { taskhooks: earlier } }, null, 2)}\n`;
    w.write('.mcp.json', text);
    const git = (args: string[]) => {
      const g = spawnSync('git', args, { cwd: w.project, env: { ...process.env, HOME: w.home }, encoding: 'utf8' });
      expect(g.status, g.stderr).toBe(0);
    };
    rmSync(path.join(w.project, '.git'), { recursive: true });
    git(['init', '-q']);
    git(['add', '.mcp.json']);
    git(['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'mcp']);
    const r = await w.runHere(['install']);
    expect(r.code, r.stderr).toBe(0);
    expect(w.read('.mcp.json')).toBe(text);
    expect(r.stdout).toContain('is committed with a "taskhooks" server of this machine');
  });

  it('refuses a server under its name that it did not write, naming it in one line, and writes nothing', async () => {
    const original = '{\n  "mcpServers": {\n    "taskhooks": { "command": "/outside/evil", "args": ["x"] }\n  }\n}\n';
    const file = w.write('.mcp.json', original);
    const before = w.snapshot();
    const r = await w.runHere(['install']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `${file}: mcpServers.taskhooks runs /outside/evil x, which taskhooks did not write; remove it or give it another name`,
    );
    // Nothing approves it either: settings.local.json is not written.
    expect(w.snapshot()).toEqual(before);
  });

  it("holds only the hooks' server with a remote source (--transport command or http: none); --server and --adapter go to .claude/taskhooks.json", async () => {
    w.write('.claude/taskhooks.json', '{\n  "log": { "level": "debug" }\n}\n');
    const args = ['--server', 'http://127.0.0.1:9/', '--adapter', 'agenthub'];
    expect((await w.runHere(['install', '--transport', 'command', ...args])).code).toBe(0);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
    expect((await w.runHere(['install', ...args])).code).toBe(0);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
    const r = await w.runHere(['install', '--transport', 'mcp', ...args]);
    expect(r.code, r.stderr).toBe(0);
    // The same entry: `taskhooks mcp` serves the store's tools only where the project uses the embedded store.
    expect(Object.keys(json(w.read('.mcp.json')).mcpServers)).toEqual(['taskhooks']);
    expect(json(w.read('.claude/taskhooks.json'))).toEqual({
      log: { level: 'debug' },
      source: { adapter: 'agenthub', servers: ['http://127.0.0.1:9/mcp'] },
    });
    expect(backupsOf(path.join(w.project, '.claude/taskhooks.json'))).toHaveLength(1);
  });

  it('rejects an unknown adapter before writing anything', async () => {
    const before = w.snapshot();
    const r = await w.runHere(['install', '--adapter', 'jira']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--adapter jira is not one of agenthub, tracker, taskmaster');
    expect(w.snapshot()).toEqual(before);
  });

  it('refuses the adapters that need settings it does not write (mcp, backlog), before writing anything', async () => {
    const before = w.snapshot();
    for (const adapter of ['mcp', 'backlog']) {
      const r = await w.runHere(['install', '--adapter', adapter, '--server', 'http://127.0.0.1:9/']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `--adapter ${adapter} is not one of agenthub, tracker, taskmaster; backlog and mcp take settings`,
      );
      expect(w.snapshot()).toEqual(before);
    }
  });
});

describe('--transport http', () => {
  it('is the default: the tool-call hooks post to the home’s own port with the token, SessionStart over its socket, 0600', async () => {
    const r = await w.runHere(['install']);
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(w.project, '.claude/settings.local.json');
    const settings = json(readFileSync(file, 'utf8'));
    const token = readFileSync(path.join(w.thHome, 'hook-token'), 'utf8').trim();
    const port = homeHookPort(w.thHome);
    // The project file names the token's variable; its value lives in the person's own settings, 0600.
    const tokenVar = hookTokenVar(w.thHome);
    const user = path.join(w.home, '.claude', 'settings.json');
    expect(json(readFileSync(user, 'utf8'))).toEqual({ env: { [tokenVar]: token } });
    expect(statSync(user).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    const served: Array<[string, string]> = [
      ['PostToolUse', 'post-tool-use'],
      ['PostToolBatch', 'post-tool-batch'],
      ['UserPromptSubmit', 'user-prompt-submit'],
      ['SubagentStart', 'subagent-start'],
    ];
    for (const [event, name] of served)
      expect(settings.hooks[event][0].hooks, event).toEqual([
        {
          type: 'http',
          url: `http://127.0.0.1:${port}/hooks/${name}`,
          headers: { 'X-Taskhooks-Token': `$${tokenVar}` },
          allowedEnvVars: [tokenVar],
          timeout: 5,
        },
      ]);
    // No guard: PreToolUse hears only Bash calls that name git; an edit's reminder comes after it, from PostToolBatch.
    expect(settings.hooks.PreToolUse).toEqual([
      {
        matcher: 'Bash',
        hooks: [
          {
            type: 'http',
            url: `http://127.0.0.1:${port}/hooks/pre-tool-use`,
            headers: { 'X-Taskhooks-Token': `$${tokenVar}` },
            allowedEnvVars: [tokenVar],
            timeout: 5,
            if: 'Bash(*git*)',
          },
        ],
      },
    ]);
    // The built-in store's task tools from the monitor's store server, for this person only: the project's local
    // scope of ~/.claude.json, with a static header any session sends (trusted folder or not) and nothing run before
    // a connection (the store server closes other users' connections itself); nothing in .mcp.json.
    const storeToken = readFileSync(path.join(w.thHome, 'store-token'), 'utf8').trim();
    expect(localServer()).toEqual({
      type: 'http',
      url: `http://127.0.0.1:${homeStorePort(w.thHome)}/mcp`,
      headers: { Authorization: `Bearer ${storeToken}` },
    });
    expect(storeToken).not.toBe(token);
    expect(statSync(path.join(w.home, '.claude.json')).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(w.project, '.mcp.json'))).toBe(false);
    expect(settings.enabledMcpjsonServers).toBeUndefined();
    expect(r.stdout).not.toContain(storeToken);
    const start = settings.hooks.SessionStart[0].hooks[0];
    // The shell becomes perl; where no monitor listens, perl hands the input to the node hook, which waits for the
    // one another session's hook is starting.
    const hook = `"${process.execPath}" "${REPO}/dist/hooks/session-start.js" --ask-monitor`;
    expect(start.command).toBe(
      `${ABSOLUTE_PATH_FIRST}command -v perl >/dev/null && exec perl "${REPO}/hooks/socket-post.pl" 0.3 "${path.join(w.thHome, 'monitor.sock')}" session-start "$PPID" -- ${hook}; exec ${hook}`,
    );
    expect(settings.hooks.SessionStart[0].hooks[0].type).toBe('command');
    // SessionEnd too, in the background: the monitor does the session's end, given longer, as nobody waits for it.
    const end = settings.hooks.SessionEnd[0].hooks[0];
    expect(end).toMatchObject({ type: 'command', async: true, timeout: 5 });
    expect(end.command).toContain(
      `exec perl "${REPO}/hooks/socket-post.pl" 3 "${path.join(w.thHome, 'monitor.sock')}" session-end "$PPID" -- `,
    );
    expect(end.command).toContain(`"${process.execPath}" "${REPO}/dist/hooks/session-end.js"`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(w.project, '.claude/settings.json'))).toBe(false);
    expect(r.stdout).not.toContain(token);
  });

  it("takes an earlier install's token out of the project file, its backup kept in the state directory", async () => {
    expect((await w.runHere(['install'])).code).toBe(0);
    const file = path.join(w.project, '.claude/settings.local.json');
    const token = readFileSync(path.join(w.thHome, 'hook-token'), 'utf8').trim();
    // As an earlier version wrote it: the token itself in every header, no variable.
    const earlier = readFileSync(file, 'utf8')
      .replaceAll(`"$${hookTokenVar(w.thHome)}"`, `"${token}"`)
      .replace(/,\s*"allowedEnvVars": \[\s*"[A-Z0-9_]+"\s*\]/g, '');
    writeFileSync(file, earlier);
    // Its backups sat beside the file, each with the token of its moment.
    writeFileSync(`${file}.taskhooks-backup-20260101T000000000Z`, earlier);
    rmSync(path.join(w.home, '.claude'), { recursive: true });
    const r = await w.runHere(['install']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(backupsOf(file)).toEqual([]);
    expect(stateBackupsOf(w, file)).toHaveLength(2);
    expect(r.stdout).toContain('moved 1 backup(s) of .claude/settings.local.json, which held the hook token');
    expect(readFileSync(path.join(w.home, '.claude', 'settings.json'), 'utf8')).toContain(token);
  });

  it("drops an earlier install's headersHelper from the task tools, ~/.claude.json backed up first", async () => {
    expect((await w.runHere(['install'])).code).toBe(0);
    const file = path.join(w.home, '.claude.json');
    const value = json(readFileSync(file, 'utf8'));
    // As an earlier install wrote it: perl run before every connection, to read who holds the port.
    const guard = `perl ${REPO}/hooks/store-guard.pl`;
    value.projects[w.project].mcpServers.taskhooks.headersHelper = guard;
    const earlier = `${JSON.stringify(value, null, 2)}\n`;
    writeFileSync(file, earlier);
    const r = await w.runHere(['install']);
    expect(r.code, r.stderr).toBe(0);
    expect(localServer()).not.toHaveProperty('headersHelper');
    expect(localServer().headers.Authorization).toBe(
      value.projects[w.project].mcpServers.taskhooks.headers.Authorization,
    );
    const backups = stateBackupsOf(w, file);
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(w.thHome, 'file-backups', backups[0] ?? ''), 'utf8')).toBe(earlier);
    // Uninstall knows the earlier shape as its own too.
    value.projects[w.project].mcpServers.taskhooks.headersHelper = guard;
    writeFileSync(file, JSON.stringify(value));
    expect((await w.runHere(['uninstall'])).code).toBe(0);
    expect(
      existsSync(file) ? json(readFileSync(file, 'utf8')).projects?.[w.project]?.mcpServers : undefined,
    ).toBeUndefined();
  });

  it('with a guard configured, PreToolUse refuses the calls it sees while the monitor cannot answer', async () => {
    w.write('.claude/taskhooks.json', JSON.stringify({ hooks: { guards: { protectedBranches: ['main'] } } }));
    expect((await w.runHere(['install'])).code).toBe(0);
    const settings = json(w.read('.claude/settings.local.json'));
    expect(settings.hooks.PreToolUse).toHaveLength(1);
    expect(settings.hooks.PreToolUse[0].matcher).toBe('Edit|Write|MultiEdit|NotebookEdit|Bash');
    expect(settings.hooks.PreToolUse[0].hooks[0]).toMatchObject({ type: 'http', onFailure: 'block' });
    expect(settings.hooks.PreToolUse[0].hooks[0].if).toBeUndefined();
    expect(settings.hooks.PostToolUse[0].hooks[0].onFailure).toBeUndefined();
  });

  it('makes an existing world-readable settings.local.json 0600 once it carries the token', async () => {
    const file = w.write('.claude/settings.local.json', '{"permissions": {"allow": []}}\n');
    chmodSync(file, 0o644);
    expect((await w.runHere(['install', '--transport', 'http'])).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(json(readFileSync(file, 'utf8')).permissions).toEqual({ allow: [] });

    // An earlier install left the token readable: a reinstall with nothing else to change still tightens it.
    chmodSync(file, 0o644);
    const again = await w.runHere(['install', '--transport', 'http']);
    expect(again.code, again.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never prints the token in a dry run', async () => {
    const r = await w.runHere(['install', '--transport', 'http', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const token = readFileSync(path.join(w.thHome, 'hook-token'), 'utf8').trim();
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).toContain(`"${hookTokenVar(w.thHome)}": "****${token.slice(-2)}"`);
  });

  it('refuses a committed or user-wide settings file', async () => {
    const r = await w.runHere(['install', '--transport', 'http', '--scope', 'project']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--transport http writes only the local settings file');
    expect(existsSync(path.join(w.project, '.claude'))).toBe(false);
  });

  it.each([
    ['command', 'command'],
    ['mcp', 'mcp_tool'],
  ])('switching to --transport %s replaces the http entry', async (transport, type) => {
    expect((await w.runHere(['install', '--transport', 'http'])).code).toBe(0);
    expect((await w.runHere(['install', '--transport', transport])).code).toBe(0);
    const settings = json(w.read('.claude/settings.local.json'));
    expect(settings.hooks.PreToolUse).toHaveLength(1);
    expect(settings.hooks.PreToolUse[0].hooks[0].type).toBe(type);
    expect(settings.hooks.PostToolUse).toHaveLength(1);
    expect(settings.hooks.PostToolUse[0].hooks[0]).toMatchObject({ type });
  });
});

// The built entries, as child processes: the rest runs the command's code in this process.
describe('dist/install.js', () => {
  it('is the same installer as `taskhooks install`', () => {
    const direct = spawnSync(
      process.execPath,
      [path.join(REPO, 'dist/install.js'), '--dry-run', '--scope', 'project'],
      {
        cwd: w.project,
        env: w.env,
        encoding: 'utf8',
      },
    );
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stdout).toBe(w.run(['install', '--dry-run', '--scope', 'project']).stdout);
  });
});
