// What a session was told, what it was meant to get and whether it arrived, for one hook run: the pipeline calls
// toldBefore once before the event's own work and the answer's `after` once after it. Every injection carries a short
// marker at the end of its first line (src/context/marker.ts); the session's next hook looks for it at the end of the
// transcript (./transcript.ts) and records it delivered, or lost when the model answered without it. A lost
// SessionStart context is told again, once, by the next UserPromptSubmit, PostToolUse or PostToolBatch.
import type { Cache } from '../cache/cache.js';
import { takeEventLease } from '../cache/event-leases.js';
import { touchSession } from '../cache/live-sessions.js';
import { forgetToldGeneration, isSafeSessionId } from '../cache/news-generation.js';
import type { Logger } from '../log/logger.js';
import { type FoundDelivery, pendingDeliveries, recordDeliveries, recordTold } from './table.js';
import { deliveriesIn } from './transcript.js';

/** What the told module needs of a run. */
export interface ToldDeps {
  cache: Cache;
  log: Logger;
  now?: () => number;
  /** Where the state directory is: the news gate keeps there the generation each session was told at. */
  settings: { home: string };
  /** A preview (`taskhooks context`): nothing is looked up or written. */
  dryRun?: boolean | undefined;
}

/** The input fields that name the session and its transcript. */
export interface ToldInput {
  session_id?: string | undefined;
  transcript_path?: string | undefined;
}

/** What an answer tells the session: the hook answer's shape, as far as telling goes. */
export interface ToldAnswer {
  output: { hookSpecificOutput?: { hookEventName: string; additionalContext?: string } } | null;
}

/** One run's telling, once it is known to answer. */
export interface Told {
  /**
   * Keeps what the answer tells the session with `marker` (pending until the next hook finds it in the transcript),
   * for the dashboard and that next hook, and opens the news gate so that hook looks. A preview passes none.
   */
  after<R extends ToldAnswer>(result: R, marker: string | undefined): R;
}

/** A run that tells no session it follows: a preview, or an input that names no session and no event. */
const TELLS_NO_ONE: Told = { after: (result) => result };

/**
 * Before the event runs: what arrived of what the session was told is looked up (one read of the cache and the
 * transcript's end), then one write takes the event's lease `key`, notes that the session is still live and records
 * those deliveries. Undefined when another run holds the lease: nothing is written then. A cache that cannot say
 * means answering: told twice beats told nothing.
 */
export function toldBefore(input: ToldInput, deps: ToldDeps, key: string | undefined): Told | undefined {
  const session = input.session_id;
  if (deps.dryRun || (key === undefined && !session)) return TELLS_NO_ONE;
  const found = session ? lookForDeliveries(session, input.transcript_path, deps) : [];
  let answers = true;
  try {
    answers = deps.cache.write(() => {
      if (key !== undefined && !takeEventLease(deps.cache, key)) return false;
      if (session) {
        touchSession(deps.cache, session, (deps.now ?? Date.now)());
        recordDeliveries(deps.cache, session, found, deps.log);
      }
      return true;
    });
  } catch (err) {
    deps.log.warn({ err }, 'could not take the event lease; answering in case this run is the only one');
  }
  if (!answers) return undefined;
  return {
    after(result, marker) {
      const out = result.output?.hookSpecificOutput;
      if (!out?.additionalContext || !session || marker === undefined) return result;
      const text = out.additionalContext;
      if (!text.includes(marker)) {
        deps.log.warn(
          { event: out.hookEventName },
          'the context carries no marker: whether it arrives is not followed',
        );
        return result;
      }
      try {
        const at = (deps.now ?? Date.now)();
        recordTold(deps.cache, { sessionId: session, event: out.hookEventName, text, marker, at });
        if (isSafeSessionId(session)) forgetToldGeneration(deps.settings.home, session);
      } catch (err) {
        // The answer matters more than its record: the session is told all the same.
        deps.log.warn({ err }, 'could not record what the session was told');
      }
      return result;
    },
  };
}

/** Whether what the session was told before arrived: a failure to find out is logged, never the run's. */
function lookForDeliveries(session: string, transcript: string | undefined, deps: ToldDeps): FoundDelivery[] {
  try {
    const pending = pendingDeliveries(deps.cache, session);
    return pending.length === 0 ? [] : deliveriesIn(transcript, pending);
  } catch (err) {
    deps.log.warn({ err }, "could not check the session's transcript for what it was told");
    return [];
  }
}
