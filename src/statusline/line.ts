// The status line's one row: the task in progress (else the next one), how many are pending, how old the snapshot is,
// and whether it can be trusted — fitted to the terminal's width by giving up the least useful part first.
import type { SnapshotStatus } from '../cache/snapshot-status.js';
import { formatAge } from '../util/age.js';
import { cleanText, displayWidth, fitWidth } from './text.js';

const SEP = ' · ';
/** A task id wider than this is cut: ids are short, and one that is not must not crowd out everything else. */
const ID_COLUMNS = 24;
/** A title cut below this says nothing: the facts after it go first. */
const MIN_TITLE_COLUMNS = 8;

interface LineParts {
  /** Always shown: the task id, or what stands for the state ("tasks: not fetched yet"). */
  head: string;
  /** Cut first, with an ellipsis. */
  title?: string;
  /** Shown after the task, given up from the end when a cut title still does not fit. */
  facts: string[];
  /** Kept at any width: what makes the rest doubtful. */
  flags: string[];
}

const tail = (items: string[]): string => items.map((i) => `${SEP}${i}`).join('');

/** The parts within `columns`: the title cut, then facts dropped from the end, then the title dropped, then a hard cut. */
export function fitLine(parts: LineParts, columns: number): string {
  const { head, title, facts, flags } = parts;
  for (let n = facts.length; n >= 0; n--) {
    const after = tail([...facts.slice(0, n), ...flags]);
    const fixed = displayWidth(head) + displayWidth(after);
    if (!title) {
      if (fixed <= columns) return `${head}${after}`;
      continue;
    }
    const room = columns - fixed - 1;
    if (displayWidth(title) <= room || room >= MIN_TITLE_COLUMNS) return `${head} ${fitWidth(title, room)}${after}`;
  }
  return fitWidth(`${head}${tail(flags)}`, columns);
}

function parts(status: SnapshotStatus | undefined, now: number): LineParts {
  const flags: string[] = [];
  // A change the snapshot does not show yet: what it says may be wrong, so this goes first.
  if (status?.stale && status.fetchedAt > 0) flags.push('stale');
  // A failed refresh after the snapshot was taken: a fetched snapshot still stands, only older than it should be.
  if (status?.lastErrorAt !== undefined) flags.push('refresh failed');
  if (!status || status.fetchedAt <= 0) return { head: 'tasks: not fetched yet', facts: [], flags };
  const facts = [`${status.pending} pending`, `${formatAge(now - status.fetchedAt)} ago`];
  const task = status.inProgress ?? status.next;
  // With any task pending there is a next one (the brief falls back to the most urgent).
  if (!task) return { head: 'no pending tasks', facts: facts.slice(1), flags };
  const id = fitWidth(cleanText(task.id), ID_COLUMNS) || '(no id)';
  const head = status.inProgress ? id : `next: ${id}`;
  const title = cleanText(task.title);
  return title ? { head, title, facts, flags } : { head, facts, flags };
}

/** One row for the snapshot (undefined: nothing cached for this project and branch) at `now`, within `columns`. */
export function renderStatusLine(status: SnapshotStatus | undefined, now: number, columns: number): string {
  return fitLine(parts(status, now), columns);
}
