// The listing cache: listings kept by the store's change sequence they were read at. Every write that changes tasks,
// projects or branches moves the store's sequence on inside its transaction, so a listing read after the sequence was
// N holds every write up to N (and perhaps a later one, which a reader at N may be sent anyway: patching is
// idempotent), and the same arguments name the same project or branch at N; a caller who reads N again is answered
// what a fresh read would give it, without the names looked up, the count, the sorted page, the row mapping or the
// JSON. The store's sequence counts every project's writes: it keys what is kept here, and answers carry their
// project's own instead.
import type { TaskStore } from '../store/index.js';

/** Distinct listings (filter, page, arguments) kept per store; the least recently used goes first. */
const MAX_ENTRIES = 256;

interface Kept {
  sequence: number;
  entries: Map<string, Promise<string>>;
}

const keptByStore = new WeakMap<TaskStore, Kept>();

/**
 * The serialized answer for `key` at `sequence`, the store's change sequence read before it (freshSequence): kept, or
 * read once by `read` (callers that ask for the same key meanwhile share that one read). A sequence other than the
 * kept one, forward or back (a store restored from a backup), drops everything kept.
 */
export function keptListing(
  store: TaskStore,
  sequence: number,
  key: string,
  read: () => Promise<string>,
): Promise<string> {
  let kept = keptByStore.get(store);
  if (!kept || kept.sequence !== sequence) {
    kept = { sequence, entries: new Map() };
    keptByStore.set(store, kept);
  }
  const hit = kept.entries.get(key);
  if (hit) {
    kept.entries.delete(key);
    kept.entries.set(key, hit);
    return hit;
  }
  const reading = read();
  kept.entries.set(key, reading);
  if (kept.entries.size > MAX_ENTRIES) kept.entries.delete(kept.entries.keys().next().value as string);
  const entries = kept.entries;
  // A failed read is not kept: the next caller tries again.
  reading.catch(() => {
    if (entries.get(key) === reading) entries.delete(key);
  });
  return reading;
}

interface Flight {
  /** The sequence read sent last, until it is answered. */
  out?: Promise<number>;
  /** The read every caller that came while `out` was under way shares, sent once `out` is answered. */
  queued?: Promise<number>;
}

const flights = new WeakMap<TaskStore, Flight>();

/**
 * The store's change sequence, read after this call began: so every write committed before it (the caller's own,
 * through any process) is at or below it. Calls that come while a read is under way do not share it (it may have
 * been answered before they came) but the next one, sent when it is answered: one round trip serves every list call
 * that came meanwhile.
 */
export function freshSequence(store: TaskStore): Promise<number> {
  let flight = flights.get(store);
  if (!flight) {
    flight = {};
    flights.set(store, flight);
  }
  const f = flight;
  const send = (): Promise<number> => {
    const out = store.changeSequence();
    f.out = out;
    const done = (): void => {
      if (f.out === out) f.out = undefined;
    };
    out.then(done, done);
    return out;
  };
  if (!f.out) return send();
  f.queued ??= f.out
    .catch(() => undefined)
    .then(() => {
      f.queued = undefined;
      return send();
    });
  return f.queued;
}
