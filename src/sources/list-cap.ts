// How far a paged list is read: a tracker may answer pages without end, or a `next` that leads back to a page already
// read. Each list stops at the configured pages and items (`source.maxPages`, `source.maxItems`) or at the first page
// seen twice, and says which; only a list read to its end is complete (and worth keeping ETags for).

export interface ListCap {
  pages: number;
  items: number;
}

/** 5,000 issues in 50 pages: a list longer than that is not one person's pending work. */
export const DEFAULT_LIST_CAP: ListCap = { pages: 50, items: 5000 };

/** Why a list ended: its last page, or a cap, or a `next` that came back. */
export type ListEnd = 'complete' | 'pages' | 'items' | 'loop';

/** One list's walk through its pages: what is kept of each, and whether the next may be read. */
export class PageWalk {
  end: ListEnd = 'complete';
  private pages = 0;
  private items = 0;
  private readonly seen = new Set<string>();

  /** `first` names the first page (a URL, or '' for a cursor-less first request). */
  constructor(
    readonly cap: ListCap,
    first: string,
  ) {
    this.seen.add(first);
  }

  /** A page's items, cut so the list holds no more than the cap. */
  take<T>(items: readonly T[]): T[] {
    this.pages++;
    const room = this.cap.items - this.items;
    if (items.length > room) this.end = 'items';
    const kept = items.slice(0, Math.max(0, room));
    this.items += kept.length;
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
    case 'loop':
      return `only ${shown} issues are shown: the list's next page pointed back to a page already read`;
  }
}
