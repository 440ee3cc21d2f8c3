// `taskhooks doctor` as a user runs it, against a real reference server and a dead URL: in process, but for the
// monitor, which owns a process, and the exit code of a failed doctor as the shell sees it.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findHookInstallation } from '../../src/doctor/hooks-installed.js';
import { toolCallRoute } from '../../src/doctor/tool-route.js';
import { runBuiltCli, runCli } from '../helpers/cli.js';
import { refusedUrl } from '../helpers/fault-server.js';
import { git } from '../helpers/git.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';

const root = path.resolve(import.meta.dirname, '../..');
let server: ReferenceServer;
let dir: string;
let project: string;

interface Report {
  ok: boolean;
  steps: Array<{ name: string; ok: boolean; ms: number; detail: string; fix?: string }>;
}

async function doctor(
  env: Record<string, string>,
  json = true,
  runner = runCli,
): Promise<{ code: number | null; stdout: string }> {
  const full = { ...process.env, TASKHOOKS_HOME: path.join(dir, 'home'), HOME: dir, NO_COLOR: '1', ...env };
  return runner(['doctor', ...(json ? ['--json'] : [])], { cwd: project, env: full });
}

beforeAll(async () => {
  server = await startReferenceServer({
    seed: (db) => {
      const p = db.createProject({ name: 'webapp' });
      db.createTask({
        projectId: p.id,
        gitBranchId: db.createBranch({ projectId: p.id, name: 'main' }).id,
        title: 'One task',
      });
    },
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'th-doctor-'));
  project = path.join(dir, 'webapp');
  mkdirSync(project);
  git(project, 'init', '-q', '-b', 'main');
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('passes every step against a working server with the hooks installed', async () => {
  const hook = (script: string) => ({
    hooks: [{ type: 'command', command: `"${process.execPath}" "${root}/dist/hooks/${script}"`, timeout: 5 }],
  });
  mkdirSync(path.join(project, '.claude'), { recursive: true });
  writeFileSync(
    path.join(project, '.claude', 'settings.json'),
    JSON.stringify({ hooks: { SessionStart: [hook('session-start.js')], PreToolUse: [hook('pre-tool-use.js')] } }),
  );
  const { code, stdout } = await doctor({ MCP_SERVER_URL: server.url, MCP_API_TOKEN: server.token });
  const report = JSON.parse(stdout) as Report;
  expect(report.steps.map((s) => s.name)).toEqual([
    'config',
    'project files',
    'git',
    'sqlite',
    'state dir and cache',
    'auth',
    'reachability',
    'adapter tools',
    'pending tasks',
    'pushed changes',
    'monitor',
    'Claude Code hooks',
  ]);
  expect(report.steps.filter((s) => !s.ok)).toEqual([]);
  expect(code).toBe(0);
  expect(report.steps.find((s) => s.name === 'pending tasks')?.detail).toMatch(/^1 pending for webapp@main/);
  // The settings file install would write is the one untracked file.
  expect(report.steps.find((s) => s.name === 'git')?.detail).toBe('main: 0 staged, 0 modified, 1 untracked');
  expect(stdout).not.toContain(server.token);
});

it('says how tool calls reach taskhooks and who answers them, and fails with the fix when the monitor is down', async () => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'th-doctor-route-'));
  const env = { ...process.env, TASKHOOKS_HOME: path.join(other, 'th'), HOME: other, NO_COLOR: '1' };
  const opts = { cwd: other, env: { ...env, TASKHOOKS_NO_AUTOSTART: '1' } };
  // The monitor owns a process: it starts and stops as the built CLI; install and doctor run here.
  const cli = (args: string[]) => (args[0] === 'monitor' ? runBuiltCli : runCli)(args, opts);
  try {
    git(other, 'init', '-q', '-b', 'main');
    // The home is the repository here: its settings, which hold the hook token, must be kept out of it.
    writeFileSync(path.join(other, '.git', 'info', 'exclude'), '/.claude/settings.json\n');
    const routeStep = async () =>
      (JSON.parse((await cli(['doctor', '--json'])).stdout) as Report).steps.find(
        (s) => s.name === 'Claude Code hooks',
      );
    await cli(['install', '--transport', 'command']);
    expect((await routeStep())?.detail).toMatch(/\ntool calls: commands: a node process per tool call/);
    await cli(['install', '--transport', 'mcp']);
    expect((await routeStep())?.detail).toMatch(
      /\ntool calls: through taskhooks mcp of \.mcp\.json.*the route of an earlier version/,
    );
    await cli(['install']);
    expect(await routeStep()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('the tool-call hooks post to the monitor, which is not running'),
      fix: 'start it: `taskhooks monitor start`',
    });
    await cli(['monitor', 'start']);
    const info = JSON.parse(readFileSync(path.join(other, 'th', 'monitor.json'), 'utf8')) as {
      pid: number;
      hookPort: number;
    };
    expect(await routeStep()).toMatchObject({
      ok: true,
      detail: expect.stringContaining(`posted to the monitor (pid ${info.pid}, 127.0.0.1:${info.hookPort}`),
    });
    const infoFile = path.join(other, 'th', 'monitor.json');
    const published = readFileSync(infoFile, 'utf8');
    // Another process held the port the hooks name, so the monitor answers on another one.
    writeFileSync(infoFile, JSON.stringify({ ...info, hookPort: info.hookPort + 2, hookPortHeld: info.hookPort }));
    expect(await routeStep()).toMatchObject({
      ok: false,
      detail: expect.stringContaining(
        `post to 127.0.0.1:${info.hookPort}, where the monitor does not listen (it serves ${info.hookPort + 2}: another process holds ${info.hookPort})`,
      ),
      fix: 'point them at the monitor: `taskhooks install` in this project, then restart its sessions',
    });
    // A monitor left running from an older version is named, with the restart that fixes it.
    writeFileSync(infoFile, JSON.stringify({ ...JSON.parse(published), version: '0.0.1' }));
    expect(await routeStep()).toMatchObject({
      ok: false,
      detail: expect.stringContaining(`(pid ${info.pid}) runs taskhooks 0.0.1, where this command is`),
      fix: "`taskhooks monitor start` replaces it with this build's",
    });
    writeFileSync(infoFile, published);
    // A guard turned on after install: the entries written without one let calls by until install writes them again.
    mkdirSync(path.join(other, '.claude'), { recursive: true });
    writeFileSync(
      path.join(other, '.claude', 'taskhooks.json'),
      JSON.stringify({ hooks: { guards: { protectedBranches: ['main'] } } }),
    );
    expect(await routeStep()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('a guard is on, but PreToolUse in'),
      fix: 'write the guarded entries: `taskhooks install` in this project, then restart its sessions',
    });
    await cli(['install']);
    expect(await routeStep()).toMatchObject({ ok: true, detail: expect.stringContaining('posted to the monitor') });
  } finally {
    await cli(['monitor', 'stop']);
    rmSync(other, { recursive: true, force: true });
  }
});

it("says the plugin's bridge joins its user's monitor over mcp.sock, and what answers while none does", async () => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'th-doctor-plugin-'));
  const th = path.join(other, 'th');
  const env = { ...process.env, TASKHOOKS_HOME: th, HOME: other, NO_COLOR: '1', TASKHOOKS_NO_AUTOSTART: '1' };
  const cli = async (args: string[]) =>
    (await (args[0] === 'monitor' ? runBuiltCli : runCli)(args, { cwd: other, env })).stdout;
  const routeStep = async () =>
    (JSON.parse(await cli(['doctor', '--json'])) as Report).steps.find((s) => s.name === 'Claude Code hooks');
  try {
    git(other, 'init', '-q', '-b', 'main');
    mkdirSync(path.join(other, '.claude'));
    writeFileSync(
      path.join(other, '.claude', 'settings.json'),
      JSON.stringify({ enabledPlugins: { 'taskhooks@taskhooks': true } }),
    );
    const socket = path.join(th, 'mcp.sock');
    expect(await routeStep()).toMatchObject({
      ok: true,
      detail: expect.stringContaining(`joins its sessions to the monitor over ${socket}, where none answers`),
    });
    await cli(['monitor', 'start']);
    const { pid } = JSON.parse(readFileSync(path.join(th, 'monitor.json'), 'utf8')) as { pid: number };
    expect(await routeStep()).toMatchObject({
      ok: true,
      detail: expect.stringMatching(
        new RegExp(
          `^the taskhooks plugin: taskhooks' own, registered once\\ntool calls: the plugin's bridge joins its sessions to the monitor over ${socket} \\(pid ${pid}\\): no server`,
        ),
      ),
    });
  } finally {
    await cli(['monitor', 'stop']);
    rmSync(other, { recursive: true, force: true });
  }
});

it('fails with a fix and a non-zero exit when the server is down', async () => {
  const url = await refusedUrl();
  const { code, stdout } = await doctor({ MCP_SERVER_URL: url, MCP_API_TOKEN: server.token }, false, runBuiltCli);
  expect(code).toBe(1);
  expect(stdout).toMatch(/✓ config/);
  expect(stdout).toContain(`✗ reachability`);
  expect(stdout).toContain(`Task source unavailable: connection refused at ${url}`);
  expect(stdout).toMatch(/fix: start the task server/);
  expect(stdout).not.toContain(server.token);
});

it('names a settings file it cannot parse instead of reporting the hooks as simply missing', () => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'th-doctor-settings-'));
  try {
    mkdirSync(path.join(other, '.claude'), { recursive: true });
    writeFileSync(path.join(other, '.claude', 'settings.json'), '{"hooks": {');
    const found = findHookInstallation(other, other);
    expect(found.missing).toEqual(['session-start.js', 'pre-tool-use.js']);
    expect(found.unreadable).toHaveLength(1);
    expect(found.unreadable[0]).toMatch(new RegExp(`^${path.join(other, '.claude', 'settings.json')}: not valid JSON`));
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

it('names a PostToolUse entry an earlier install wrote for every tool call, and the re-install that narrows it', () => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'th-doctor-matcher-'));
  const file = path.join(other, '.claude', 'settings.json');
  const entry = (matcher: string) => ({
    hooks: {
      SessionStart: [{ hooks: [{ type: 'command', command: 'node "/opt/taskhooks/dist/hooks/session-start.js"' }] }],
      PostToolUse: [
        { matcher, hooks: [{ type: 'command', command: 'node "/opt/taskhooks/dist/hooks/post-tool-use.js"' }] },
      ],
    },
  });
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(entry('')));
    const route = () => toolCallRoute(other, { home: path.join(other, 'th'), homeDir: other, guarded: false });
    expect(route()).toMatch(/^commands: a node process per tool call/);
    expect(route()).toContain(
      `; PostToolUse in ${file} matches "", as an earlier version wrote it (one hook more on every tool call): \`taskhooks install\` narrows it to \`mcp__.*\``,
    );
    writeFileSync(file, JSON.stringify(entry('mcp__.*')));
    expect(route()).not.toContain('PostToolUse');
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

it('finds every registration of the hooks: two settings files, or a settings file beside the enabled plugin', () => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'th-doctor-twice-'));
  const home = path.join(other, 'home');
  const project = path.join(other, 'shop');
  try {
    const hooks = {
      SessionStart: [{ hooks: [{ type: 'command', command: 'node "/opt/taskhooks/dist/hooks/session-start.js"' }] }],
    };
    for (const dir of [home, project]) mkdirSync(path.join(dir, '.claude'), { recursive: true });
    writeFileSync(path.join(project, '.claude', 'settings.json'), JSON.stringify({ hooks }));
    writeFileSync(path.join(home, '.claude', 'settings.json'), JSON.stringify({ hooks }));
    expect(findHookInstallation(project, home).registrations).toEqual([
      path.join(project, '.claude', 'settings.json'),
      path.join(home, '.claude', 'settings.json'),
    ]);
    writeFileSync(
      path.join(home, '.claude', 'settings.json'),
      JSON.stringify({ enabledPlugins: { 'taskhooks@taskhooks': true } }),
    );
    expect(findHookInstallation(project, home)).toMatchObject({
      registrations: [path.join(project, '.claude', 'settings.json')],
      plugin: path.join(home, '.claude', 'settings.json'),
    });
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

it('says in one line when a config file holding a secret is readable by others, with the chmod that fixes it', async () => {
  const home = path.join(dir, 'home');
  const userConfig = path.join(home, 'config.json');
  const mcpJson = path.join(project, '.mcp.json');
  mkdirSync(home, { recursive: true });
  writeFileSync(userConfig, JSON.stringify({ source: { servers: [server.url] }, auth: { token: server.token } }), {
    mode: 0o644,
  });
  chmodSync(userConfig, 0o644);
  // Only names an environment variable: nothing secret in the file itself.
  writeFileSync(
    mcpJson,
    JSON.stringify({
      mcpServers: { tasks: { type: 'http', url: server.url, headers: { Authorization: 'Bearer ${TASKS_TOKEN}' } } },
    }),
  );
  chmodSync(mcpJson, 0o644);
  try {
    const exposed = await doctor({}, false);
    expect(exposed.code).toBe(1);
    const lines = exposed.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('✗ secret files'));
    expect(lines[at]).toContain(`${userConfig} (mode 644) holds a secret and is readable by other users`);
    expect(lines[at]).not.toContain('.mcp.json');
    expect(lines[at + 1]?.trim()).toBe(`fix: chmod 600 "${userConfig}"`);
    expect(exposed.stdout).not.toContain(server.token);

    chmodSync(userConfig, 0o600);
    const report = JSON.parse((await doctor({})).stdout) as Report;
    expect(report.steps.map((s) => s.name)).not.toContain('secret files');
    expect(report.steps.find((s) => s.name === 'pending tasks')?.ok).toBe(true);
  } finally {
    rmSync(userConfig, { force: true });
    rmSync(mcpJson, { force: true });
  }
});

it("shows each of serve's configured tokens with its scope, never the token", async () => {
  const home = path.join(dir, 'home');
  const userConfig = path.join(home, 'config.json');
  const shopToken = 'shop-token-0123456789abcdefghijklmnopq';
  const allToken = 'all-token-0123456789abcdefghijklmnopqr';
  mkdirSync(home, { recursive: true });
  writeFileSync(
    userConfig,
    JSON.stringify({
      source: { servers: [server.url] },
      auth: { token: server.token },
      server: {
        tokens: [
          { principal: 'dana', token: shopToken, tools: ['read'], projects: ['shop', 'kiosk'] },
          { principal: 'ops', token: allToken },
        ],
      },
    }),
    { mode: 0o600 },
  );
  try {
    const { stdout } = await doctor({});
    const report = JSON.parse(stdout) as Report;
    expect(report.steps.find((s) => s.name === 'server tokens')).toMatchObject({
      ok: true,
      detail: 'principal "dana", tools read, projects shop, kiosk; principal "ops", every project',
    });
    expect(stdout).not.toContain(shopToken);
    expect(stdout).not.toContain(allToken);
  } finally {
    rmSync(userConfig, { force: true });
  }
});
