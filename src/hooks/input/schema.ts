// The one schema of what Claude Code sends a hook on stdin. Loose objects: new CLI versions add fields
// (prompt_id, effort, …) and a hook must never reject a session because of them.
import * as z from 'zod/mini';
import { HOOK_INPUT_STRINGS, TOOL_INPUT_STRINGS, type ParsedHookInput } from './fields.js';
import { firstIssue, optionalStrings } from './zod-shapes.js';

const ToolInputSchema = z.looseObject(optionalStrings(TOOL_INPUT_STRINGS));

const HookInputSchema = z.looseObject({
  ...optionalStrings(HOOK_INPUT_STRINGS),
  tool_input: z.optional(ToolInputSchema),
});

/** The validated input, or a one-line reason it was refused (for the log). */
export function parseHookInput(value: unknown): ParsedHookInput {
  const result = HookInputSchema.safeParse(value);
  if (result.success) return { ok: true, input: result.data };
  return { ok: false, reason: `hook input rejected: ${firstIssue(result.error, 'input')}` };
}
