// What every part of the dashboard's HTML is made with: `esc` for every value from a task, a server or a session, so
// task text is always text, and how old a time is, for a person.
import { stripControls } from '../context/sanitize.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/**
 * Text as HTML text: controls, escape sequences and what shows nothing (bidi overrides and isolates, zero-width
 * characters) are taken out first, so no task can reorder or hide what the page shows; newlines and tabs stay.
 */
export const esc = (v: unknown): string =>
  stripControls(String(v), { multiline: true }).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** "12 s ago", "3 min ago": how old a time is, for a person. */
function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export const time = (at: number | undefined, now: number): string =>
  at ? `<time datetime="${esc(new Date(at).toISOString())}">${esc(ago(at, now))}</time>` : 'never';

/** A select's options: each value, shown as `label` gives it. */
export const options = (values: readonly string[], selected: string, label = (v: string) => v): string =>
  values.map((v) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label(v))}</option>`).join('');
