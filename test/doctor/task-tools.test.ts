// doctor's task tools rows, one per agent: `taskhooks doctor` in process in a temp world, the real monitor started
// (a process of its own) where a row checks its store server. Each row reads the agent's user file whatever the scope of its hooks, names the
// entry it finds, and fails with the one-line fix where a session would get no tools.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentInstallations } from '../../src/doctor/agent-hooks.js';
import { makeWorld, REPO, type World } from '../install/cli.js';

let w: World;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  w = makeWorld();
  env = {
    CODEX_HOME: path.join(w.root, 'codex'),
    QWEN_HOME: path.join(w.root, 'qwen'),
    COPILOT_HOME: path.join(w.root, 'copilot'),
  };
});
afterEach(() => {
  if (existsSync(path.join(w.thHome, 'monitor.pid'))) w.run(['monitor', 'stop']);
  w.cleanup();
});

const AGENTS = ['codex', 'gemini', 'qwen', 'copilot', 'opencode'] as const;
const LABELS = {
  codex: 'Codex',
  gemini: 'Gemini CLI',
  qwen: 'Qwen Code',
  copilot: 'Copilot CLI',
  opencode: 'OpenCode',
};
const userFiles = () => ({
  codex: path.join(String(env.CODEX_HOME), 'config.toml'),
  gemini: path.join(w.home, '.gemini', 'settings.json'),
  qwen: path.join(String(env.QWEN_HOME), 'settings.json'),
  copilot: path.join(String(env.COPILOT_HOME), 'mcp-config.json'),
  opencode: path.join(w.home, '.config', 'opencode', 'opencode.json'),
});

/** doctor's output: each row a line, its fix (if any) on the lines after it. */
const doctor = async (): Promise<string> => (await w.runHere(['doctor'], { env })).stdout;
const row = (out: string, name: string): string => out.split('\n').find((l) => l.includes(` ${name} `)) ?? '';

async function installAll(): Promise<number> {
  for (const agent of ['claude', ...AGENTS])
    expect((await w.runHere(['install', '--agent', agent], { env })).code).toBe(0);
  const url = /url = "http:\/\/127\.0\.0\.1:(\d+)\/mcp"/.exec(readFileSync(userFiles().codex, 'utf8'));
  return Number(url?.[1]);
}

describe('the task tools rows', () => {
  it('passes for each agent after a default install with the monitor up, naming the store port it answers on', async () => {
    expect(w.run(['monitor', 'start'], { env }).code).toBe(0);
    const port = await installAll();
    expect(port).toBeGreaterThan(0);
    const out = await doctor();
    const served = new RegExp(
      `^✓ .*http entry to the store server on port ${port} .*answers a session's token with \\d+ tools`,
    );
    expect(row(out, 'task tools')).toMatch(/Claude Code task tools/);
    expect(row(out, 'Claude Code task tools')).toMatch(served);
    for (const agent of AGENTS) {
      const line = row(out, `${LABELS[agent]} task tools`);
      expect(line).toMatch(served);
      expect(line).toContain(userFiles()[agent]);
      expect(line).not.toContain('dist/cli.js');
    }
  });

  it("names an earlier install's headersHelper on Claude Code's entry, still its own, with the fix that drops it", async () => {
    expect(w.run(['monitor', 'start'], { env }).code).toBe(0);
    expect((await w.runHere(['install'], { env })).code).toBe(0);
    const file = path.join(w.home, '.claude.json');
    const value = JSON.parse(readFileSync(file, 'utf8'));
    value.projects[w.project].mcpServers.taskhooks.headersHelper = `perl ${REPO}/hooks/store-guard.pl`;
    writeFileSync(file, JSON.stringify(value));
    const line = row(await doctor(), 'Claude Code task tools');
    expect(line).toMatch(/^✓ .*answers a session's token/);
    expect(line).toContain(
      "its headersHelper, an earlier install's, runs before each connection (`taskhooks install` drops it)",
    );
  });

  it('fails with the fix where an entry carries an old token or names a port the store server left', async () => {
    expect(w.run(['monitor', 'start'], { env }).code).toBe(0);
    const port = await installAll();
    const files = userFiles();
    const gemini = readFileSync(files.gemini, 'utf8');
    writeFileSync(files.gemini, gemini.replace(/Bearer [^"]+/, 'Bearer stale'));
    writeFileSync(files.codex, readFileSync(files.codex, 'utf8').replace(`:${port}/mcp`, `:${port + 1}/mcp`));
    const out = await doctor();
    const lines = out.split('\n');
    const at = (name: string) => lines.findIndex((l) => l.includes(` ${name} `));
    const gem = at('Gemini CLI task tools');
    expect(lines[gem]).toMatch(/^✗ .*names 127\.0\.0\.1:\d+ with an old token: sessions get no task tools/);
    expect(lines[gem + 1]).toContain('`taskhooks install --agent gemini`');
    const codex = at('Codex task tools');
    expect(lines[codex]).toContain(
      `names 127.0.0.1:${port + 1}, where the store server no longer serves (it serves ${port})`,
    );
    expect(lines[codex + 1]).toContain('`taskhooks install --agent codex`');
    // The others still pass: one stale file fails its own agent's row only.
    expect(row(out, 'Qwen Code task tools')).toMatch(/^✓/);
    // The one-line fix works: install writes the current entry again.
    expect((await w.runHere(['install', '--agent', 'gemini'], { env })).code).toBe(0);
    expect(row(await doctor(), 'Gemini CLI task tools')).toMatch(/^✓ .*answers a session's token/);
  });

  it('says so for a stdio entry, where the config serves no store server', async () => {
    writeFileSync(path.join(w.thHome, 'config.json'), JSON.stringify({ monitor: { storeServerPort: 0 } }));
    expect((await w.runHere(['install', '--agent', 'qwen'], { env })).code).toBe(0);
    expect(row(await doctor(), 'Qwen Code task tools')).toMatch(
      /^✓ Qwen Code task tools .*stdio, this machine's paths: mcpServers\.taskhooks in .*qwen\/settings\.json starts `taskhooks mcp`/,
    );
  });

  it('counts a user file holding only the server as no installation, and says the monitor is not running', async () => {
    expect((await w.runHere(['install', '--agent', 'gemini'], { env })).code).toBe(0);
    expect(readFileSync(userFiles().gemini, 'utf8')).toContain('"taskhooks"');
    expect((await w.runHere(['install', '--agent', 'opencode'], { env })).code).toBe(0);
    expect(readFileSync(userFiles().opencode, 'utf8')).toContain('"remote"');
    const installed = agentInstallations(w.project, { ...w.env, ...env });
    expect(installed.map((a) => [a.agent.id, a.scope])).toEqual([
      ['gemini', 'project'],
      ['opencode', 'project'],
    ]);
    const out = await doctor();
    expect(row(out, 'Gemini CLI hooks')).not.toContain(userFiles().gemini);
    expect(row(out, 'Gemini CLI task tools')).toMatch(
      /^✓ .*http entry .*the monitor is not running, so the next session/,
    );
    expect(row(out, 'OpenCode task tools')).toMatch(
      /^✓ .*http entry to the store server on port \d+ \(mcp\.taskhooks in .*opencode\.json\); the monitor is not running/,
    );
  });

  it('fails, naming what it runs, where the user file holds a server taskhooks did not write or one gone since', async () => {
    expect((await w.runHere(['install', '--agent', 'codex'], { env })).code).toBe(0);
    const file = userFiles().codex;
    writeFileSync(
      file,
      '# mine\n[mcp_servers.taskhooks]\ncommand = "/nowhere/node"\nargs = ["/gone/dist/cli.js", "mcp"]\n',
    );
    expect(row(await doctor(), 'Codex task tools')).toContain(
      `[mcp_servers.taskhooks] of ${file}: it runs /nowhere/node /gone/dist/cli.js mcp: another taskhooks or node than this one`,
    );
    // A look-alike naming this taskhooks' CLI through another program is not its own either.
    writeFileSync(file, `[mcp_servers.taskhooks]\ncommand = "/outside/evil"\nargs = ["${REPO}/dist/cli.js", "mcp"]\n`);
    expect(row(await doctor(), 'Codex task tools')).toMatch(/^✗ .*another taskhooks or node than this one/);
    writeFileSync(file, 'model = \n');
    expect(row(await doctor(), 'Codex task tools')).toMatch(new RegExp(`^✗ .*${file.replace(/[.]/g, '\\.')}:1:`));
  });
});
