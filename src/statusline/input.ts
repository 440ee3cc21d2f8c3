// What the status line reads from the JSON Claude Code sends it: only where the session is. The usual well-formed
// input is read without zod; only odd input loads the schema (input-schema.ts), which says what was wrong with it.
import { stringsOrAbsent } from '../hooks/input/read.js';
import { isJsonObject } from '../util/object.js';
import { STATUS_INPUT_STRINGS, WORKSPACE_STRINGS, type ParsedStatusInput, type StatusInput } from './input-fields.js';

function plainStatusInput(raw: unknown): StatusInput | undefined {
  if (!isJsonObject(raw) || !stringsOrAbsent(raw, STATUS_INPUT_STRINGS)) return undefined;
  const ws = raw.workspace;
  if (ws !== undefined && (!isJsonObject(ws) || !stringsOrAbsent(ws, WORKSPACE_STRINGS))) return undefined;
  return raw as StatusInput;
}

export async function readStatusInput(raw: unknown): Promise<ParsedStatusInput> {
  const input = plainStatusInput(raw);
  if (input) return { ok: true, input };
  const { parseStatusInput } = await import('./input-schema.js');
  return parseStatusInput(raw);
}

/** The directory the session works in: the workspace's current one, else `cwd`, else the project's. */
export function sessionDir(input: StatusInput): string | undefined {
  return input.workspace?.current_dir || input.cwd || input.workspace?.project_dir || undefined;
}
