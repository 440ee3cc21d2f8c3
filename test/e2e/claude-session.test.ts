// The real Claude Code CLI runs our SessionStart hook and records its additionalContext in the session transcript,
// even with no model reachable (fake key, a closed loopback port for the API, no retries).
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPortUrl, hookEnv, ROOT, seedSnapshot, task } from '../helpers/hooks.js';
import { makeRepo } from '../helpers/git.js';

const CLAUDE = path.join(ROOT, 'node_modules/.bin/claude');
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface TranscriptLine {
  type?: string;
  attachment?: { type?: string; hookEvent?: string; content?: unknown; exitCode?: number; stderr?: string };
}

function transcriptLines(home: string): TranscriptLine[] {
  const projects = path.join(home, '.claude', 'projects');
  const files = readdirSync(projects, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl'));
  return files.flatMap((f) =>
    readFileSync(path.join(projects, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TranscriptLine),
  );
}

function runClaude(cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(CLAUDE, ['-p', 'hi'], { cwd, env, timeout: 90_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Claude Code session with the taskhooks SessionStart hook', () => {
  it('records the task context in the transcript', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-claude-'));
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
    const home = path.join(tmp, 'home');
    const taskhooksHome = path.join(tmp, 'taskhooks');
    mkdirSync(home);
    const repo = makeRepo({ name: 'shop', commits: ['initial commit', 'add cart'] });
    cleanups.push(repo.cleanup);
    mkdirSync(path.join(repo.dir, '.claude'));
    const command = `"${process.execPath}" "${path.join(ROOT, 'dist/hooks/session-start.js')}"`;
    writeFileSync(
      path.join(repo.dir, '.claude', 'settings.json'),
      JSON.stringify({ hooks: { SessionStart: [{ matcher: 'startup|resume|clear|compact', hooks: [{ type: 'command', command, timeout: 10 }] }] } }),
    );
    seedSnapshot(taskhooksHome, {
      sourceKey: 'embedded',
      project: 'shop',
      branch: 'main',
      tasks: [task('TASK-7', { title: 'Fix the checkout total', status: 'in_progress', priority: 'high' })],
      next: task('TASK-9', { title: 'Add coupon codes', priority: 'urgent', description: 'Customers asked for percentage coupons.' }),
    });

    const result = await runClaude(repo.dir, {
      ...hookEnv(taskhooksHome),
      HOME: home,
      ANTHROPIC_API_KEY: 'fake',
      CLAUDE_CODE_MAX_RETRIES: '0',
      ANTHROPIC_BASE_URL: (await closedPortUrl()).replace(/\/mcp$/, ''),
      DISABLE_AUTOUPDATER: '1',
    });

    expect(result.code).not.toBeNull(); // ended by itself, not by the timeout
    const lines = transcriptLines(home);
    const ran = lines.find((l) => l.attachment?.type === 'hook_success' && l.attachment.hookEvent === 'SessionStart');
    expect(ran?.attachment).toMatchObject({ exitCode: 0, stderr: '' });
    const injected = lines.filter((l) => l.attachment?.type === 'hook_additional_context' && l.attachment.hookEvent === 'SessionStart');
    expect(injected).toHaveLength(1);
    const context = ([] as unknown[]).concat(injected[0]?.attachment?.content).join('\n');
    expect(context).toMatch(/^\[taskhooks\] project shop, branch main: 2 pending tasks \(cached \d+ s ago from embedded\)\./);
    expect(context).toContain('Next recommended task: TASK-9 "Add coupon codes" — priority urgent, status todo.');
    expect(context).toContain('Customers asked for percentage coupons.');
    expect(context).toContain('TASK-7 "Fix the checkout total" [in_progress, high]');
    expect(context).toContain('add cart');
  });
});
