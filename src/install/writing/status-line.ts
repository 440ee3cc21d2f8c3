// taskhooks' status line in a Claude Code settings file. A settings file holds one status line, and the one a user
// chose is theirs: install adds ours only where there is none, keeps ours current, and uninstall takes out only ours.
import type { JsonObject } from '../../files/json-doc.js';
import { shellQuote } from '../paths.js';
import { isJsonObject } from '../../util/object.js';

export const STATUS_LINE_SCRIPT = 'dist/hooks/status-line.js';
/**
 * Seconds between re-runs while the session is idle: the line says how old the snapshot is, and the monitor refreshes
 * it without any message that would re-run the line. A minute matches the age's own resolution.
 */
const REFRESH_INTERVAL = 60;

export interface StatusLineSetting {
  type: 'command';
  command: string;
  /** The line is fitted to COLUMNS itself: no padding to push it past the edge. */
  padding: 0;
  refreshInterval: number;
}

export function desiredStatusLine(node: string, root: string): StatusLineSetting {
  return {
    type: 'command',
    command: `${shellQuote(node)} ${shellQuote(`${root}/${STATUS_LINE_SCRIPT}`)}`,
    padding: 0,
    refreshInterval: REFRESH_INTERVAL,
  };
}

function isTaskhooksStatusLine(v: unknown): boolean {
  return (
    isJsonObject(v) && v.type === 'command' && typeof v.command === 'string' && v.command.includes(STATUS_LINE_SCRIPT)
  );
}

export const hasTaskhooksStatusLine = (settings: JsonObject): boolean => isTaskhooksStatusLine(settings.statusLine);

export interface StatusLineChange {
  settings: JsonObject;
  /** The user's own status line, left as it was although ours was asked for. */
  keptTheirs: boolean;
}

/**
 * The settings with taskhooks' status line: `desired` replaces ours wherever it is (a moved install stays working), and
 * is added only when `add` is set and the file has none; undefined takes ours out. Anything else is left alone.
 */
export function withTaskhooksStatusLine(
  settings: JsonObject,
  desired?: StatusLineSetting,
  add = false,
): StatusLineChange {
  const current = settings.statusLine;
  if (isTaskhooksStatusLine(current)) {
    if (desired) return { settings: { ...settings, statusLine: desired }, keptTheirs: false };
    const rest = { ...settings };
    delete rest.statusLine;
    return { settings: rest, keptTheirs: false };
  }
  if (current !== undefined) return { settings, keptTheirs: Boolean(desired && add) };
  if (desired && add) return { settings: { ...settings, statusLine: desired }, keptTheirs: false };
  return { settings, keptTheirs: false };
}
