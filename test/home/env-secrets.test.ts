// Secrets kept in the environment never reach the disk: the hooks, `config`, `doctor` and a real monitor run with
// them set, and no file under the state directory (logs, caches, backups, SQLite files read as bytes) holds one.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshot } from '../../src/cache/snapshots.js';
import { homeFiles } from '../../src/home/files.js';
import type { TaskDb } from '../../src/server/index.js';
import { makeRepo } from '../helpers/git.js';
import {
  filesUnder,
  hookEnv,
  startTelling,
  postToolUseInput,
  preToolUseInput,
  ROOMY_DEADLINES,
  ROOT,
  runHook,
  sessionStartInput,
  tempHome,
  withHomeCache,
} from '../helpers/hooks.js';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.js';
import { waitFor } from '../monitor/helpers.js';

const CLI = path.join(ROOT, 'dist/cli.js');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function seedShop(db: TaskDb): void {
  const p = db.ensureProject('shop');
  db.createTask({ projectId: p.id, gitBranchId: db.ensureBranch(p.id, 'main').id, title: 'Write the checkout page' });
}

describe('secrets from the environment', () => {
  it('are found in no file under the state directory after the hooks, config, doctor and the monitor ran', async () => {
    const ref: ReferenceServer = await startReferenceServer({ seed: seedShop });
    cleanups.push(() => ref.close());
    // Roomy deadlines: the test shows what is stored after a live fetch, not how fast it comes.
    const { home, cleanup } = tempHome({
      hooks: ROOMY_DEADLINES,
      monitor: { hookPort: 0, taskSchedule: '* * * * * *', gitSchedule: '*/2 * * * * *' },
    });
    cleanups.push(cleanup);
    const repo = makeRepo({ name: 'shop', branch: 'main' });
    cleanups.push(repo.cleanup);
    const secrets = {
      MCP_API_TOKEN: ref.token,
      KEYCLOAK_CLIENT_SECRET: `kc-secret-${randomBytes(12).toString('hex')}`,
      TASK_TRACKING_API_KEY: `api-key-${randomBytes(12).toString('hex')}`,
    };
    // Debug logging writes the most there is to write.
    const extra = { MCP_SERVER_URL: ref.url, TASKHOOKS_LOG_LEVEL: 'debug', ...secrets };
    const env = hookEnv(home, extra);
    // Not spawnSync: the reference server answers from this process.
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, ...args], { env, cwd: repo.dir }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );

    // Twice each: a miss of the config cache, then a hit, which must read the secrets from the environment again.
    for (const session of ['s-1', 's-2']) {
      const start = await startTelling('Write the checkout page', sessionStartInput(repo.dir, session), {
        home,
        env: extra,
        cwd: repo.dir,
      });
      expect(start.output?.hookSpecificOutput.additionalContext).toContain('Write the checkout page');
    }
    expect(
      (
        await runHook('pre-tool-use', preToolUseInput(repo.dir, 'Bash', { command: 'git commit -m x' }), {
          home,
          env: extra,
          cwd: repo.dir,
        })
      ).code,
    ).toBe(0);
    const post = postToolUseInput(
      repo.dir,
      'mcp__tasks__manage_task',
      { action: 'update', task_id: 'T-1', status: 'done' },
      { content: [{ type: 'text', text: '{}' }] },
    );
    expect((await runHook('post-tool-use', post, { home, env: extra, cwd: repo.dir })).code).toBe(0);

    const config = await cli(['config']);
    expect(config.code).toBe(0);
    expect(config.stdout).not.toContain(secrets.MCP_API_TOKEN);
    const doctor = await cli(['doctor', '--json']);
    const steps = (JSON.parse(doctor.stdout) as { steps: Array<{ name: string; ok: boolean }> }).steps;
    expect(steps.find((s) => s.name === 'pending tasks')?.ok).toBe(true);

    const monitor = spawn(process.execPath, [CLI, 'monitor', 'run'], { env, cwd: repo.dir, stdio: 'ignore' });
    cleanups.push(() => monitor.kill('SIGKILL'));
    const started = Date.now();
    // The monitor fetched with the token (a snapshot newer than its start) and read git.
    await waitFor(
      'a snapshot the monitor fetched',
      () =>
        withHomeCache(
          home,
          (s) => (readSnapshot(s, { sourceKey: ref.url, project: 'shop', branch: 'main' })?.fetchedAt ?? 0) > started,
        ),
      30_000,
    );
    monitor.kill('SIGTERM');
    await new Promise((r) => monitor.once('exit', r));

    const files = filesUnder(home);
    expect(files).toContain(homeFiles(home).configCache);
    expect(files).toContain(homeFiles(home).cache);
    expect(files.some((f) => f.endsWith('.log'))).toBe(true);
    const found = files.flatMap((f) => {
      const bytes = readFileSync(f);
      return Object.entries(secrets)
        .filter(([, v]) => bytes.includes(v))
        .map(([k]) => `${k} in ${path.relative(home, f)}`);
    });
    expect(found).toEqual([]);
    // The key that hashes them into the config cache's keys is the state directory's own, and private.
    expect(statSync(homeFiles(home).configCacheKey).mode & 0o777).toBe(0o600);
  });
});
