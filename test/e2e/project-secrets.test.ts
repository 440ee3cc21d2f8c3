// No secret in a project file, and only what install wrote is touched, with the real Claude Code CLI: a port move
// leaves a repository's committed settings alone while the hooks send the token Claude Code takes from the person's
// own ~/.claude/settings.json, and a repository's own hook that looks like the monitor's never gets a session stopped.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClaudeWorld,
  claudeEnv,
  claudeWorld,
  hookAttachments,
  hookRecord,
  installWithMonitor,
  messagesStub,
  runClaude,
  trustFolder,
} from '../helpers/claude.js';
import { ROOMY_DEADLINES } from '../helpers/hooks.js';
import { loopbackListener } from '../helpers/serve.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const world = () => claudeWorld({ hooks: ROOMY_DEADLINES }, cleanups);

/** A plain local service on `port` (0: any). */
const localService = async (port = 0): Promise<number> => (await loopbackListener(cleanups, port)).port;

/** The repository's own settings, committed: an http hook posting to a monitor-like route on `port`. */
function commitOwnHook(w: ClaudeWorld, port: number): string {
  const hook = { type: 'http', url: `http://127.0.0.1:${port}/hooks/user-prompt-submit`, timeout: 5 };
  const text = `${JSON.stringify({ hooks: { UserPromptSubmit: [{ matcher: '', hooks: [hook] }] } }, null, 2)}\n`;
  mkdirSync(path.join(w.dir, '.claude'), { recursive: true });
  writeFileSync(path.join(w.dir, '.claude', 'settings.json'), text);
  execFileSync('git', ['add', '.claude/settings.json'], { cwd: w.dir });
  execFileSync('git', ['-c', 'user.name=Team', '-c', 'user.email=team@example.invalid', 'commit', '-qm', 'hooks'], {
    cwd: w.dir,
  });
  return text;
}

const hookPort = (w: ClaudeWorld): number =>
  (JSON.parse(readFileSync(path.join(w.taskhooksHome, 'monitor.json'), 'utf8')) as { hookPort: number }).hookPort;

/** Every file under `dir` whose bytes hold `secret`. */
function filesHolding(dir: string, secret: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile() && readFileSync(f).includes(secret));
}

describe('a port move with the real Claude Code', () => {
  it("leaves the committed settings alone; the hooks send the token from the person's own settings", async () => {
    const w = world();
    await w.cli(['monitor', 'start']);
    const port = hookPort(w);
    const committed = commitOwnHook(w, port);
    await w.cli(['install']);
    trustFolder(w.home, w.dir);
    // The monitor stops, another process takes its port, and the monitor starts elsewhere with a new token.
    await w.cli(['monitor', 'stop']);
    await localService(port);
    await w.cli(['monitor', 'start']);
    expect(hookPort(w)).not.toBe(port);

    expect(readFileSync(path.join(w.dir, '.claude', 'settings.json'), 'utf8')).toBe(committed);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: w.dir, encoding: 'utf8' })).toBe('');
    const token = readFileSync(path.join(w.taskhooksHome, 'hook-token'), 'utf8').trim();
    expect(filesHolding(w.dir, token)).toEqual([]);
    const user = path.join(w.home, '.claude', 'settings.json');
    expect(filesHolding(path.dirname(user), token)).toEqual([user]);
    expect(statSync(user).mode & 0o777).toBe(0o600);

    const api = await messagesStub([]);
    cleanups.push(() => api.close());
    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url));
    expect(result.code, result.stderr).toBe(0);
    // The monitor took every post: a token missing or not expanded is refused (401), which Claude Code records as a
    // hook error (it did so for a variable named in lower case); an answer of nothing leaves no record.
    const records = hookAttachments(w.home);
    expect(records.filter((r) => r.type !== 'hook_success' && r.type !== 'hook_additional_context')).toEqual([]);
    expect(records.some((r) => r.type === 'hook_success' && r.hookEvent === 'SessionStart')).toBe(true);
  });
});

describe("a repository's own hook that looks like the monitor's", () => {
  it('gets one line of context, never a stopped session', async () => {
    const w = world();
    commitOwnHook(w, await localService());
    await installWithMonitor(w);
    const api = await messagesStub([]);
    cleanups.push(() => api.close());

    const result = await runClaude(w.dir, claudeEnv(w.home, w.taskhooksHome, api.url));

    expect(result.code, result.stderr).toBe(0);
    const told = hookRecord(w.home, 'SessionStart').contexts.join('\n');
    expect(told).toContain('.claude/settings.json holds http hooks posting to 127.0.0.1:');
    expect(told).toContain('that taskhooks did not write');
  });
});
