// mcp-shrimp-task-manager as pinned in test/peers.json runs offline over stdio: it lists its tools, and tasks it is
// given land in DATA_DIR (a temp dir) and come back from list_tasks.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { peer } from '../helpers/peers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'th-shrimp-'));
const dataDir = path.join(dir, 'data');
const client = new Client({ name: 'taskhooks-test', version: '0.0.0' });

beforeAll(async () => {
  const env = { ...process.env, DATA_DIR: dataDir, ENABLE_GUI: 'false' } as Record<string, string>;
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [peer('mcp-shrimp-task-manager').entry],
      env,
      cwd: dir,
      stderr: 'pipe',
    }),
  );
});
afterAll(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = (result: Awaited<ReturnType<Client['callTool']>>): string =>
  (result.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('\n');

it('lists its task tools', async () => {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(
    expect.arrayContaining(['split_tasks', 'list_tasks', 'get_task_detail', 'update_task']),
  );
});

it('keeps the tasks it is given in DATA_DIR and lists them', async () => {
  const split = await client.callTool({
    name: 'split_tasks',
    arguments: {
      updateMode: 'clearAllTasks',
      tasksRaw: JSON.stringify([
        {
          name: 'Wire the importer',
          description: 'Read the vendor feed into the catalogue',
          implementationGuide: 'parse, map, store',
        },
      ]),
    },
  });
  expect(split.isError, text(split)).toBeFalsy();
  expect(readdirSync(dataDir)).toContain('tasks.json');
  expect(text(await client.callTool({ name: 'list_tasks', arguments: { status: 'all' } }))).toContain(
    'Wire the importer',
  );
});
