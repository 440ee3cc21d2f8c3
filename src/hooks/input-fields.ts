// The hook input's fields, apart from its zod schema (input.ts builds it from these lists) so that the usual input
// — well-formed JSON from Claude Code — is read without loading zod at all; only odd input loads the schema.
import type { HookInput, ParsedHookInput } from './input.js';

/** The fields the hooks read from stdin: optional strings, plus tool_input, an object of the tool fields below. */
export const HOOK_INPUT_STRINGS = ['session_id', 'transcript_path', 'cwd', 'hook_event_name', 'source', 'tool_name'] as const;
export const TOOL_INPUT_STRINGS = ['file_path', 'notebook_path', 'command'] as const;

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const stringsOrAbsent = (o: Plain, keys: readonly string[]): boolean => keys.every((k) => o[k] === undefined || typeof o[k] === 'string');

/**
 * The input as the schema would return it (a copy, other fields kept), when it plainly conforms: a plain object
 * whose listed fields are strings or absent. Undefined means "ask the schema", never "invalid".
 */
export function plainHookInput(raw: unknown): HookInput | undefined {
  if (!isPlain(raw) || !stringsOrAbsent(raw, HOOK_INPUT_STRINGS)) return undefined;
  const toolInput = raw.tool_input;
  if (toolInput === undefined) return { ...raw };
  if (!isPlain(toolInput) || !stringsOrAbsent(toolInput, TOOL_INPUT_STRINGS)) return undefined;
  return { ...raw, tool_input: { ...toolInput } };
}

/** parseHookInput's answer; zod is loaded only for input that does not plainly conform. */
export async function readHookInput(raw: unknown): Promise<ParsedHookInput> {
  const input = plainHookInput(raw);
  if (input) return { ok: true, input };
  const { parseHookInput } = await import('./input.js');
  return parseHookInput(raw);
}
