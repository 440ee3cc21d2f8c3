// The real Claude Code CLI with the hooks taskhooks installs, the model stood in on loopback: a session commits on its
// task and ends saying where it left off; after three commits by hand the next session's first request still carries
// that commit and those words, `tasks show` keeps them, and a session of another project hears nothing of them.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaudeHookEvent } from '../../src/hooks/events/events.js';
import { desiredHooks } from '../../src/install/writing/settings.js';
import { readStore } from '../../src/store/tasks-db/reader.js';
import { claudeEnv, claudeWorld, messagesStub, runClaude } from '../helpers/claude.js';
import { git, makeRepo } from '../helpers/git.js';
import { ROOMY_DEADLINES, ROOT } from '../helpers/hooks.js';
import { waitFor } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The project's settings run these of the hooks taskhooks installs, as commands, and no others. */
function installOnly(dir: string, events: ClaudeHookEvent[]): void {
  const all = desiredHooks({ node: process.execPath, root: ROOT, transport: 'command' });
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  writeFileSync(
    path.join(dir, '.claude', 'settings.json'),
    JSON.stringify({ hooks: Object.fromEntries(events.map((e) => [e, [all[e]]])) }),
  );
}

const HOOKS: ClaudeHookEvent[] = ['SessionStart', 'PreToolUse', 'SessionEnd'];
const WORDS = 'Left off: the refund webhook still fails when the card issuer times out.';
/** As the words sit in a request body, a JSON string. */
const inBody = (text: string): string => JSON.stringify(text).slice(1, -1);

describe('where the last session left off', () => {
  it('the next session on the task is told what the last one committed and its closing words', async () => {
    const w = claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);
    const { id } = JSON.parse((await w.cli(['tasks', 'add', 'Retry declined refunds', '--json'])).stdout) as {
      id: string;
    };
    await w.cli(['tasks', 'start', id]);
    installOnly(w.dir, HOOKS);

    // The first session commits (a Bash call the model asks for), leaves a file uncommitted and ends saying so.
    const command =
      "printf 'retry once' > refund.ts && git add refund.ts && git commit -q -m 'Retry declined refunds once' && printf 'todo' > refund.txt";
    const first = await messagesStub([{ tool: 'Bash', input: { command, description: 'commit the retry' } }], {
      finalText: WORDS,
    });
    cleanups.push(() => first.close());
    const env = claudeEnv(w.home, w.taskhooksHome, first.url);
    const ran = await runClaude(w.dir, env, ['--allowedTools', 'Bash']);
    expect(ran.code, ran.stderr).toBe(0);
    const commit = git(w.dir, 'log', '-1', '--format=%h').trim();
    expect(git(w.dir, 'log', '-1', '--format=%s').trim()).toBe('Retry declined refunds once');

    // SessionEnd runs in the background after Claude Code exits: its record lands in tasks.db shortly.
    const file = path.join(w.taskhooksHome, 'tasks.db');
    const [record] = await waitFor(
      'the work record',
      () => {
        const found = readStore(file, (reads) => {
          const project = reads.listProjects().find((p) => p.name === 'shop');
          return project ? reads.listWorkRecords({ projectId: project.id, id }) : [];
        });
        return found && found.length > 0 ? found : undefined;
      },
      30_000,
    );
    expect(record).toMatchObject({
      agent: 'Claude Code',
      branch: 'main',
      commits: [{ hash: commit, subject: 'Retry declined refunds once' }],
      // The test's own .claude/ settings are untracked too.
      uncommitted: expect.arrayContaining(['refund.txt']),
      closingWords: WORDS,
    });

    // Three commits by hand: the session's commit is no longer among the branch's recent commits.
    for (const n of [1, 2, 3]) git(w.dir, 'commit', '-q', '--allow-empty', '-m', `by hand ${n}`);

    const next = await messagesStub([]);
    cleanups.push(() => next.close());
    const again = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, next.url));
    expect(again.code, again.stderr).toBe(0);
    const firstRequest = next.requests.find((body) => body.includes('[taskhooks]')) ?? '';
    expect(firstRequest).toContain(inBody(`Last session on ${id}, `));
    expect(firstRequest).toContain(
      inBody(`(Claude Code, branch main): committed ${commit} "Retry declined refunds once"`),
    );
    expect(firstRequest).toContain(inBody(`it ended: "${WORDS}"`));

    // Kept with the task.
    const shown = await w.cli(['tasks', 'show', id]);
    expect(shown.stdout).toContain(`committed ${commit} "Retry declined refunds once"`);
    expect(shown.stdout).toContain(WORDS);

    // A session of another project, with the same state directory, hears nothing of it.
    const other = makeRepo({ name: 'api', commits: ['initial commit'] });
    cleanups.push(other.cleanup);
    installOnly(other.dir, HOOKS);
    const elsewhere = await messagesStub([]);
    cleanups.push(() => elsewhere.close());
    const there = await runClaude(other.dir, claudeEnv(w.home, w.taskhooksHome, elsewhere.url));
    expect(there.code, there.stderr).toBe(0);
    const told = elsewhere.requests.join('\n');
    expect(told).toContain('[taskhooks] project api');
    expect(told).not.toContain('Last session on');
    expect(told).not.toContain(inBody(WORDS));
  });
});
