// The real Claude Code CLI (test/peers.json) in a test: how to run it offline and what its session transcript says.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeRepo } from './git.js';
import { hookEnv, ROOT, writeConfig } from './hooks.js';
import { peer } from './peers.js';

export const CLAUDE = peer('@anthropic-ai/claude-code').entry;

export function runClaude(
  cwd: string,
  env: NodeJS.ProcessEnv,
  extraArgs: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      CLAUDE,
      ['-p', 'hi', ...extraArgs],
      { cwd, env, timeout: 90_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
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

/** One tool call the stand-in model asks for. */
export interface ToolStep {
  tool: string;
  input: Record<string, unknown>;
}

/**
 * A stand-in for the Messages API (streaming): turn k (k tool results in the conversation so far) asks for `steps[k]`,
 * and once they are all done the turn just ends, after `thinkMs` as a model would. `requests` holds every request body.
 */
export async function messagesStub(
  steps: ToolStep[],
  { thinkMs = 0 }: { thinkMs?: number } = {},
): Promise<{ url: string; close(): Promise<void>; requests: string[] }> {
  let n = 0;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', async () => {
      n++;
      requests.push(body);
      const parsed = (body ? JSON.parse(body) : {}) as {
        model?: string;
        tools?: Array<{ name: string }>;
        messages?: unknown[];
      };
      const done = JSON.stringify(parsed.messages ?? []).split('"tool_result"').length - 1;
      const step = steps[done];
      const ask = step && (parsed.tools ?? []).some((t) => t.name === step.tool) ? step : undefined;
      if (!ask && done > 0) await new Promise((r) => setTimeout(r, thinkMs));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const ev = (type: string, data: Record<string, unknown>) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      ev('message_start', {
        message: {
          id: `msg_${n}`,
          type: 'message',
          role: 'assistant',
          content: [],
          model: parsed.model ?? 'stub',
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 1, output_tokens: 1 },
        },
      });
      const block = ask
        ? { type: 'tool_use', id: `toolu_${n}`, name: ask.tool, input: {} }
        : { type: 'text', text: '' };
      const delta = ask
        ? { type: 'input_json_delta', partial_json: JSON.stringify(ask.input) }
        : { type: 'text_delta', text: 'done' };
      ev('content_block_start', { index: 0, content_block: block });
      ev('content_block_delta', { index: 0, delta });
      ev('content_block_stop', { index: 0 });
      ev('message_delta', {
        delta: { stop_reason: ask ? 'tool_use' : 'end_turn', stop_sequence: null },
        usage: { output_tokens: 1 },
      });
      ev('message_stop', {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

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
  cli(args: string[]): Promise<{ stdout: string }>;
}

/** A ClaudeWorld; each thing it makes is pushed to `cleanups` for the test to undo. */
export function claudeWorld(config: unknown, cleanups: Array<() => unknown>): ClaudeWorld {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'th-e2e-claude-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
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
  return { home, taskhooksHome, dir: repo.dir, cli };
}
