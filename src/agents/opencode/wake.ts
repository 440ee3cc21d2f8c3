// The idle wake of an OpenCode session: when a turn ends, the plugin runs the same watch as Claude Code's asyncRewake
// hook (`taskhooks watch --rewake`), which decides what is news for the session and ends with it at the first change
// (exit 2, the news on stderr); the plugin then puts that news into the session as a prompt, which starts a turn.
// The watch ends when the session is busy again, is deleted, or OpenCode's process ends.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { programToRun } from '../../util/executable.js';
import { withAbsolutePath } from '../../util/child-process.js';
import type { CallTarget } from './call.js';

/** The exit code of a rewake watch that found news (src/cli/commands/watch.ts). */
const REWAKE_EXIT = 2;
/** The news a watch writes is a few lines; more is not read. */
const MAX_NEWS_CHARS = 16_000;

/** The part of OpenCode's SDK client (v1, as plugins get it) that prompts a session without waiting for its turn. */
export interface PromptClient {
  session: {
    promptAsync(o: { path: { id: string }; body: { parts: Array<{ type: 'text'; text: string }> } }): Promise<unknown>;
  };
}

export interface IdleWaker {
  /** The session's turn ended: watch for news. */
  idle(sessionId: string): void;
  /** The session works (a prompt) or is gone: its watch ends. */
  busy(sessionId: string): void;
}

export function idleWaker(t: CallTarget & { client: PromptClient }): IdleWaker {
  const watches = new Map<string, ChildProcess>();
  const stop = (sessionId: string): void => {
    const child = watches.get(sessionId);
    watches.delete(sessionId);
    child?.kill();
  };
  process.once('exit', () => {
    for (const child of watches.values()) child.kill();
  });
  const wake = (sessionId: string, news: string): void => {
    t.client.session
      .promptAsync({ path: { id: sessionId }, body: { parts: [{ type: 'text', text: news.trim() }] } })
      .catch((err: unknown) => t.log(`idle wake of ${sessionId}: ${String(err)}; told at the next prompt instead`));
  };
  return {
    idle(sessionId) {
      stop(sessionId);
      const env = withAbsolutePath({ ...process.env, CLAUDE_PID: String(t.agentPid), CLAUDE_PROJECT_DIR: t.cwd });
      // Claude Code's word for a session nobody attends, which would end the watch at once.
      delete env.CLAUDE_CODE_SESSION_ATTENDED;
      const cli = path.join(t.root, 'dist', 'cli.js');
      const node = programToRun(t.node, env);
      if (node instanceof Error) return t.log(`idle wake: ${node.message}; no wake`);
      const child = spawn(node, [cli, 'watch', '--rewake', '--session', sessionId], {
        cwd: t.cwd,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      watches.set(sessionId, child);
      let news = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (d: string) => {
        if (news.length < MAX_NEWS_CHARS) news += d;
      });
      // A waiting watch never keeps OpenCode from exiting.
      child.unref();
      (child.stderr as { unref?: () => void } | null)?.unref?.();
      child.on('error', (err) => t.log(`idle wake: cannot run ${t.node} ${cli} (${err.message}); no wake`));
      child.on('close', (code) => {
        if (watches.get(sessionId) === child) watches.delete(sessionId);
        if (code === REWAKE_EXIT && news.trim()) wake(sessionId, news);
      });
    },
    busy: stop,
  };
}
