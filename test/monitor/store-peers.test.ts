// The store server serves this user's processes only: another local user holding the store token (sent to it by an
// agent while it held the store port, the monitor down) gets its connection closed unanswered, the same request of this
// user's is answered, and the monitor's log names the other user. No process runs before a connection for it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { NOBODY, postAsSecondUser } from '../helpers/second-user.js';
import { connectHttp } from '../server/client.js';
import { perTest, waitFor } from './helpers.js';

const t = perTest();

it("closes another user's connection though it carries the store token, and answers this user's", async () => {
  const m = t.home({});
  expect(m.cli(['monitor', 'start']).code).toBe(0);
  const url = await waitFor('the store server', () => m.info()?.storeServerUrl);
  const token = readFileSync(path.join(m.home, 'store-token'), 'utf8').trim();
  // A request the server would answer with the tools: it is never read.
  const accept = 'application/json, text/event-stream';
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: accept };
  const list = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
  const theirs = await postAsSecondUser(
    url,
    { ...headers, 'Mcp-Protocol-Version': '2026-07-28' },
    JSON.stringify(list),
  );
  expect(theirs.status, JSON.stringify(theirs)).toBeUndefined();
  expect(theirs.error).toBeDefined();

  const mine = await connectHttp(url, token);
  try {
    expect((await mine.listTools()).tools.map((tool) => tool.name)).toContain('add_task');
  } finally {
    await mine.close();
  }

  // The monitor's log is written in batches: the line may land after the answers.
  const closed = "closed a connection to the store server from another user's process";
  const monitorLog = () => readFileSync(path.join(m.home, 'logs', 'monitor.log'), 'utf8');
  const log = await waitFor(
    'the closed connection in the monitor log',
    () => monitorLog().includes(closed) && monitorLog(),
  );
  expect(log).toContain(`"uid":${NOBODY}`);
  expect(log).toContain(closed);
  expect(log).not.toContain(token);
});
