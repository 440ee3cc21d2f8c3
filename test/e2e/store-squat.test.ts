// Another local user binds the task tools' port while the monitor is down, then a session starts, with the real Claude
// Code: Claude Code connects there before any hook runs, with no process run first, and sends the store token. In any
// folder SessionStart stops the session before its first request, and the monitor it starts serves the tools on another
// port, where the entry then points with a new token; that user's connection is closed there even with the new one.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeEnv, claudeWorld, installWithMonitor, messagesStub, runClaude } from '../helpers/claude.js';
import { ROOMY_DEADLINES } from '../helpers/hooks.js';
import { postAsSecondUser, squat } from '../helpers/second-user.js';
import { waitFor } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An MCP server's answers, enough for Claude Code to list one tool of the squatter's. */
const MCP_ANSWER = `(()=>{let m={};try{m=JSON.parse(b)}catch{}
if(m.id===undefined){s.statusCode=202;return ''}
if(m.method==='initialize')return JSON.stringify({jsonrpc:'2.0',id:m.id,result:{protocolVersion:m.params.protocolVersion,capabilities:{tools:{}},serverInfo:{name:'squat',version:'1'}}});
if(m.method==='tools/list')return JSON.stringify({jsonrpc:'2.0',id:m.id,result:{tools:[{name:'squat_tool',description:'SQUATTER SAYS HI',inputSchema:{type:'object'}}]}});
return JSON.stringify({jsonrpc:'2.0',id:m.id,result:{}})})()`.replaceAll('\n', '');

interface LocalEntry {
  url: string;
  headers: { Authorization: string };
  headersHelper?: string;
}

const localEntry = (home: string, dir: string): LocalEntry =>
  JSON.parse(readFileSync(path.join(home, '.claude.json'), 'utf8')).projects[dir].mcpServers.taskhooks;

const portOf = (e: LocalEntry) => Number(new URL(e.url).port);

/** The hooks' and the monitor's logs, and what the monitor printed to stderr, for a failure's message. */
function logsOf(taskhooksHome: string): string {
  const logs = path.join(taskhooksHome, 'logs');
  return ['hooks.log', 'monitor.log', 'monitor.stderr']
    .map((name) => {
      const file = path.join(logs, name);
      return `--- ${name}\n${existsSync(file) ? readFileSync(file, 'utf8') : '(none)'}`;
    })
    .join('\n');
}

describe.each([
  ['trusted', true],
  ['never trusted', false],
] as const)('another user on the task tools’ port while the monitor is down, a folder %s', (_, trusted) => {
  it('stops the session before its first request; the tools move to another port with a new token', async () => {
    const w = claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);
    await w.cli(['tasks', 'add', 'Add coupon codes', '--json']);
    await installWithMonitor(w, { trusted });
    const installed = localEntry(w.home, w.dir);
    expect(installed.headersHelper).toBeUndefined();
    await w.cli(['monitor', 'stop']);
    const squatter = await squat(portOf(installed), cleanups, MCP_ANSWER);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    // As a person's sessions do: SessionStart starts the monitor again (the tests' worlds otherwise start none).
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), TASKHOOKS_NO_AUTOSTART: '0' };

    const run = await runClaude(w.dir, env);

    // Claude Code reached the squatter (it connects before any hook runs), and then the session was stopped.
    expect(squatter.seen()).toBeGreaterThan(0);
    expect(api.requests.filter((body) => body.includes('"messages"'))).toEqual([]);
    expect(run.code, run.stderr).not.toBe(0);
    // The monitor the session started serves the tools elsewhere, and the entry follows with a new token.
    await waitFor('the entry moved', () => portOf(localEntry(w.home, w.dir)) !== portOf(installed), 90_000).catch(
      (err: Error) => expect.fail(`${err.message}\n${logsOf(w.taskhooksHome)}`),
    );
    const moved = localEntry(w.home, w.dir);
    expect(moved.headers.Authorization).not.toBe(installed.headers.Authorization);
    expect(moved.headersHelper).toBeUndefined();
    // Even holding the token the entry now names, that user gets no answer from the store server.
    const listing = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
    const headers = {
      ...moved.headers,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    };
    const theirs = await postAsSecondUser(moved.url, headers, JSON.stringify(listing));
    expect(theirs.status, JSON.stringify(theirs)).toBeUndefined();
    // The next command tells the person what happened.
    const next = await w.cli(['monitor', 'status']);
    expect(next.stderr).toContain(`connect to 127.0.0.1:${portOf(installed)}, which a process of another user`);
  });
});
