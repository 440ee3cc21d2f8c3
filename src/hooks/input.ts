// The one schema of what Claude Code sends a hook on stdin. Loose objects: new CLI versions add fields
// (prompt_id, effort, …) and a hook must never reject a session because of them.
import * as z from 'zod/mini';

export const ToolInputSchema = z.looseObject({
  file_path: z.optional(z.string()),
  notebook_path: z.optional(z.string()),
  command: z.optional(z.string()),
});

export const HookInputSchema = z.looseObject({
  session_id: z.optional(z.string()),
  transcript_path: z.optional(z.string()),
  cwd: z.optional(z.string()),
  hook_event_name: z.optional(z.string()),
  source: z.optional(z.string()),
  tool_name: z.optional(z.string()),
  tool_input: z.optional(ToolInputSchema),
});

export type HookInput = z.infer<typeof HookInputSchema>;
export type ToolInput = z.infer<typeof ToolInputSchema>;

/** The validated input, or a one-line reason it was refused (for the log). */
export function parseHookInput(value: unknown): { ok: true; input: HookInput } | { ok: false; reason: string } {
  const result = HookInputSchema.safeParse(value);
  if (result.success) return { ok: true, input: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
  return { ok: false, reason: `hook input rejected: ${where}: ${issue?.message ?? 'invalid'}` };
}
