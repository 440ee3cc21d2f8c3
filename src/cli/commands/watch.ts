// `taskhooks watch`: what an idle session hears. Claude Code's plugin monitor runs it for the session and delivers
// every line it prints; with --rewake it is an asyncRewake hook instead, which ends with the first news (exit 2 wakes
// the session with it) for sessions whose hooks came from settings, where no plugin monitor runs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openCache } from '../../cache/cache.js';
import { isSafeSessionId } from '../../cache/news-generation.js';
import { watchNews } from '../../hooks/hosts/news-watch.js';
import { homeFiles } from '../../home/files.js';
import { defineCommand, UsageError } from '../args.js';
import type { Command } from '../command.js';

/** Exit code that makes Claude Code wake the session with what the hook wrote to stderr. */
const REWAKE_EXIT = 2;

/** Where the newest rewake watch of a session writes its pid; an older one that finds another pid there ends. */
function claimWaiter(home: string, sessionId: string): () => boolean {
  const dir = homeFiles(home).watchers;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, sessionId);
  writeFileSync(file, String(process.pid), { mode: 0o600 });
  return () => {
    try {
      return readFileSync(file, 'utf8') === String(process.pid);
    } catch {
      return false;
    }
  };
}

export const watchCommands: Command[] = [
  defineCommand({
    name: 'watch',
    summary: 'Print a line for each task change this Claude Code session has not been told of yet, until it ends',
    description:
      "Run by the plugin's monitor for each session (CLAUDE_CODE_SESSION_ID, CLAUDE_PID), it prints nothing else:\n" +
      'each line reaches the session. With --rewake it waits for the first news, writes it to stderr and exits 2,\n' +
      'which wakes an idle session (an asyncRewake hook); a newer rewake watch of the same session ends an older one.',
    flags: {
      session: {
        type: 'string',
        placeholder: 'ID',
        description: 'the Claude Code session (default: CLAUDE_CODE_SESSION_ID, which Claude Code sets)',
      },
      rewake: { type: 'boolean', description: 'end at the first news with exit code 2 (an asyncRewake hook)' },
    },
    examples: [{ command: 'taskhooks watch', description: 'in a plugin monitor: one line per change' }],
    async run(ctx, { values }) {
      const sessionId = values.session ?? ctx.env.CLAUDE_CODE_SESSION_ID;
      if (!sessionId || !isSafeSessionId(sessionId))
        throw new UsageError(
          'taskhooks watch needs the session: Claude Code sets CLAUDE_CODE_SESSION_ID for its monitors and hooks; elsewhere give --session ID',
        );
      // Nobody waits at an unattended session (`claude -p`, the SDK): there is no idle time to fill, and Claude Code
      // would wait for this hook before it exits.
      if (values.rewake && ctx.env.CLAUDE_CODE_SESSION_ATTENDED === '0') return 0;
      const pid = Number(ctx.env.CLAUDE_PID);
      const { settings } = ctx;
      const log = ctx.log();
      const stop = new AbortController();
      for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, () => stop.abort());
      // The session went away with its end of the pipe: nobody is left to tell.
      ctx.out.stdout.on('error', () => stop.abort());
      const newest = values.rewake ? claimWaiter(settings.home, sessionId) : () => true;
      let told: string[] = [];
      await watchNews({
        sessionId,
        cwd: ctx.env.CLAUDE_PROJECT_DIR ?? ctx.cwd,
        settings,
        log,
        openCache: (s) => openCache({ home: s.home, log }),
        claudePid: Number.isInteger(pid) && pid > 1 ? pid : undefined,
        signal: stop.signal,
        stillWanted: newest,
        tell: (items) => {
          if (!newest()) return stop.abort();
          if (values.rewake) {
            told = items;
            return stop.abort();
          }
          ctx.out.stdout.write(items.map((i) => `taskhooks: ${i}\n`).join(''));
        },
      });
      if (!values.rewake) return 0;
      if (newest()) rmSync(path.join(homeFiles(settings.home).watchers, sessionId), { force: true });
      if (told.length === 0) return 0;
      ctx.out.stderr.write(`taskhooks: changed since you were last told:\n${told.map((i) => `- ${i}`).join('\n')}\n`);
      return REWAKE_EXIT;
    },
  }),
];
