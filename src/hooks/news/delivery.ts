// Told, and known to be told: every injection carries a short marker at the end of its first line; the session's next hook
// looks for it at the end of the transcript and records it delivered, or lost when the model answered without it.
// A lost SessionStart context is told again, once, by the next UserPromptSubmit, PostToolUse or PostToolBatch.
import { forgetToldGeneration, isSafeSessionId } from '../../cache/news-generation.js';
import { pendingDeliveries, recordTold, writeDelivery } from '../../cache/sessions.js';
import type { HookInput } from '../input-fields.js';
import { answeredAfter, readTranscriptTail } from './transcript.js';
import type { HookDeps, HookResult } from '../types.js';

/** `[taskhooks#` + 6 characters + `]`. */
export const MARKER_CHARS = 18;
/** A marker where `marked` puts one: at the end of the first line. */
const MARKER_AT_END = / \[taskhooks#[a-z0-9]{6}\](?=\n|$)/;

/** A new marker: six base-36 characters, enough to tell a session's injections apart. */
export function newMarker(): string {
  return `[taskhooks#${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}]`;
}

/**
 * The text with `marker` at the end of its first line (the line's own words stay first; a marker already there is
 * replaced).
 */
export function marked(text: string, marker: string): string {
  const plain = unmarked(text);
  const end = plain.indexOf('\n');
  return end === -1 ? `${plain} ${marker}` : `${plain.slice(0, end)} ${marker}${plain.slice(end)}`;
}

/** The text without its marker: what a context told again repeats. */
export const unmarked = (text: string): string => text.replace(MARKER_AT_END, '');

/**
 * Looks for the session's pending markers in its transcript: found is delivered; not found after the model answered
 * is lost; no transcript to read is unknown (never left pending, which would keep the news gate open).
 */
export function checkDeliveries(input: HookInput, deps: HookDeps): void {
  const sessionId = input.session_id;
  if (!sessionId) return;
  const pending = pendingDeliveries(deps.cache, sessionId);
  if (pending.length === 0) return;
  const tail = input.transcript_path ? readTranscriptTail(input.transcript_path) : undefined;
  for (const p of pending) {
    const { event, ...d } = p;
    const state =
      tail === undefined
        ? 'unknown'
        : tail.includes(d.marker)
          ? 'delivered'
          : answeredAfter(tail, d.at)
            ? 'lost'
            : 'pending';
    if (state === 'pending') continue;
    writeDelivery(deps.cache, sessionId, event, { ...d, state });
    if (state !== 'delivered')
      deps.log.warn({ event, marker: d.marker, state }, `the ${event} context did not reach the session's transcript`);
  }
}

/**
 * Marks what the session is told and keeps it, so a person can see it (the dashboard) and the next hook can check it
 * arrived; a preview tells no one. The news gate is opened for the session, so that next hook looks.
 */
export function told(result: HookResult, input: HookInput, deps: HookDeps): HookResult {
  const out = result.output?.hookSpecificOutput;
  const sessionId = input.session_id;
  if (!out?.additionalContext || !sessionId || deps.dryRun) return result;
  const marker = newMarker();
  const text = marked(out.additionalContext, marker);
  try {
    recordTold(deps.cache, { sessionId, event: out.hookEventName, text, marker, at: (deps.now ?? Date.now)() });
    if (isSafeSessionId(sessionId)) forgetToldGeneration(deps.settings.home, sessionId);
  } catch (err) {
    // The answer matters more than its record: the session is told all the same.
    deps.log.warn({ err }, 'could not record what the session was told');
  }
  return { ...result, output: { hookSpecificOutput: { ...out, additionalContext: text } } };
}
