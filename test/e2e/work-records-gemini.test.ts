// The real Gemini CLI with the hooks `taskhooks install --agent gemini` writes, the monitor answering them over its
// socket, the model stood in on loopback: a session takes its task, commits, leaves a file changed and ends its turn
// saying where it left off (its AfterAgent carries the words, SessionEnd keeps them); after three commits by hand the
// next Gemini session's first request carries that commit and those words, and `tasks show` keeps them.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStore } from '../../src/store/tasks-db/reader.js';
import type { WorkRecord } from '../../src/store/work-records.js';
import { agentWorld, CLI, inJson, type AgentWorld } from '../helpers/agent-world.js';
import { generateStub, geminiHome, runGemini, type GeminiStep } from '../helpers/gemini.js';
import { git } from '../helpers/git.js';
import { waitFor } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const WORDS = 'Left off: the refund webhook still fails when the card issuer times out.';

/** One headless Gemini turn in the world's project against a stand-in that asks for `steps`, then says `words`. */
async function geminiTurn(w: AgentWorld, steps: GeminiStep[], words?: string) {
  const api = await generateStub(steps, words);
  cleanups.push(() => api.close());
  return { api, ran: await runGemini(w.dir, w.env, api.url) };
}

/** The task's records in the world's tasks.db. */
function recordsOf(w: AgentWorld, id: string): WorkRecord[] {
  return (
    readStore(path.join(w.taskhooksHome, 'tasks.db'), (reads) => {
      const project = reads.listProjects().find((p) => p.name === 'shop');
      return project ? reads.listWorkRecords({ projectId: project.id, id }) : [];
    }) ?? []
  );
}

const shell = (command: string): GeminiStep => ({ tool: 'run_shell_command', args: { command } });

describe('where the last Gemini CLI session left off', () => {
  it('the next session is told the commit and the closing words a Gemini session left on its task', async () => {
    const w = await agentWorld('gemini', cleanups);
    geminiHome(w.home, [w.dir]);
    const id = await w.add('Retry declined refunds');
    // Gemini's shell has the world's HOME, with no git identity of its own.
    git(w.dir, 'config', 'user.name', 'Session');
    git(w.dir, 'config', 'user.email', 'session@example.com');

    const commit =
      "printf 'retry once' > refund.ts && git add refund.ts && git commit -q -m 'Retry declined refunds once' && printf 'todo' > refund.txt";
    const first = await geminiTurn(w, [shell(`node '${CLI}' tasks start ${id}`), shell(commit)], WORDS);
    expect(first.ran.code, first.ran.stderr).toBe(0);
    const hash = git(w.dir, 'log', '-1', '--format=%h').trim();
    expect(git(w.dir, 'log', '-1', '--format=%s').trim()).toBe('Retry declined refunds once');

    // AfterAgent's record, with its words (the monitor may write it after answering); SessionEnd's keeps them.
    const [record, ...more] = await waitFor(
      'the work record with its closing words',
      () => {
        const found = recordsOf(w, id);
        return found.some((r) => r.closingWords) ? found : undefined;
      },
      30_000,
    );
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      agent: 'Gemini CLI',
      branch: 'main',
      commits: [{ hash, subject: 'Retry declined refunds once' }],
      uncommitted: expect.arrayContaining(['refund.txt']),
      statusTo: 'in_progress',
      closingWords: WORDS,
    });

    for (const n of [1, 2, 3]) git(w.dir, 'commit', '-q', '--allow-empty', '-m', `by hand ${n}`);
    const next = await geminiTurn(w, []);
    expect(next.ran.code, next.ran.stderr).toBe(0);
    const told = next.api.requests[0] ?? '';
    expect(told).toContain(inJson(`Last session on ${id}, `));
    expect(told).toContain(inJson(`(Gemini CLI, branch main): committed ${hash} "Retry declined refunds once"`));
    expect(told).toContain(inJson(`it ended: "${WORDS}"`));

    const shown = await w.cli(['tasks', 'show', id]);
    expect(shown.stdout).toContain(`committed ${hash} "Retry declined refunds once"`);
    expect(shown.stdout).toContain(WORDS);
  });
});
