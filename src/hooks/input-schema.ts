// The one schema of what Claude Code sends a hook on stdin. Loose objects: new CLI versions add fields
// (prompt_id, effort, …) and a hook must never reject a session because of them.
import * as z from 'zod/mini';
import { HOOK_INPUT_STRINGS, TOOL_INPUT_STRINGS, type ParsedHookInput } from './input-fields.js';

/** A zod/mini shape of optional strings, one per key: how every stdin schema of Claude Code's lists its fields. */
export function optionalStrings<K extends string>(keys: readonly K[]): { [P in K]: z.ZodMiniOptional<z.ZodMiniString<string>> } {
  return Object.fromEntries(keys.map((k) => [k, z.optional(z.string())])) as { [P in K]: z.ZodMiniOptional<z.ZodMiniString<string>> };
}

const ToolInputSchema = z.looseObject(optionalStrings(TOOL_INPUT_STRINGS));

const HookInputSchema = z.looseObject({ ...optionalStrings(HOOK_INPUT_STRINGS), tool_input: z.optional(ToolInputSchema) });

/** The validated input, or a one-line reason it was refused (for the log). */
export function parseHookInput(value: unknown): ParsedHookInput {
  const result = HookInputSchema.safeParse(value);
  if (result.success) return { ok: true, input: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
  return { ok: false, reason: `hook input rejected: ${where}: ${issue?.message ?? 'invalid'}` };
}
