// A session's work record, through the hooks as Claude Code runs them: SessionStart notes where the session starts,
// the Edit reminder makes it hold the task in progress, SessionEnd writes what it committed, what it left uncommitted
// and its closing words into tasks.db, and the next SessionStart on the branch is told of it; another project is not.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTaskDb, type WorkRecord } from '../../../src/store/index.js';
import {
  demoProject,
  hookEnv,
  postToolUseInput,
  preToolUseInput,
  ROOMY_DEADLINES,
  runHook,
  runHookHere,
  sessionStartInput,
  unmarked,
  withHomeCache,
} from '../../helpers/hooks.js';
import { endSession } from '../../../src/cache/live-sessions.js';
import { git, makeRepo } from '../../helpers/git.js';
import { runCliOk } from '../../helpers/cli.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A GitHub token's shape: closing words that quote one keep none of it. */
const TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}xyzXYZ`;

/** The demo project with TASK-001 in progress on main in its home's tasks.db. */
function world(config: Record<string, unknown> = {}) {
  const project = demoProject({ config: { hooks: { ...ROOMY_DEADLINES, ...config } }, commits: ['initial commit'] });
  cleanups.push(project.cleanup);
  const db = openTaskDb(path.join(project.home, 'tasks.db'));
  try {
    const demo = db.ensureProject('demo');
    const t = db.createTask({
      projectId: demo.id,
      gitBranchId: db.ensureBranch(demo.id, 'main').id,
      title: 'Retry refunds',
    });
    db.setStatus({ projectId: demo.id, id: t.id }, 'in_progress');
    return { ...project, taskId: t.id, projectId: demo.id };
  } finally {
    db.close();
  }
}

/** A transcript whose last assistant message is `words`, as Claude Code writes one. */
function transcript(dir: string, words: string): string {
  const file = path.join(dir, 'transcript.jsonl');
  const line = (type: string, content: unknown) => `${JSON.stringify({ type, message: { role: type, content } })}\n`;
  writeFileSync(file, line('user', 'hi'));
  appendFileSync(file, line('assistant', [{ type: 'text', text: 'Working on it.' }]));
  appendFileSync(file, line('assistant', [{ type: 'text', text: words }]));
  return file;
}

type World = ReturnType<typeof world>;

/** One session on the task: it starts, edits (and so holds the task), commits, leaves a file changed, and ends. */
async function session(w: World, sessionId: string, words: string): Promise<string> {
  const { repo, home } = w;
  const opts = { home, cwd: repo.dir };
  await runHookHere('session-start', sessionStartInput(repo.dir, sessionId), opts);
  const edit = preToolUseInput(repo.dir, 'Edit', { file_path: path.join(repo.dir, 'refund.ts') }, sessionId);
  await runHookHere('pre-tool-use', edit, opts);
  writeFileSync(path.join(repo.dir, 'refund.ts'), 'retry();\n');
  git(repo.dir, 'add', 'refund.ts');
  git(repo.dir, 'commit', '-q', '-m', 'Retry declined refunds once');
  const hash = git(repo.dir, 'rev-parse', '--short', 'HEAD').trim();
  writeFileSync(path.join(repo.dir, 'refund.txt'), 'notes\n');
  const end = { session_id: sessionId, cwd: repo.dir, hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' };
  await runHookHere('session-end', { ...end, transcript_path: transcript(home, words) }, opts);
  return hash;
}

function records(w: World): WorkRecord[] {
  const db = openTaskDb(path.join(w.home, 'tasks.db'));
  try {
    return db.listWorkRecords({ projectId: w.projectId, id: w.taskId });
  } finally {
    db.close();
  }
}

describe('work records', () => {
  it('SessionEnd records the commits, the uncommitted files and the closing words, secrets redacted', async () => {
    const w = world();
    const hash = await session(w, 'session-a', `Left off: the refund webhook still fails. Token ${TOKEN}`);
    const [record, ...more] = records(w);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      sessionId: 'session-a',
      agent: 'Claude Code',
      branch: 'main',
      commits: [{ hash, subject: 'Retry declined refunds once' }],
      uncommitted: ['refund.txt'],
      statusTo: 'in_progress',
      statusChanges: [],
    });
    expect(record?.closingWords).toContain('Left off: the refund webhook still fails.');
    expect(record?.closingWords).not.toContain(TOKEN);
    expect(record?.machine).not.toBe('');
  });

  it('keeps no closing words with hooks.closingWords off: commits and files only', async () => {
    const w = world({ closingWords: false });
    await session(w, 'session-a', 'Left off: the refund webhook still fails.');
    expect(records(w)).toMatchObject([{ closingWords: null, uncommitted: ['refund.txt'] }]);
  });

  it('tells the next session on the branch what the last one did, after three more commits, and no other project', async () => {
    const w = world();
    const hash = await session(w, 'session-a', 'Left off: the refund webhook still fails.');
    for (const n of [1, 2, 3]) git(w.repo.dir, 'commit', '-q', '--allow-empty', '-m', `by hand ${n}`);
    const next = await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-b'), {
      home: w.home,
      cwd: w.repo.dir,
    });
    const context = unmarked(next.output?.hookSpecificOutput.additionalContext ?? '');
    expect(context).toMatch(
      new RegExp(
        `^- Last session on ${w.taskId}, \\d+ s ago \\(Claude Code, branch main\\): committed ${hash} "Retry declined refunds once"; left refund.txt uncommitted; it ended: "Left off: the refund webhook still fails."$`,
        'm',
      ),
    );

    // Another project in the same home hears nothing of it.
    const other = makeRepo({ name: 'api', commits: ['initial commit'] });
    cleanups.push(other.cleanup);
    const elsewhere = await runHookHere('session-start', sessionStartInput(other.dir, 'session-c'), {
      home: w.home,
      cwd: other.dir,
    });
    expect(elsewhere.output?.hookSpecificOutput.additionalContext).not.toContain('Last session');
  });

  it('says a record’s commits are on no branch once the branch holding them is gone', async () => {
    const w = world();
    git(w.repo.dir, 'checkout', '-q', '-b', 'spike');
    await session(w, 'session-a', 'Left off: spiked it.');
    git(w.repo.dir, 'checkout', '-q', '-f', 'main');
    git(w.repo.dir, 'branch', '-q', '-D', 'spike');
    const next = await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-b'), {
      home: w.home,
      cwd: w.repo.dir,
    });
    expect(next.output?.hookSpecificOutput.additionalContext).toContain('(no branch holds these commits now)');
  });

  it('keeps the statuses the session set through its task tools, in order, and says them to the next', async () => {
    const w = world();
    const opts = { home: w.home, cwd: w.repo.dir };
    await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-a'), opts);
    // The built-in store's tool answers with the task; its status is what the session set.
    const setStatus = async (status: string, title = 'Retry refunds') => {
      const answer = [
        { type: 'text', text: JSON.stringify({ success: true, data: { task: { id: w.taskId, title, status } } }) },
      ];
      const args = { action: 'update', task_id: w.taskId, status };
      await runHookHere(
        'post-tool-use',
        postToolUseInput(w.repo.dir, 'mcp__taskhooks__manage_task', args, answer, 'session-a'),
        opts,
      );
    };
    await setStatus('in_progress');
    await setStatus('blocked');
    await setStatus('blocked', 'Retry refunds, renamed');
    await setStatus('done');
    const db = openTaskDb(path.join(w.home, 'tasks.db'));
    try {
      db.setStatus({ projectId: w.projectId, id: w.taskId }, 'done');
    } finally {
      db.close();
    }
    const end = { session_id: 'session-a', cwd: w.repo.dir, hook_event_name: 'SessionEnd', reason: 'other' };
    await runHookHere('session-end', end, opts);
    const [record] = records(w);
    expect(record?.statusTo).toBe('done');
    expect(record?.statusChanges.map((c) => c.status)).toEqual(['in_progress', 'blocked', 'done']);
    expect(record?.statusChanges.every((c) => !Number.isNaN(Date.parse(c.at)))).toBe(true);

    const next = await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-b'), opts);
    expect(next.output?.hookSpecificOutput.additionalContext ?? '').toContain(
      'set the task in_progress, then blocked, then done',
    );
  });

  it('Stop records the turn’s closing words as it goes; SessionEnd without words of its own keeps them', async () => {
    const w = world();
    const opts = { home: w.home, cwd: w.repo.dir };
    await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-a'), opts);
    const edit = preToolUseInput(w.repo.dir, 'Edit', { file_path: path.join(w.repo.dir, 'refund.ts') }, 'session-a');
    await runHookHere('pre-tool-use', edit, opts);
    const stop = (words: string) => ({
      session_id: 'session-a',
      cwd: w.repo.dir,
      hook_event_name: 'Stop',
      stop_hook_active: false,
      last_assistant_message: words,
    });
    await runHookHere('turn-end', stop('First turn: read the webhook.'), opts);
    expect(records(w)).toMatchObject([{ commits: [], closingWords: 'First turn: read the webhook.' }]);

    writeFileSync(path.join(w.repo.dir, 'refund.ts'), 'retry();\n');
    git(w.repo.dir, 'add', 'refund.ts');
    git(w.repo.dir, 'commit', '-q', '-m', 'Retry declined refunds once');
    await runHookHere('turn-end', stop(`Left off: the webhook times out. ${TOKEN}`), opts);
    // One record for the session, brought up to date: a session killed now leaves this one.
    const [kept, ...more] = records(w);
    expect(more).toEqual([]);
    expect(kept?.commits.map((c) => c.subject)).toEqual(['Retry declined refunds once']);
    expect(kept?.closingWords).toContain('Left off: the webhook times out.');
    expect(kept?.closingWords).not.toContain(TOKEN);

    // An end with no transcript to read keeps the last Stop's words.
    const end = { session_id: 'session-a', cwd: w.repo.dir, hook_event_name: 'SessionEnd', reason: 'other' };
    await runHookHere('session-end', end, opts);
    expect(records(w)).toMatchObject([{ closingWords: kept?.closingWords, commits: kept?.commits }]);
  });

  it('the built Stop hook keeps no value given a secret’s name: not in the record, the next session or tasks show', async () => {
    const w = world();
    const opts = { home: w.home, cwd: w.repo.dir };
    await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-a'), opts);
    const edit = preToolUseInput(w.repo.dir, 'Edit', { file_path: path.join(w.repo.dir, 'refund.ts') }, 'session-a');
    await runHookHere('pre-tool-use', edit, opts);
    const words = 'Left off: login works with password=hunter2secret and PASSWORD: hunter3secret.';
    const stop = { session_id: 'session-a', cwd: w.repo.dir, hook_event_name: 'Stop', last_assistant_message: words };
    const run = await runHook('turn-end', stop, opts);
    expect(run.code, run.stderr).toBe(0);
    const kept = 'Left off: login works with password=[redacted] and PASSWORD: [redacted]';
    expect(records(w)).toMatchObject([{ closingWords: kept }]);

    const next = await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-b'), opts);
    const context = next.output?.hookSpecificOutput.additionalContext ?? '';
    expect(context).toContain(kept);
    const shown = await runCliOk(['tasks', 'show', w.taskId], { cwd: w.repo.dir, env: hookEnv(w.home) });
    expect(shown.stdout).toContain(kept);
    for (const said of [context, shown.stdout]) expect(said).not.toMatch(/hunter\dsecret/);
  });

  it('a subagent of the session holding the task hears, in its one line, the last record of it', async () => {
    const w = world();
    const hash = await session(w, 'session-a', 'Left off: the refund webhook still fails.');
    const opts = { home: w.home, cwd: w.repo.dir };
    await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-b'), opts);
    const edit = preToolUseInput(w.repo.dir, 'Edit', { file_path: path.join(w.repo.dir, 'refund.ts') }, 'session-b');
    await runHookHere('pre-tool-use', edit, opts);
    const sub = { session_id: 'session-b', cwd: w.repo.dir, hook_event_name: 'SubagentStart', agent_type: 'Explore' };
    const run = await runHookHere('subagent-start', sub, opts);
    const line = unmarked(run.output?.hookSpecificOutput.additionalContext ?? '');
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(
      new RegExp(
        `^\\[taskhooks\\] Your parent session works on ${w.taskId} .* Last session on ${w.taskId}, \\d+ s ago \\(Claude Code, branch main\\): committed ${hash} "Retry declined refunds once"; left refund.txt uncommitted; it ended: "Left off: the refund webhook still fails."$`,
      ),
    );
  });

  it('a session judged ended before its turn is over (its process not found) still leaves its record at Stop', async () => {
    const w = world();
    const opts = { home: w.home, cwd: w.repo.dir };
    await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-a'), opts);
    const edit = preToolUseInput(w.repo.dir, 'Edit', { file_path: path.join(w.repo.dir, 'refund.ts') }, 'session-a');
    await runHookHere('pre-tool-use', edit, opts);
    // The sweep of ended sessions takes its live row and claims; what its start noted stays.
    withHomeCache(w.home, (cache) => endSession(cache, 'session-a'));
    const stop = { session_id: 'session-a', cwd: w.repo.dir, hook_event_name: 'Stop', last_assistant_message: 'Bye.' };
    await runHookHere('turn-end', stop, opts);
    expect(records(w)).toMatchObject([
      { sessionId: 'session-a', agent: 'Claude Code', branch: 'main', closingWords: 'Bye.' },
    ]);
  });

  it('Gemini CLI’s AfterAgent gives its turn’s words in prompt_response; a turn with no text keeps the earlier', async () => {
    const w = world();
    const opts = { home: w.home, cwd: w.repo.dir };
    await runHookHere('session-start', sessionStartInput(w.repo.dir, 'session-g'), opts);
    const edit = preToolUseInput(w.repo.dir, 'Edit', { file_path: path.join(w.repo.dir, 'refund.ts') }, 'session-g');
    await runHookHere('pre-tool-use', edit, opts);
    const afterAgent = (words: string) => ({
      session_id: 'session-g',
      cwd: w.repo.dir,
      hook_event_name: 'AfterAgent',
      prompt: 'fix the refunds',
      prompt_response: words,
      stop_hook_active: false,
    });
    await runHookHere('turn-end', afterAgent(`Left off: the webhook times out. ${TOKEN}`), opts);
    const [kept] = records(w);
    expect(kept?.closingWords).toContain('Left off: the webhook times out.');
    expect(kept?.closingWords).not.toContain(TOKEN);
    // What Gemini CLI says when the turn had no text is no words: the last ones stand.
    await runHookHere('turn-end', afterAgent('[no response text]'), opts);
    expect(records(w)).toMatchObject([{ closingWords: kept?.closingWords }]);
  });
});
