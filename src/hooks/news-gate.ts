// Whether a UserPromptSubmit may have news to tell, from two small files (src/cache/news-generation.ts): answered
// before zod, the config or SQLite load, since nothing new is what almost every prompt finds.
import { isSafeSessionId, readNewsGeneration, readToldGeneration } from '../cache/news-generation.js';
import { resolveHome } from '../home/dir.js';

export function mayHaveNews(raw: unknown, env: NodeJS.ProcessEnv): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const sessionId = (raw as { session_id?: unknown }).session_id;
  if (typeof sessionId !== 'string' || !isSafeSessionId(sessionId)) return false;
  try {
    const home = resolveHome(env);
    const generation = readNewsGeneration(home);
    // Nothing was ever cached: there is nothing to tell, nor a baseline worth recording.
    if (generation === '') return false;
    return readToldGeneration(home, sessionId) !== generation;
  } catch {
    // An unreadable file is the full hook's to report (it logs); the gate only decides who pays for the check.
    return true;
  }
}
