// Reads the hook input so that the usual input — well-formed JSON from Claude Code — needs no zod at all; only odd
// input loads the schema.
import { isJsonObject } from '../../util/object.js';
import { HOOK_INPUT_STRINGS, TOOL_INPUT_STRINGS, type HookInput, type ParsedHookInput } from './fields.js';

/** Each of `keys` in `o` is a string or absent. */
export const stringsOrAbsent = (o: Record<string, unknown>, keys: readonly string[]): boolean =>
  keys.every((k) => o[k] === undefined || typeof o[k] === 'string');

/**
 * The input as the schema would return it (a copy, other fields kept), when it plainly conforms: an object whose
 * listed fields are strings or absent. Undefined means "ask the schema", never "invalid".
 */
export function plainHookInput(raw: unknown): HookInput | undefined {
  if (!isJsonObject(raw) || !stringsOrAbsent(raw, HOOK_INPUT_STRINGS)) return undefined;
  const toolInput = raw.tool_input;
  if (toolInput === undefined) return { ...raw };
  if (!isJsonObject(toolInput) || !stringsOrAbsent(toolInput, TOOL_INPUT_STRINGS)) return undefined;
  return { ...raw, tool_input: { ...toolInput } };
}

/** parseHookInput's answer; zod is loaded only for input that does not plainly conform. */
export async function readHookInput(raw: unknown): Promise<ParsedHookInput> {
  const input = plainHookInput(raw);
  if (input) return { ok: true, input };
  const { parseHookInput } = await import('./schema.js');
  return parseHookInput(raw);
}
