// The real Claude Code CLI (test/peers.json) in a test: how to run it offline and what its session transcript says.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeRepo } from './git.js';
import { hookEnv, ROOT, writeConfig } from './hooks.js';
import { removeTree } from './remove-tree.js';
import { peer } from './peers.js';

export const CLAUDE = peer('@anthropic-ai/claude-code').entry;

/** What a `claude` process left: its exit code (null when killed) and its output. */
type ClaudeRun = { code: number | null; stdout: string; stderr: string };

/** `claude` with `args` in `cwd`, `input` written to its stdin and the pipe closed; killed after 90 s. */
function claudeProcess(cwd: string, env: NodeJS.ProcessEnv, args: string[], input: string): Promise<ClaudeRun> {
  return new Promise((resolve) => {
    const child = execFile(CLAUDE, args, { cwd, env, timeout: 90_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
    // `-p` with an open stdin pipe waits 3 s for piped input before it starts, as no person's session does.
    child.stdin?.end(input);
  });
}

/** `claude -p hi`: a session of one prompt. */
export function runClaude(cwd: string, env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<ClaudeRun> {
  return claudeProcess(cwd, env, ['-p', 'hi', ...extraArgs], '');
}

/**
 * One `claude -p` process holding a conversation of several prompts (stream-json input, each line a user message), as
 * a person's interactive session does: `/clear` and `/compact` among them run in the same process, its MCP servers
 * kept.
 */
export function runConversation(
  cwd: string,
  env: NodeJS.ProcessEnv,
  prompts: string[],
  extraArgs: string[] = [],
): Promise<ClaudeRun> {
  const args = ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose', ...extraArgs];
  const line = (text: string) => JSON.stringify({ type: 'user', message: { role: 'user', content: text } });
  return claudeProcess(cwd, env, args, `${prompts.map(line).join('\n')}\n`);
}

/** A session with a temp HOME and a fake key, whose Messages API is `apiUrl` (a stub, or a closed port), no retries. */
export function claudeEnv(home: string, taskhooksHome: string, apiUrl: string): NodeJS.ProcessEnv {
  return {
    ...hookEnv(taskhooksHome),
    HOME: home,
    ANTHROPIC_API_KEY: 'fake',
    CLAUDE_CODE_MAX_RETRIES: '0',
    ANTHROPIC_BASE_URL: apiUrl,
    DISABLE_AUTOUPDATER: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
}

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

/** What the transcript says one of our hooks did: its run record and the context strings it added. */
export function hookRecord(
  home: string,
  event: 'SessionStart' | 'PreToolUse' | 'PostToolUse' | 'PostToolBatch' | 'UserPromptSubmit',
): { ran: TranscriptLine['attachment']; contexts: string[] } {
  const lines = transcriptLines(home);
  const ran = lines.find((l) => l.attachment?.type === 'hook_success' && l.attachment.hookEvent === event)?.attachment;
  const contexts = lines
    .filter((l) => l.attachment?.type === 'hook_additional_context' && l.attachment.hookEvent === event)
    .map((l) => ([] as unknown[]).concat(l.attachment?.content).join('\n'));
  return { ran, contexts };
}

/**
 * The contexts a session was told at its start: its SessionStart hooks', then its prompts' (the plugin tells a new
 * session's start at its first prompt: src/hooks/hosts/first-prompt.ts).
 */
export const startContexts = (home: string): string[] => [
  ...hookRecord(home, 'SessionStart').contexts,
  ...hookRecord(home, 'UserPromptSubmit').contexts,
];

export { messagesStub, type ToolStep } from './messages-standin.mjs';

/** Every record of a hook's run in the session transcripts under `home` (subagents' included). */
export function hookAttachments(
  home: string,
): Array<{ type?: string; hookEvent?: string; command?: string; stderr?: string; content?: unknown }> {
  return transcriptLines(home)
    .map((l) => l.attachment as (TranscriptLine['attachment'] & { command?: string }) | undefined)
    .filter((a): a is NonNullable<typeof a> => typeof a?.type === 'string' && a.type.startsWith('hook'));
}

/** A temp HOME and TASKHOOKS_HOME (embedded source, `config` written) with git project `shop`, and the built CLI there. */
export interface ClaudeWorld {
  home: string;
  taskhooksHome: string;
  dir: string;
  cli(args: string[]): Promise<{ stdout: string; stderr: string }>;
}

/** A ClaudeWorld; each thing it makes is pushed to `cleanups` for the test to undo. */
export function claudeWorld(config: unknown, cleanups: Array<() => unknown>): ClaudeWorld {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-claude-'));
  cleanups.push(() => removeTree(tmp));
  const home = path.join(tmp, 'home');
  mkdirSync(home);
  const taskhooksHome = path.join(tmp, 'taskhooks');
  writeConfig(taskhooksHome, config);
  const repo = makeRepo({ name: 'shop', commits: ['initial commit'] });
  cleanups.push(repo.cleanup);
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], {
      cwd: repo.dir,
      env: { ...hookEnv(taskhooksHome), HOME: home, NO_COLOR: '1' },
    });
  // `install` starts a monitor in the world's state directory: stopped before the directory goes, so it writes
  // nothing there while it is removed (its lock is how the CLI finds it too).
  cleanups.push(() => (existsSync(path.join(taskhooksHome, 'monitor.pid')) ? cli(['monitor', 'stop']) : undefined));
  return { home, taskhooksHome, dir: repo.dir, cli };
}

/**
 * `taskhooks install` in a world with its monitor started first, as install starts it: the world's CLI starts none by
 * itself (TASKHOOKS_NO_AUTOSTART), and the default route's hooks are answered by it.
 */
export async function installWithMonitor(w: ClaudeWorld, opts: { trusted?: boolean } = {}): Promise<void> {
  await w.cli(['monitor', 'start']);
  await w.cli(['install']);
  // Trusted by default, as a person's first interactive start records it; `trusted: false` is a folder never opened
  // interactively (CI, a script, the Agent SDK). Merged into the file install wrote: its task tools live there.
  if (opts.trusted !== false) trustFolder(w.home, w.dir);
}

/** Records `dir` as trusted in `home`'s ~/.claude.json, keeping what is there (taskhooks' local-scope server). */
export function trustFolder(home: string, dir: string): void {
  const file = path.join(home, '.claude.json');
  const value = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { projects?: Record<string, object> })
    : {};
  const projects = value.projects ?? {};
  projects[dir] = { ...projects[dir], hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true };
  writeFileSync(file, JSON.stringify({ ...value, projects }));
}
