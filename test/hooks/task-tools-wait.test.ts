// A session whose agent started before the monitor (it was down: Claude Code's first try at the task tools found no
// server): SessionStart, run as the node hook beside the new monitor, waits until the store server has answered that
// session's own agent a tools/list, and tells the session when it has not. Another client's listing does not count:
// sessions started together each wait for their own. The test's own process stands for Claude Code (CLAUDE_PID).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { TOOLS_MISSING_LINE } from '../../src/hooks/events/session-start-tools.js';
import { makeRepo } from '../helpers/git.js';
import { ROOMY_DEADLINES, runHook, sessionStartInput } from '../helpers/hooks.js';
import { EARLIER_MCP_HEADERS, STATELESS_MCP_HEADERS } from '../helpers/mcp-headers.js';
import { perTest, waitFor } from '../monitor/helpers.js';

const t = perTest();

/** A home whose monitor just started, a project, and Claude Code's local-scope entry for it, as install writes it. */
async function world() {
  const m = t.home({ hooks: ROOMY_DEADLINES });
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  const url = (await waitFor('the store server', () => m.info()?.storeServerUrl)) ?? '';
  const token = readFileSync(path.join(m.home, 'store-token'), 'utf8').trim();
  const repo = makeRepo({ name: 'shop' });
  t.undo(repo.cleanup);
  const config = mkdtempSync(path.join(os.tmpdir(), 'th-claude-config-'));
  t.undo(() => rmSync(config, { recursive: true, force: true }));
  const entry = { type: 'http', url, headers: { Authorization: `Bearer ${token}` } };
  writeFileSync(
    path.join(config, '.claude.json'),
    JSON.stringify({ projects: { [repo.dir]: { mcpServers: { taskhooks: entry } } } }),
  );
  return { m, url, token, dir: repo.dir, env: { CLAUDE_CONFIG_DIR: config, CLAUDE_PID: String(process.pid) } };
}

const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
/**
 * The two ways a listing reaches the monitor: Claude Code's, the stateless revision, which it answers from the derived
 * listing; another agent's, the earlier revision, which a pooled server answers.
 */
const REVISIONS = {
  'the stateless revision (the derived listing)': STATELESS_MCP_HEADERS,
  'the earlier revision (a pooled server)': EARLIER_MCP_HEADERS,
};
const headers = (token: string, revision: Record<string, string> = STATELESS_MCP_HEADERS) => ({
  ...revision,
  authorization: `Bearer ${token}`,
});

/** Lists the tools from this process over a connection it keeps open, as Claude Code's client does. */
async function listFromHere(url: string, token: string, revision: Record<string, string>): Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  t.undo(() => agent.destroy());
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: headers(token, revision) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
  expect(status).toBe(200);
}

const context = (run: Awaited<ReturnType<typeof runHook>>): string =>
  run.output?.hookSpecificOutput.additionalContext ?? '';

it('tells the session when its own agent was not listed the tools, though another client was', async () => {
  const w = await world();
  // Another session's Claude Code, a process of its own, lists the tools.
  const other = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch(${JSON.stringify(w.url)},{method:'POST',headers:${JSON.stringify(headers(w.token))},body:${JSON.stringify(body)}}).then(r=>process.exit(r.status===200?0:1))`,
    ],
    { encoding: 'utf8' },
  );
  expect(other.status, other.stderr).toBe(0);

  const run = await runHook('session-start', sessionStartInput(w.dir), { home: w.m.home, cwd: w.dir, env: w.env });

  expect(run.code).toBe(0);
  expect(context(run)).toContain(TOOLS_MISSING_LINE);
});

it.each(Object.entries(REVISIONS))(
  'tells the session nothing of its tools once its own agent was listed them, in %s',
  async (_, revision) => {
    const w = await world();
    await listFromHere(w.url, w.token, revision);

    const run = await runHook('session-start', sessionStartInput(w.dir), { home: w.m.home, cwd: w.dir, env: w.env });

    expect(run.code).toBe(0);
    expect(context(run)).toContain('pending');
    expect(context(run)).not.toContain(TOOLS_MISSING_LINE);
  },
);
