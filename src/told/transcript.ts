// The end of a session's transcript (Claude Code's `transcript_path`, JSON lines), read to find out whether what a
// hook injected arrived: Claude Code records each additionalContext as an `attachment` line of type
// `hook_additional_context` whose `content` holds the text, marker included.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import type { Delivery, FoundDelivery } from './table.js';

/** How much of the transcript's end is read: the injections in question are the last few turns'. */
export const TRANSCRIPT_TAIL_BYTES = 256 * 1024;

/**
 * The last `maxBytes` of the file, whole lines only; undefined when it is not a regular file or cannot be read. Opened
 * non-blocking and checked after opening, so a path that names (or links to) a FIFO or a device never blocks the hook.
 */
export function readTranscriptTail(file: string, maxBytes = TRANSCRIPT_TAIL_BYTES): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const length = Math.min(stat.size, maxBytes);
    const buf = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buf, read, length - read, stat.size - length + read);
      if (n === 0) break;
      read += n;
    }
    const text = buf.subarray(0, read).toString('utf8');
    // A tail that starts mid-line drops that line's part.
    return length < stat.size ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether nothing is at `file` yet: Claude Code names a `-p` session's transcript before it writes the file, so the
 * session's first hooks find none, though what they inject arrives.
 */
export function notWrittenYet(file: string): boolean {
  try {
    lstatSync(file);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Whether the model answered after `at`: an assistant line of the transcript stamped later. */
export function answeredAfter(tail: string, at: number): boolean {
  for (const line of tail.split('\n')) {
    if (!line.includes('"type":"assistant"')) continue;
    try {
      const stamp = (JSON.parse(line) as { type?: unknown; timestamp?: unknown }).timestamp;
      if (typeof stamp === 'string' && Date.parse(stamp) > at) return true;
    } catch {
      // A line being written as we read: the next hook reads it whole.
    }
  }
  return false;
}

/**
 * What the transcript at `file` shows of the session's pending injections: found is delivered; not found after the
 * model answered is lost; no transcript to read is unknown (never left pending, which would keep the news gate open),
 * but one named and not written yet is a transcript to come: pending still. What is still pending is left out:
 * nothing changed for it.
 */
export function deliveriesIn(
  file: string | undefined,
  pending: ReadonlyArray<{ event: string } & Delivery>,
): FoundDelivery[] {
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
 * The text of the last assistant message in a transcript's tail (Claude Code's lines: `{"type":"assistant",
 * "message":{"content":[{"type":"text","text":…}]}}`): a session's closing words when no Stop input carried them.
 */
export function lastAssistantText(tail: string): string | undefined {
  const lines = tail.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (!line.includes('"assistant"')) continue;
    try {
      const parsed = JSON.parse(line) as { type?: unknown; message?: { content?: unknown } };
      if (parsed.type !== 'assistant') continue;
      const content = parsed.message?.content;
      const text = Array.isArray(content)
        ? content
            .filter((c): c is { type: 'text'; text: string } => c?.type === 'text' && typeof c.text === 'string')
            .map((c) => c.text)
            .join('\n')
        : typeof content === 'string'
          ? content
          : '';
      if (text.trim()) return text;
    } catch {
      // A line cut by the tail, or written as we read: an earlier one may still answer.
    }
  }
  return undefined;
}
