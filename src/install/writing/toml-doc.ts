// taskhooks' MCP server in an agent's TOML config (Codex's), as the one table `[mcp_servers.taskhooks]`. The file is
// the user's: smol-toml reads it (a file that is not TOML is refused untouched), but the edit is made on its text, so
// every comment, key and blank line outside that table stays byte for byte; each edit is parsed again and must give
// exactly the value meant, else it is refused and nothing is written.
import { parse, stringify, TomlError } from 'smol-toml';
import { MCP_SERVER_NAME } from '../../hooks/hosts/mcp-tool-input.js';
import { UserError } from '../../errors/user.js';
import { isJsonObject } from '../../util/object.js';
import type { JsonObject } from '../../files/json-doc.js';
import { readConfigDoc, sameJson } from '../../files/json-doc.js';
import { isTaskhooksServer } from './mcp-json.js';
import { foreignEntry, objectAt, refusingIn } from '../planning/refusals.js';

const SERVERS = 'mcp_servers';

export interface TomlDoc {
  file: string;
  /** null when the file does not exist yet. */
  text: string | null;
  value: JsonObject;
  /** Permission bits of the existing file. */
  mode?: number;
}

/** A TOML text's value; the error says where it is not TOML. */
export function parseToml(text: string, file: string): JsonObject {
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const what = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid';
    throw new Error(`${file}:${err.line}:${err.column} is not valid TOML (${what})`);
  }
}

/** Reads a TOML file; one that is not TOML fails with its line and column and is never touched. */
export function readTomlDoc(file: string): TomlDoc {
  const read = readConfigDoc(file, 'TOML', (text) => parseToml(text, file));
  return read === null ? { file, text: null, value: {} } : { file, ...read };
}

const serverOf = (value: JsonObject): unknown =>
  isJsonObject(value[SERVERS]) ? value[SERVERS][MCP_SERVER_NAME] : undefined;

/** Whether the config holds taskhooks' own server (not a server of the user's under the name). */
export function hasTomlServer(value: JsonObject): boolean {
  return isTaskhooksServer(serverOf(value));
}

/**
 * Refuses, naming it, a server under taskhooks' name in `file` that install did not write: a project's config, read
 * over the user's own, would shadow the task tools with whatever it runs.
 */
export function refuseForeignTomlServer(file: string): void {
  const present = serverOf(readTomlDoc(file).value);
  if (present !== undefined && !isTaskhooksServer(present))
    refusingIn(file, () => {
      throw foreignEntry(`[${SERVERS}.${MCP_SERVER_NAME}]`, present);
    });
}

/** A table header of the text: where its line starts, where its last key or value ends, and its key path. */
interface Header {
  start: number;
  bodyEnd: number;
  keys: string[];
}

/** A key of a header as TOML reads it: bare, or a quoted string decoded by the parser itself. */
function headerKey(raw: string): string {
  if (!raw.startsWith('"') && !raw.startsWith("'")) return raw;
  const v = parse(`k = ${raw}`).k;
  return typeof v === 'string' ? v : raw;
}

const KEY_PART = /\s*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)\s*(\.|\]\]?)/y;

/** The key path of the header at `i` (its `[`) and the index after its closing bracket. */
function readHeader(text: string, i: number): { keys: string[]; end: number } {
  const keys: string[] = [];
  let at = text[i + 1] === '[' ? i + 2 : i + 1;
  for (;;) {
    KEY_PART.lastIndex = at;
    const m = KEY_PART.exec(text);
    if (!m?.[1] || !m[2]) return { keys, end: at };
    keys.push(headerKey(m[1]));
    at = KEY_PART.lastIndex;
    if (m[2] !== '.') return { keys, end: at };
  }
}

/** The index right after a string opened at `i` by `quote` (one or three of them). */
function stringEnd(text: string, i: number, quote: '"' | "'"): number {
  const triple = text.startsWith(quote.repeat(3), i);
  let j = i + (triple ? 3 : 1);
  while (j < text.length) {
    const c = text[j];
    if (quote === '"' && c === '\\') j += 2;
    else if (triple ? text.startsWith(quote.repeat(3), j) : c === quote) {
      if (!triple) return j + 1;
      j += 3;
      // Up to two more quotes right before the closing ones belong to the string.
      for (let extra = 0; extra < 2 && text[j] === quote; extra++) j++;
      return j;
    } else j++;
  }
  return j;
}

const lineEnd = (text: string, i: number): number => {
  const n = text.indexOf('\n', i);
  return n === -1 ? text.length : n + 1;
};

/**
 * Every table header of a text that parsed as TOML, skipping strings, comments and values that span lines; each with
 * the end of the line of its table's last key or value (comments and blank lines after it belong to what follows).
 */
function headers(text: string): Header[] {
  const found: Header[] = [];
  let depth = 0;
  let lineStart = true;
  let lastContent = 0;
  const close = () => {
    const h = found.at(-1);
    if (h) h.bodyEnd = lineEnd(text, lastContent);
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    if (c === '\n') {
      lineStart = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') {
      const n = text.indexOf('\n', i);
      i = n === -1 ? text.length : n;
    } else if (c === '"' || c === "'") {
      i = stringEnd(text, i, c);
      lastContent = i - 1;
      lineStart = false;
    } else if (c === '[' && depth === 0 && lineStart) {
      close();
      const start = text.lastIndexOf('\n', i - 1) + 1;
      const { keys, end } = readHeader(text, i);
      found.push({ start, bodyEnd: lineEnd(text, end - 1), keys });
      lastContent = end - 1;
      lineStart = false;
      i = end;
    } else {
      if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && depth > 0) depth--;
      lastContent = i;
      lineStart = false;
      i++;
    }
  }
  close();
  return found;
}

const isOurTable = (keys: readonly string[]): boolean => keys[0] === SERVERS && keys[1] === MCP_SERVER_NAME;

/** Cuts `[start, end)`, and the blank lines before it when nothing but a blank line or the end follows. */
function cut(text: string, start: number, end: number): string {
  let from = start;
  if (end >= text.length || /^[ \t]*\r?\n/.test(text.slice(end))) {
    while (from > 0) {
      const prev = text.lastIndexOf('\n', from - 2) + 1;
      if (text.slice(prev, from).trim() !== '' || prev === from) break;
      from = prev;
    }
  }
  return text.slice(0, from) + text.slice(end);
}

/**
 * The table as TOML writes it, in the file's line endings. A value that is a table (the store server's `http_headers`)
 * is written inline, among the keys under the header, so an update replaces it with them.
 */
function tableText(entry: JsonObject, eol: string): string {
  const scalars = Object.fromEntries(Object.entries(entry).filter(([, v]) => !isJsonObject(v)));
  const inline = Object.entries(entry).flatMap(([key, v]) => {
    if (!isJsonObject(v)) return [];
    const pairs = Object.entries(v).map(([k, x]) => stringify({ [k]: x }).trim());
    return [
      `${stringify({ [key]: 0 })
        .split('=')[0]
        ?.trim()} = { ${pairs.join(', ')} }\n`,
    ];
  });
  return (stringify({ [SERVERS]: { [MCP_SERVER_NAME]: scalars } }) + inline.join('')).replace(/\n/g, eol);
}

/** The value the edited text must parse to: the config with taskhooks' server set, or taken out. */
function expected(value: JsonObject, entry: JsonObject | undefined): JsonObject {
  const servers: JsonObject = isJsonObject(value[SERVERS]) ? { ...value[SERVERS] } : {};
  if (entry) {
    const kept = isJsonObject(servers[MCP_SERVER_NAME]) ? servers[MCP_SERVER_NAME] : {};
    // Sub-tables of the server (its tools' approvals, an `env` the user added) stay beside the keys install writes.
    const subTables = Object.fromEntries(Object.entries(kept).filter(([k, v]) => isJsonObject(v) && !(k in entry)));
    servers[MCP_SERVER_NAME] = { ...entry, ...subTables };
  } else delete servers[MCP_SERVER_NAME];
  const next: JsonObject = { ...value };
  if (entry || Object.keys(servers).length > 0) next[SERVERS] = servers;
  else delete next[SERVERS];
  return next;
}

/** The text with taskhooks' server set (replacing only its own table's keys) or taken out with its sub-tables. */
function edited(text: string, value: JsonObject, entry: JsonObject | undefined): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const ours = headers(text).filter((h) => isOurTable(h.keys));
  const main = ours.find((h) => h.keys.length === 2);
  if (serverOf(value) !== undefined && !main)
    throw new Error('it holds the server as an inline table or dotted keys, which install does not edit');
  if (entry && main) {
    // Only the keys right under the header change: what stands between that table and the next is the user's.
    const table = tableText(entry, eol);
    const kept = text.slice(main.start, main.bodyEnd).endsWith('\n') ? table : table.slice(0, -eol.length);
    return text.slice(0, main.start) + kept + text.slice(main.bodyEnd);
  }
  if (entry) {
    if (text.trim() === '') return tableText(entry, eol);
    const end = text.endsWith('\n') ? text : text + eol;
    return `${end}${eol}${tableText(entry, eol)}`;
  }
  let next = text;
  for (const h of [...ours].reverse()) next = cut(next, h.start, h.bodyEnd);
  return next;
}

/**
 * The config text with taskhooks' server set to `entry` (or taken out when it is undefined). A server under the name
 * that install did not write is refused when one is to be set, and stays on removal; so does an `mcp_servers` that is
 * not a table. Throws when the edit would change anything else.
 */
export function withTomlServer(
  doc: { file: string; text: string | null; value: JsonObject },
  entry?: JsonObject,
): string | null {
  if (entry) objectAt(doc.value, SERVERS);
  const existing = serverOf(doc.value);
  if (existing !== undefined && !isTaskhooksServer(existing)) {
    if (entry) throw foreignEntry(`[${SERVERS}.${MCP_SERVER_NAME}]`, existing);
    return doc.text;
  }
  if (!entry && existing === undefined) return doc.text;
  // Keys the user added to taskhooks' table stay while install's own are current; an update rewrites the table's keys.
  if (entry && isJsonObject(existing) && Object.entries(entry).every(([k, v]) => sameJson(existing[k], v)))
    return doc.text;
  const want = expected(doc.value, entry);
  let next: string;
  try {
    next = edited(doc.text ?? '', doc.value, entry);
    if (!sameJson(parseToml(next, doc.file), want)) throw new Error('the edit would change more than that table');
  } catch (err) {
    throw new UserError(
      `cannot edit [${SERVERS}.${MCP_SERVER_NAME}] in ${doc.file}: ${(err as Error).message}; set it by hand and run again — nothing was changed`,
    );
  }
  return next;
}
