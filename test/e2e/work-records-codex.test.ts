// The real Codex CLI with the hooks `taskhooks install --agent codex` writes, the monitor answering them over its
// socket, the model stood in on loopback: a session takes its task, commits and ends its turn saying where it left
// off (Codex has no SessionEnd: its Stop writes the record); the next Codex session's first request carries that
// commit and those words, and `tasks show` keeps them.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStore } from '../../src/store/tasks-db/reader.js';
import type { WorkRecord } from '../../src/store/work-records.js';
import { agentWorld, CLI, inJson, type AgentWorld } from '../helpers/agent-world.js';
import { type CodexStep, codexHome, responsesStub, runCodex } from '../helpers/codex.js';
import { git } from '../helpers/git.js';
import { waitFor } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const WORDS = 'Left off: the refund webhook still fails when the card issuer times out.';

async function codexTurn(w: AgentWorld, steps: CodexStep[], finalText?: string) {
  const api = await responsesStub(steps, finalText ? { finalText } : {});
  cleanups.push(() => api.close());
  codexHome(w.env.CODEX_HOME ?? '', api.url, [w.dir]);
  return { api, ran: await runCodex(w.dir, w.env) };
}

/** The task's records in the world's tasks.db, once there are any. */
function recordsOf(w: AgentWorld, id: string): WorkRecord[] | undefined {
  const found = readStore(path.join(w.taskhooksHome, 'tasks.db'), (reads) => {
    const project = reads.listProjects().find((p) => p.name === 'shop');
    return project ? reads.listWorkRecords({ projectId: project.id, id }) : [];
  });
  return found && found.length > 0 ? found : undefined;
}

describe('where the last Codex session left off', () => {
  it('the next session is told the commit and the closing words a Codex session left on its task', async () => {
    const base = await agentWorld('codex', cleanups);
    const w = { ...base, env: { ...base.env, CODEX_HOME: path.join(base.home, '.codex') } };
    const id = await w.add('Retry declined refunds');
    // Codex's shell has the world's HOME, with no git identity of its own.
    git(w.dir, 'config', 'user.name', 'Session');
    git(w.dir, 'config', 'user.email', 'session@example.com');

    const commit =
      "printf 'retry once' > refund.ts && git add refund.ts && git commit -q -m 'Retry declined refunds once' && printf 'todo' > refund.txt";
    const first = await codexTurn(w, [{ shell: `node '${CLI}' tasks start ${id}` }, { shell: commit }], WORDS);
    expect(first.ran.code, first.ran.stderr).toBe(0);
    const hash = git(w.dir, 'log', '-1', '--format=%h').trim();
    expect(git(w.dir, 'log', '-1', '--format=%s').trim()).toBe('Retry declined refunds once');

    const [record, ...more] = await waitFor('the work record', () => recordsOf(w, id), 30_000);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      agent: 'Codex',
      branch: 'main',
      commits: [{ hash, subject: 'Retry declined refunds once' }],
      uncommitted: expect.arrayContaining(['refund.txt']),
      statusTo: 'in_progress',
      closingWords: WORDS,
    });

    for (const n of [1, 2, 3]) git(w.dir, 'commit', '-q', '--allow-empty', '-m', `by hand ${n}`);
    const next = await codexTurn(w, []);
    expect(next.ran.code, next.ran.stderr).toBe(0);
    const told = next.api.requests[0] ?? '';
    expect(told).toContain(inJson(`Last session on ${id}, `));
    expect(told).toContain(inJson(`(Codex, branch main): committed ${hash} "Retry declined refunds once"`));
    expect(told).toContain(inJson(`it ended: "${WORDS}"`));

    const shown = await w.cli(['tasks', 'show', id]);
    expect(shown.stdout).toContain(`committed ${hash} "Retry declined refunds once"`);
    expect(shown.stdout).toContain(WORDS);
  });
});
