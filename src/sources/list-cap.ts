// How far a paged list is read: a tracker may answer pages without end, or a `next` that leads back to a page already
// read, or pages of 16 MiB each (one answer's cap), which fifty times over held the monitor at 854 MB. Each list stops
// at the configured pages and items (`source.maxPages`, `source.maxItems`), at 32 MiB kept, or at the first page seen
// twice, and says which; only a list read to its end is complete (and worth keeping ETags for). Each item is
// kept with its long fields cut as its page arrives, so the bytes a list holds are those of what it keeps.

export interface ListCap {
  pages: number;
  items: number;
  /** The bytes (as JSON text) the items kept from all of a list's pages may take together; 32 MiB unless said. */
  bytes?: number;
}

/** 5,000 issues in 50 pages and 32 MiB: a list longer than that is not one person's pending work. */
export const DEFAULT_LIST_CAP = { pages: 50, items: 5000, bytes: 32 * 1024 * 1024 } satisfies ListCap;

/** A longer string in an item (an issue's body) is cut here as its page arrives: a context shows far less. */
export const MAX_FIELD_CHARS = 64 * 1024;
/** Deeper than any tracker's item nests: what lies below is not kept. */
const MAX_ITEM_DEPTH = 32;

/** Why a list ended: its last page, or a cap, or a `next` that came back. */
export type ListEnd = 'complete' | 'pages' | 'items' | 'bytes' | 'loop';

/** A copy of `value` with every string over MAX_FIELD_CHARS cut (marked with an ellipsis), and its size as JSON text. */
function keptCopy(value: unknown, depth = 0): { value: unknown; bytes: number } {
  if (typeof value === 'string') {
    // Copied, not sliced: V8's slice of a long string keeps the whole of it alive.
    const kept = value.length > MAX_FIELD_CHARS ? `${Buffer.from(value.slice(0, MAX_FIELD_CHARS)).toString()}…` : value;
    return { value: kept, bytes: kept.length + 2 };
  }
  if (value === null || typeof value !== 'object') return { value, bytes: String(value).length };
  if (depth >= MAX_ITEM_DEPTH) return { value: null, bytes: 4 };
  let bytes = 2;
  if (Array.isArray(value)) {
    const out = value.map((v) => {
      const kept = keptCopy(v, depth + 1);
      bytes += kept.bytes + 1;
      return kept.value;
    });
    return { value: out, bytes };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const kept = keptCopy(v, depth + 1);
    out[k] = kept.value;
    bytes += k.length + 4 + kept.bytes;
  }
  return { value: out, bytes };
}

/** One list's walk through its pages: what is kept of each, and whether the next may be read. */
export class PageWalk {
  end: ListEnd = 'complete';
  private pages = 0;
  private items = 0;
  /** The bytes the items kept so far take, as JSON text (keptCopy's measure). */
  private bytes = 0;
  private readonly seen = new Set<string>();

  private readonly maxBytes: number;

  /** `first` names the first page (a URL, or '' for a cursor-less first request). */
  constructor(
    readonly cap: ListCap,
    first: string,
  ) {
    this.maxBytes = cap.bytes ?? DEFAULT_LIST_CAP.bytes;
    this.seen.add(first);
  }

  /**
   * A page's items, each with its long fields cut, as many as the list still has room for in items and bytes; the
   * rest is dropped with the page as it arrives.
   */
  take<T>(items: readonly T[]): T[] {
    this.pages++;
    const kept: T[] = [];
    for (const item of items) {
      if (this.items >= this.cap.items) {
        this.end = 'items';
        break;
      }
      const copy = keptCopy(item);
      if (this.bytes + copy.bytes > this.maxBytes) {
        this.end = 'bytes';
        break;
      }
      this.bytes += copy.bytes;
      this.items++;
      kept.push(copy.value as T);
    }
    return kept;
  }

  /** Whether the page `next` names may be read; when not, `end` says why (none named leaves it complete). */
  follow(next: string | null | undefined): next is string {
    if (this.end !== 'complete' || !next) return false;
    if (this.seen.has(next)) {
      this.end = 'loop';
      return false;
    }
    if (this.items >= this.cap.items) {
      this.end = 'items';
      return false;
    }
    if (this.bytes >= this.maxBytes) {
      this.end = 'bytes';
      return false;
    }
    if (this.pages >= this.cap.pages) {
      this.end = 'pages';
      return false;
    }
    this.seen.add(next);
    return true;
  }
}

/** The note a list that did not end at its last page carries, or undefined when it did. */
export function listEndNote(end: ListEnd, cap: ListCap, shown: number): string | undefined {
  switch (end) {
    case 'complete':
      return undefined;
    case 'pages':
      return `only the first ${shown} issues are shown: the list has more than ${cap.pages} pages (source.maxPages)`;
    case 'items':
      return `only the first ${shown} issues are shown: the list has more than ${cap.items} items (source.maxItems)`;
    case 'bytes':
      return `only the first ${shown} issues are shown: the list's issues took more than ${(cap.bytes ?? DEFAULT_LIST_CAP.bytes) / 1048576} MiB, long fields cut`;
    case 'loop':
      return `only ${shown} issues are shown: the list's next page pointed back to a page already read`;
  }
}
