// Told, and known to be told: every injection carries a short marker at the end of its first line (src/context/marker.ts,
// made by the pipeline for each run, put there by what renders the text); the session's next hook looks for it at the
// end of the transcript and records it delivered, or lost when the model answered without it.
// A lost SessionStart context is told again, once, by the next UserPromptSubmit, PostToolUse or PostToolBatch.
import { forgetToldGeneration, isSafeSessionId } from '../../cache/news-generation.js';
import type { Cache } from '../../cache/cache.js';
import { type Delivery, pendingDeliveries, recordTold, writeDelivery } from '../../cache/told.js';
import type { HookInput } from '../input-fields.js';
import { answeredAfter, notWrittenYet, readTranscriptTail } from './transcript.js';
import type { HookDeps, HookResult } from '../types.js';

/** A pending injection's delivery as the transcript shows it now: what the run's one write records. */
export interface FoundDelivery {
  event: string;
  delivery: Delivery;
}

/**
 * Looks for the session's pending markers in its transcript (one read of the cache): found is delivered; not found
 * after the model answered is lost; no transcript to read is unknown (never left pending, which would keep the news
 * gate open), but one named and not written yet is a transcript to come: pending still. What is still pending is
 * left out: nothing changed for it.
 */
export function findDeliveries(input: HookInput, cache: Cache): FoundDelivery[] {
  const sessionId = input.session_id;
  if (!sessionId) return [];
  const pending = pendingDeliveries(cache, sessionId);
  if (pending.length === 0) return [];
  const file = input.transcript_path;
  const tail = file ? readTranscriptTail(file) : undefined;
  if (tail === undefined && file && notWrittenYet(file)) return [];
  return pending.flatMap(({ event, ...d }) => {
    const state =
      tail === undefined
        ? 'unknown'
        : tail.includes(d.marker)
          ? 'delivered'
          : answeredAfter(tail, d.at)
            ? 'lost'
            : 'pending';
    return state === 'pending' ? [] : [{ event, delivery: { ...d, state } }];
  });
}

/**
 * Records what findDeliveries found, inside the caller's write, and says which contexts did not arrive (lost), or
 * whose arrival cannot be told (no transcript to read): that is not news of a loss.
 */
export function recordDeliveries(sessionId: string, found: readonly FoundDelivery[], deps: HookDeps): void {
  for (const { event, delivery } of found) {
    writeDelivery(deps.cache, sessionId, event, delivery);
    const fields = { event, marker: delivery.marker, state: delivery.state };
    if (delivery.state === 'lost') deps.log.warn(fields, `the ${event} context did not reach the session's transcript`);
    else if (delivery.state === 'unknown')
      deps.log.info(fields, `whether the ${event} context arrived cannot be told: no transcript to read`);
  }
}

/**
 * Keeps what the session is told, with the marker its text carries, so a person can see it (the dashboard) and the next
 * hook can check it arrived; a preview tells no one. The news gate is opened for the session, so that next hook looks.
 */
export function told(result: HookResult, input: HookInput, deps: HookDeps): HookResult {
  const out = result.output?.hookSpecificOutput;
  const sessionId = input.session_id;
  const { marker } = deps;
  if (!out?.additionalContext || !sessionId || deps.dryRun || marker === undefined) return result;
  const text = out.additionalContext;
  if (!text.includes(marker)) {
    deps.log.warn({ event: out.hookEventName }, 'the context carries no marker: whether it arrives is not followed');
    return result;
  }
  try {
    recordTold(deps.cache, { sessionId, event: out.hookEventName, text, marker, at: (deps.now ?? Date.now)() });
    if (isSafeSessionId(sessionId)) forgetToldGeneration(deps.settings.home, sessionId);
  } catch (err) {
    // The answer matters more than its record: the session is told all the same.
    deps.log.warn({ err }, 'could not record what the session was told');
  }
  return result;
}
