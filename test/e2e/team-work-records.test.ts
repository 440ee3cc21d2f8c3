// The real Claude Code CLI, the model stood in on loopback, on a team's task server (`taskhooks serve` on its SQLite
// store): a session of Dana's home commits on a task and ends saying where it left off; its record reaches the server,
// and the first request of a session of Sam's home (another state directory, a clone of the project) carries that
// commit and those words, and `tasks show` on Sam's side lists them.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaudeHookEvent } from '../../src/hooks/events/events.js';
import { desiredHooks } from '../../src/install/writing/settings.js';
import { claudeEnv, claudeWorld, messagesStub, runClaude } from '../helpers/claude.js';
import { git } from '../helpers/git.js';
import { ROOMY_DEADLINES, ROOMY_SOURCE_TIMEOUT_MS, ROOT, tempHome } from '../helpers/hooks.js';
import { postToolCall, startServe } from '../helpers/serve.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TOKEN = 'team-e2e-token-0123456789abcdefghijklmnop';
const HOOKS: ClaudeHookEvent[] = ['SessionStart', 'PreToolUse', 'SessionEnd'];
const WORDS = 'Left off: the refund webhook still fails when the card issuer times out.';
const inBody = (text: string): string => JSON.stringify(text).slice(1, -1);

/** The project's settings run these of the hooks taskhooks installs, as commands, and no others. */
function installOnly(dir: string): void {
  const all = desiredHooks({ node: process.execPath, root: ROOT, transport: 'command' });
  mkdirSync(path.join(dir, '.claude'), { recursive: true });
  writeFileSync(
    path.join(dir, '.claude', 'settings.json'),
    JSON.stringify({ hooks: Object.fromEntries(HOOKS.map((e) => [e, [all[e]]])) }),
  );
}

describe('where the last session left off, on a team server', () => {
  it("a teammate's next session is told what the last one committed and its closing words", async () => {
    const serveHome = tempHome();
    cleanups.push(serveHome.cleanup);
    const serve = await startServe(serveHome.home, ['--token', TOKEN]);
    cleanups.push(() => serve.kill('SIGTERM'));
    const config = {
      source: { servers: [serve.url], timeoutMs: ROOMY_SOURCE_TIMEOUT_MS },
      auth: { token: TOKEN },
      hooks: ROOMY_DEADLINES,
    };
    const dana = claudeWorld(config, cleanups);
    const { id } = JSON.parse((await dana.cli(['tasks', 'add', 'Retry declined refunds', '--json'])).stdout) as {
      id: string;
    };
    await dana.cli(['tasks', 'start', id]);
    installOnly(dana.dir);

    const command =
      "printf 'retry once' > refund.ts && git add refund.ts && git commit -q -m 'Retry declined refunds once'";
    const first = await messagesStub([{ tool: 'Bash', input: { command, description: 'commit the retry' } }], {
      finalText: WORDS,
    });
    cleanups.push(() => first.close());
    const ran = await runClaude(dana.dir, claudeEnv(dana.home, dana.taskhooksHome, first.url), [
      '--allowedTools',
      'Bash',
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    const commit = git(dana.dir, 'log', '-1', '--format=%h').trim();

    // SessionEnd runs in the background after Claude Code exits: its record reaches the server shortly.
    const args = { action: 'list_work_records', task_id: id, project_id: 'shop' };
    let kept: unknown[] = [];
    for (const until = Date.now() + 30_000; kept.length === 0 && Date.now() < until; ) {
      kept = (await postToolCall(serve.url, TOKEN, 'manage_task', args)).data?.work_records ?? [];
      if (kept.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    if (kept.length === 0) {
      const dir = path.join(dana.taskhooksHome, 'logs');
      for (const f of readdirSync(dir)) console.log(f, readFileSync(path.join(dir, f), 'utf8').slice(-6000));
    }
    expect(kept).toMatchObject([{ commits: [{ hash: commit }], closing_words: WORDS }]);

    // Sam: another state directory, the project cloned as it is now.
    const sam = claudeWorld(config, cleanups);
    git(sam.dir, 'fetch', '-q', dana.dir, 'main');
    git(sam.dir, 'reset', '-q', '--hard', 'FETCH_HEAD');
    installOnly(sam.dir);
    const next = await messagesStub([]);
    cleanups.push(() => next.close());
    const again = await runClaude(sam.dir, claudeEnv(sam.home, sam.taskhooksHome, next.url));
    expect(again.code, again.stderr).toBe(0);
    const firstRequest = next.requests.find((body) => body.includes('[taskhooks]')) ?? '';
    expect(firstRequest).toContain(inBody(`Last session on ${id}, `));
    expect(firstRequest).toContain(
      inBody(`(Claude Code, branch main): committed ${commit} "Retry declined refunds once"`),
    );
    expect(firstRequest).toContain(inBody(`it ended: "${WORDS}"`));

    const shown = await sam.cli(['tasks', 'show', id]);
    expect(shown.stdout).toContain(`committed ${commit} "Retry declined refunds once"`);
    expect(shown.stdout).toContain(WORDS);
  });
});
