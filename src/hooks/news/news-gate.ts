// Whether a UserPromptSubmit, PostToolUse or PostToolBatch may have news to tell, from two small files
// (src/cache/news-generation.ts): answered before zod, the config or SQLite load, since nothing new is what almost
// every prompt and tool call finds.
import { isSafeSessionId, readNewsGeneration, readToldGeneration } from '../../cache/news-generation.js';
import { resolveHome } from '../../home/dir.js';
import { monitorLateIn } from '../../home/monitor-late.js';
import type { EntryGate } from '../types.js';

/** The entry's gate of every event that tells news: this module's `mayHaveNews`. */
export const NEWS_GATE: EntryGate = { module: 'news/news-gate', check: 'mayHaveNews', env: true };

/** Whether the session was last told at another generation than the cache's (an unreadable file says yes). */
export function newsDue(home: string, sessionId: string): boolean {
  // A run after a late monitor (a command hook's own environment) looks again: the monitor may have moved the told
  // mark past news it told nobody.
  if (monitorLateIn(process.env)) return true;
  try {
    const generation = readNewsGeneration(home);
    // Nothing was ever cached: there is nothing to tell, nor a baseline worth recording.
    if (generation === '') return false;
    return readToldGeneration(home, sessionId) !== generation;
  } catch {
    // An unreadable file is the full hook's to report (it logs); the gate only decides who pays for the check.
    return true;
  }
}

/** The session id of a hook input, when it is one the news ledger can name a file after. */
export function safeSessionId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const sessionId = (raw as { session_id?: unknown }).session_id;
  return typeof sessionId === 'string' && isSafeSessionId(sessionId) ? sessionId : undefined;
}

export function mayHaveNews(raw: unknown, env: NodeJS.ProcessEnv): boolean {
  const sessionId = safeSessionId(raw);
  if (sessionId === undefined) return false;
  try {
    return newsDue(resolveHome(env), sessionId);
  } catch {
    return true;
  }
}
