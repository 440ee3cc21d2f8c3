// A task server that echoes a credential in a task's text (a title that quotes the token it was called with) does not
// pass it on: the session's context, the cache file, the CLI's answer, the dashboard's page and the logs show it
// scrubbed, as error text already was; so does a copy of it split by a zero-width character, and a token of a published
// format taskhooks was never told of.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/cache.js';
import { renderMain } from '../../src/dashboard/page.js';
import { readCacheView } from '../../src/dashboard/state.js';
import { boardTasks } from '../../src/dashboard/board-tasks.js';
import type { TaskDb } from '../../src/server/index.js';
import { silentLogger } from '../helpers/cache.js';
import { makeRepo } from '../helpers/git.js';
import { filesUnder, hookEnv, startTelling, ROOMY_DEADLINES, sessionStartInput, tempHome } from '../helpers/hooks.js';
import { startReferenceServer } from '../helpers/reference-server.js';
import { runCliOk } from '../helpers/cli.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a secret echoed in task text', () => {
  it('reaches no context, cache file, CLI answer, dashboard page or log', async () => {
    const token = `echoed-${randomBytes(20).toString('hex')}`;
    const split = `${token.slice(0, 9)}\u200b${token.slice(9)}`;
    const ghp = `ghp_${randomBytes(18).toString('hex')}`;
    const seed = (db: TaskDb): void => {
      const p = db.ensureProject('shop');
      db.createTask({
        projectId: p.id,
        gitBranchId: db.ensureBranch(p.id, 'main').id,
        title: `Rotate ${token} before Friday`,
        description: `the old one was ${token}, then ${split}; the bot's is ${ghp}`,
      });
    };
    const ref = await startReferenceServer({ seed, tokens: [{ principal: 'me', token, tools: ['*'] }] });
    cleanups.push(() => ref.close());
    const { home, cleanup } = tempHome({ hooks: ROOMY_DEADLINES });
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main' });
    cleanups.push(repo.cleanup);
    const extra = { MCP_SERVER_URL: ref.url, MCP_API_TOKEN: token, TASKHOOKS_LOG_LEVEL: 'debug' };

    const start = await startTelling('before Friday', sessionStartInput(repo.dir, 's-1'), {
      home,
      env: extra,
      cwd: repo.dir,
    });
    const context = start.output?.hookSpecificOutput.additionalContext ?? '';
    expect(context).toContain('Rotate [redacted] before Friday');
    expect(context).toContain("the old one was [redacted], then [redacted]; the bot's is [redacted]");
    for (const secret of [token, token.slice(9), ghp]) expect(context).not.toContain(secret);

    const list = await runCliOk(['tasks', 'list'], { env: hookEnv(home, extra), cwd: repo.dir });
    expect(list.stdout).toContain('Rotate [redacted] before Friday');
    expect(list.stdout + list.stderr).not.toContain(token);

    const cache = openCache({ home });
    cleanups.push(() => cache.close());
    const env = hookEnv(home, extra);
    const tasks = await boardTasks({ cache, log: silentLogger(), env, home }).list({ name: 'shop', root: repo.dir });
    const html = renderMain({ view: readCacheView(cache), project: 'shop', tasks, now: Date.now() });
    expect(html).toContain('Rotate [redacted] before Friday');
    expect(html).not.toContain(token);

    cache.close();
    for (const secret of [token, token.slice(9), ghp]) {
      const found = filesUnder(home).filter((f) => readFileSync(f).includes(secret));
      expect(found.map((f) => path.relative(home, f))).toEqual([]);
    }
    expect(filesUnder(home).some((f) => f.endsWith('cache.db'))).toBe(true);
  });
});
