// The real Claude Code in a folder of `taskhooks install`, the model stood in on loopback: the task the model adds with
// add_task and the one its Bash adds with `taskhooks tasks add` are the same kind (for every branch); the built-in
// store writes both into the cache itself, so no monitor read of the store follows; and neither is told back to the
// session that made it as "changed since you were last told".
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listMetrics } from '../../src/cache/metrics.js';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { BUILT_IN_VIA_MONITOR } from '../../src/sources/embedded/notes.js';
import {
  claudeEnv,
  type ClaudeWorld,
  claudeWorld,
  installWithMonitor,
  messagesStub,
  runClaude,
} from '../helpers/claude.js';
import { ROOMY_DEADLINES, ROOT, withHomeCache } from '../helpers/hooks.js';
import { waitFor } from '../monitor/helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TOOL = 'mcp__taskhooks__add_task';

/** How many times the monitor has read the built-in store for a snapshot (each refresh records one call). */
const monitorReads = (w: ClaudeWorld): number =>
  withHomeCache(w.taskhooksHome, (c) => listMetrics(c).find((m) => m.server === BUILT_IN_VIA_MONITOR)?.calls ?? 0);

describe('a task the model adds, and one its Bash adds with the CLI', () => {
  it('are the same kind, in the cache at once without a monitor read, and no news to the session', async () => {
    const w = claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);
    const key = { sourceKey: 'embedded', project: path.basename(w.dir), branch: 'main' };
    await installWithMonitor(w, { trusted: true });
    // A first session: the monitor follows the project and its snapshot is cached.
    const warm = await messagesStub([]);
    cleanups.push(() => warm.close());
    expect((await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, warm.url))).code).toBe(0);
    // Counted once that snapshot is cached: a read still in flight from the first session would count as the turn's.
    await waitFor('the first snapshot', () => withHomeCache(w.taskhooksHome, (c) => readSnapshot(c, key)), 30_000);
    const readsBefore = monitorReads(w);

    const cli = `"${process.execPath}" "${path.join(ROOT, 'dist/cli.js')}"`;
    const api = await messagesStub([
      { tool: TOOL, input: { title: 'Refund flow', priority: 'high' } },
      { tool: 'Bash', input: { command: `${cli} tasks add 'Receipts by mail' --priority urgent`, description: 'add' } },
    ]);
    cleanups.push(() => api.close());
    const env = { ...claudeEnv(w.home, w.taskhooksHome, api.url), ENABLE_TOOL_SEARCH: 'false' };
    const turn = await runClaude(w.dir, env, ['--allowedTools', `${TOOL},Bash`]);
    expect(turn.code, turn.stderr).toBe(0);
    const requests = api.requests.join('\n');
    expect(requests).toContain('\\"every_branch\\":true');
    expect(requests).toContain('(every branch): Receipts by mail');
    // Neither write is told back to the session that made it.
    expect(requests).not.toContain('changed since you were last told');

    // Both are tasks of every branch, as `tasks list` shows them.
    const listed = JSON.parse((await w.cli(['tasks', 'list', '--json'])).stdout) as {
      tasks: Array<{ title: string; projectTask?: boolean }>;
    };
    expect(listed.tasks.map((t) => [t.title, t.projectTask])).toEqual([
      ['Receipts by mail', true],
      ['Refund flow', true],
    ]);
    // The cache held them as the store wrote them: the monitor did not read the store again.
    const snap = withHomeCache(w.taskhooksHome, (c) => readSnapshot(c, key));
    expect(snap?.tasks.map((t) => t.title).sort()).toEqual(['Receipts by mail', 'Refund flow']);
    expect(snap?.staleSince).toBeUndefined();
    expect(monitorReads(w)).toBe(readsBefore);

    // Another session hears of them in its first context.
    const next = await messagesStub([]);
    cleanups.push(() => next.close());
    expect((await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, next.url))).code).toBe(0);
    const first = next.requests.find((body) => body.includes('"messages"')) ?? '';
    expect(first).toContain('Refund flow');
    expect(first).toContain('Receipts by mail');
  });
});
