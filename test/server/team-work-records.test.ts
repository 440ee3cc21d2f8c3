// Work records on a team's server: a session of home A, whose tasks live on `taskhooks serve` (the built CLI) over a
// real PostgreSQL, ends holding a task; its record reaches the server and is kept in PostgreSQL; a session of home B
// (a teammate's clone of the project) is told of it at its start, and `tasks show` on B lists it. Secrets in its
// closing words never leave A, and a read-only token reads records but writes none.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOut, runCli } from '../helpers/cli.js';
import { git, makeRepo } from '../helpers/git.js';
import {
  hookEnv,
  preToolUseInput,
  ROOMY_DEADLINES,
  ROOMY_SOURCE_TIMEOUT_MS,
  runHookHere,
  sessionStartInput,
  tempHome,
  unmarked,
} from '../helpers/hooks.js';
import { postgresForFile } from '../helpers/postgres.js';
import { postToolCall, projectWithMain, startServe, type ServeProcess } from '../helpers/serve.js';

const TOKEN = 'team-work-token-0123456789abcdefghijklmnop';
const READER = 'team-read-token-0123456789abcdefghijklmnop';
/** A GitHub token's shape: closing words that quote one send none of it. */
const SECRET = `ghp_${'a1B2c3D4e5'.repeat(3)}xyzXYZ`;
const pgServer = postgresForFile();
const cleanups: Array<() => unknown> = [];
let serve: ServeProcess;
let database: string;
let taskId: string;

const config = (url: string) => ({
  source: { servers: [url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
  auth: { token: TOKEN },
  hooks: ROOMY_DEADLINES,
});

beforeAll(async () => {
  database = await pgServer.createDatabase();
  const serveHome = tempHome({ server: { tokens: [{ principal: 'reader', token: READER, tools: ['read'] }] } });
  cleanups.push(serveHome.cleanup);
  serve = await startServe(serveHome.home, ['--database', database, '--token', TOKEN]);
  const branch = await projectWithMain(serve.url, TOKEN, 'demo');
  const made = await postToolCall(serve.url, TOKEN, 'manage_task', {
    action: 'create',
    git_branch_id: branch,
    title: 'Retry refunds',
  });
  taskId = made.data.task.id;
  await postToolCall(serve.url, TOKEN, 'manage_task', { action: 'update', task_id: taskId, status: 'in_progress' });
}, 180_000);
afterAll(async () => {
  await serve?.kill('SIGTERM');
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A transcript whose last assistant message is `words`, as Claude Code writes one. */
function transcript(dir: string, words: string): string {
  const file = path.join(dir, 'transcript.jsonl');
  const line = (type: string, content: unknown) => `${JSON.stringify({ type, message: { role: type, content } })}\n`;
  writeFileSync(file, line('user', 'hi'));
  appendFileSync(file, line('assistant', [{ type: 'text', text: words }]));
  return file;
}

async function rowsInPostgres(): Promise<Array<{ task_id: string; session_id: string; closing_words: string }>> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    return (await client.query('SELECT task_id, session_id, closing_words, commits FROM work_records')).rows;
  } finally {
    await client.end();
  }
}

describe('work records through taskhooks serve', () => {
  it("reach the server from A's SessionEnd, and B's next session and `tasks show` on B hear of them", async () => {
    const a = tempHome(config(serve.url));
    const repo = makeRepo({ name: 'demo', commits: ['initial commit'] });
    cleanups.push(a.cleanup, repo.cleanup);
    const onA = { home: a.home, cwd: repo.dir };
    await runHookHere('session-start', sessionStartInput(repo.dir, 'session-a'), onA);
    await runHookHere('pre-tool-use', preToolUseInput(repo.dir, 'Edit', { file_path: 'refund.ts' }, 'session-a'), onA);
    repo.commit('Retry declined refunds once', 'refund.ts', 'retry();\n');
    const hash = git(repo.dir, 'rev-parse', '--short', 'HEAD').trim();
    writeFileSync(path.join(repo.dir, 'refund.txt'), 'notes\n');
    const words = `Left off: the refund webhook still fails. Token ${SECRET}`;
    const end = { session_id: 'session-a', cwd: repo.dir, hook_event_name: 'SessionEnd', reason: 'other' };
    await runHookHere('session-end', { ...end, transcript_path: transcript(a.home, words) }, onA);

    const rows = await rowsInPostgres();
    expect(rows).toMatchObject([{ task_id: taskId, session_id: 'session-a' }]);
    expect(rows[0]?.closing_words).toContain('Left off: the refund webhook still fails.');
    expect(JSON.stringify(rows)).not.toContain(SECRET);

    // A teammate: another home, a clone of the project, the same server.
    const b = tempHome(config(serve.url));
    const parent = mkdtempSync(path.join(os.tmpdir(), 'th-clone-'));
    cleanups.push(b.cleanup, () => rmSync(parent, { recursive: true, force: true }));
    const clone = path.join(parent, 'demo');
    git(parent, 'clone', '-q', repo.dir, clone);
    const start = await runHookHere('session-start', sessionStartInput(clone, 'session-b'), {
      home: b.home,
      cwd: clone,
    });
    const context = unmarked(start.output?.hookSpecificOutput.additionalContext ?? '');
    expect(context).toMatch(
      new RegExp(
        `^- Last session on ${taskId}, \\d+ s ago \\(Claude Code, branch main\\): committed ${hash} "Retry declined refunds once"; left refund.txt uncommitted; it ended: "Left off: the refund webhook still fails\\.`,
        'm',
      ),
    );
    expect(context).not.toContain(SECRET);

    const shown = await runCli(['tasks', 'show', taskId, '--json'], { cwd: clone, env: hookEnv(b.home) });
    expect(shown.code, shown.stderr).toBe(0);
    const task = jsonOut<{ workRecords: Array<Record<string, unknown>> }>(shown);
    expect(task.workRecords).toMatchObject([
      {
        sessionId: 'session-a',
        agent: 'Claude Code',
        branch: 'main',
        statusTo: 'in_progress',
        uncommitted: ['refund.txt'],
      },
    ]);
    const text = await runCli(['tasks', 'show', taskId], { cwd: clone, env: hookEnv(b.home) });
    expect(text.stdout).toContain('Retry declined refunds once');
  });

  it('a read-only token lists records and is refused a write; another project hears none', async () => {
    const listed = await postToolCall(serve.url, READER, 'manage_task', {
      action: 'list_work_records',
      project_id: 'demo',
      branch: 'main',
    });
    expect(listed.success).toBe(true);
    const refused = await postToolCall(serve.url, READER, 'manage_task', {
      action: 'add_work_record',
      task_id: taskId,
      project_id: 'demo',
      work_record: { session_id: 'x', started_at: '2026-11-27T09:00:00.000Z', ended_at: '2026-11-27T10:00:00.000Z' },
    });
    expect(JSON.parse(refused.toolError).error.code).toBe('PERMISSION_DENIED');
    await projectWithMain(serve.url, TOKEN, 'api');
    const other = await postToolCall(serve.url, TOKEN, 'manage_task', {
      action: 'list_work_records',
      project_id: 'api',
      branch: 'main',
      task_ids: [taskId],
    });
    expect(other.data.work_records).toEqual([]);
  });

  it('refuses a record that is not one, naming the field', async () => {
    const bad = await postToolCall(serve.url, TOKEN, 'manage_task', {
      action: 'add_work_record',
      task_id: taskId,
      project_id: 'demo',
      work_record: { session_id: 'x', started_at: 'yesterday', ended_at: '2026-11-27T10:00:00.000Z' },
    });
    expect(bad.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(bad.error.message).toContain('started_at');
  });
});
