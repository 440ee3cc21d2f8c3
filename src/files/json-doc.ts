// A JSON file as install sees it: its exact text (so a no-op stays byte-identical), its value and its own layout.
import { statSync } from 'node:fs';
import { parseJsonFile } from '../util/json.js';
import { UserError } from '../errors/user.js';
import { isJsonObject } from '../util/object.js';
import { CONFIG_MAX_BYTES, readFailure, readTextCapped } from '../util/safe-read.js';

export type JsonObject = Record<string, unknown>;

export interface JsonStyle {
  indent: string;
  eol: string;
  finalNewline: boolean;
}

export interface JsonDoc {
  file: string;
  /** null when the file does not exist yet. */
  text: string | null;
  value: JsonObject;
  style: JsonStyle;
  /** Permission bits of the existing file. */
  mode?: number;
}

const DEFAULT_STYLE: JsonStyle = { indent: '  ', eol: '\n', finalNewline: true };

function detectStyle(text: string): JsonStyle {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? DEFAULT_STYLE.indent;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { indent, eol, finalNewline: /\r?\n$/.test(text) };
}

/**
 * A config file install edits, read as its text and the value `parse` gives it; null text when it does not exist
 * yet. One that cannot be read or parsed is refused with the fix, and never touched.
 */
export function readConfigDoc<T>(
  file: string,
  kind: string,
  parse: (text: string) => T,
): { text: string; value: T; mode: number } | null {
  let text: string;
  try {
    text = readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(
      `cannot read ${file} (${readFailure(err)}); make it a readable ${kind} file and run again — nothing was changed`,
    );
  }
  let value: T;
  try {
    value = parse(text);
  } catch (err) {
    throw new UserError(
      `${err instanceof Error ? err.message : String(err)}; fix it by hand and run again — nothing was changed`,
    );
  }
  return { text, value, mode: statSync(file).mode & 0o7777 };
}

/** Reads a JSON object file; a malformed one fails with its line and column and is never touched. */
export function readJsonDoc(file: string): JsonDoc {
  const read = readConfigDoc(file, 'JSON', (text) => parseJsonFile(text, file));
  if (read === null) return { file, text: null, value: {}, style: DEFAULT_STYLE };
  const { text, value, mode } = read;
  if (!isJsonObject(value))
    throw new UserError(`${file} must hold a JSON object; fix it by hand and run again — nothing was changed`);
  return { file, text, value, style: detectStyle(text), mode };
}

export function formatJson(value: unknown, style: JsonStyle): string {
  const body = JSON.stringify(value, null, style.indent).replace(/\n/g, style.eol);
  return style.finalNewline ? body + style.eol : body;
}

/** Key order counts: moving a user's key is a change. */
export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
