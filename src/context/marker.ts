// How taskhooks knows a context reached the session: the renderer puts a short marker at the end of the first line of
// every injection, and the session's next hook looks for it in the transcript (src/told/told.ts).

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
 * replaced); the text as it is when there is no marker to carry (a preview, a session without an id).
 */
export function marked(text: string, marker: string | undefined): string {
  if (marker === undefined) return text;
  const plain = unmarked(text);
  const end = plain.indexOf('\n');
  return end === -1 ? `${plain} ${marker}` : `${plain.slice(0, end)} ${marker}${plain.slice(end)}`;
}

/** The text without its marker: what a context told again repeats. */
export const unmarked = (text: string): string => text.replace(MARKER_AT_END, '');
