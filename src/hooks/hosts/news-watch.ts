// An idle session's channel: a process that lives as long as the session, waits on the news generation file (a file
// watch, no polling) and, when it moves, tells the session what changed through the same ledger as UserPromptSubmit,
// so every item is told once whichever channel tells it first. A plugin monitor delivers each line it prints; an
// asyncRewake hook wakes the session with the first news and ends.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Cache } from '../../cache/cache.js';
import { newsGenerationFile, readNewsGeneration, readToldGeneration } from '../../cache/news-generation.js';
import { isProcessAlive } from '../../util/file-lock.js';
import type { Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import { runHookPipeline } from './pipeline.js';
import { userPromptSubmitHook } from '../events/user-prompt-submit.js';

export interface NewsWatchOptions {
  sessionId: string;
  cwd: string;
  settings: Settings;
  log: Logger;
  openCache: (settings: Settings) => Cache;
  /** Each item as one line, as soon as it is known. */
  tell: (items: string[]) => void;
  /** The session's Claude Code process: the watch ends with it. */
  claudePid?: number | undefined;
  /** Ends the watch from outside (a signal, the rewake's first news). */
  signal: AbortSignal;
  /** Looked at with the process: false ends the watch (a newer watch of the session took over). */
  stillWanted?: () => boolean;
}

/** How often the watch looks whether its Claude Code process still lives: nothing else wakes it when it dies. */
const ALIVE_CHECK_MS = 5000;
/** A burst of cache writes is one wake. */
const SETTLE_MS = 50;

/** The items of a news context, one per line, without its header and its "and N more" footer. */
function newsItems(context: string): string[] {
  return context
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2));
}

/** Tells the session what it was not told yet, once; nothing when the generation it was told at is the current one. */
async function tellOnce(o: NewsWatchOptions, wake: number): Promise<void> {
  const { home } = o.settings;
  if (readToldGeneration(home, o.sessionId) === readNewsGeneration(home) && wake > 0) return;
  const input = {
    session_id: o.sessionId,
    cwd: o.cwd,
    hook_event_name: 'UserPromptSubmit',
    prompt: '',
    // One event per wake: the event lease then never mistakes a later wake for a second registration of this one.
    prompt_id: `watch-${process.pid}-${wake}`,
  };
  let cache: Cache | undefined;
  try {
    const result = await runHookPipeline(userPromptSubmitHook, input, {
      log: () => o.log,
      settings: async () => o.settings,
      openCache: (s) => (cache = o.openCache(s)),
      deps: { ensureMonitor: false },
    });
    const items = newsItems(result.output?.hookSpecificOutput?.additionalContext ?? '');
    if (items.length > 0) o.tell(items);
  } finally {
    cache?.close();
  }
}

/** Runs until the signal aborts or the session's process ends; every wake that finds news tells it. */
export async function watchNews(o: NewsWatchOptions): Promise<void> {
  const { home } = o.settings;
  let wake = 0;
  let running: Promise<void> | undefined;
  let again = false;
  let settle: NodeJS.Timeout | undefined;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = tellOnce(o, wake++)
      .catch((err: unknown) => o.log.warn({ err }, 'watch: telling the session failed; it is tried at the next change'))
      .finally(() => {
        running = undefined;
        if (again && !o.signal.aborted) {
          again = false;
          run();
        }
      });
  };
  const name = path.basename(newsGenerationFile(home));
  // The generation file is replaced by a rename: watching the folder sees every new one.
  const watcher: FSWatcher = watch(home, (_event, file) => {
    if (file !== name || o.signal.aborted) return;
    clearTimeout(settle);
    settle = setTimeout(run, SETTLE_MS);
  });
  run();
  await new Promise<void>((resolve) => {
    const alive = setInterval(() => {
      if ((o.claudePid !== undefined && !isProcessAlive(o.claudePid)) || o.stillWanted?.() === false) end();
    }, ALIVE_CHECK_MS);
    function end(): void {
      clearInterval(alive);
      resolve();
    }
    if (o.signal.aborted) end();
    o.signal.addEventListener('abort', end, { once: true });
    watcher.on('error', (err) => {
      o.log.warn({ err }, 'watch: the state directory can no longer be watched');
      end();
    });
  });
  clearTimeout(settle);
  watcher.close();
  await running;
}
