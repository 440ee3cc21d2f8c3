// The one schema of what Claude Code sends a status-line command on stdin, as far as taskhooks reads it. Loose
// objects: Claude Code adds fields (cost, context_window, output_style, …) and the line must not go blank over them.
import * as z from 'zod/mini';
import { firstIssue, optionalStrings } from '../hooks/input/zod-shapes.js';
import { STATUS_INPUT_STRINGS, WORKSPACE_STRINGS, type ParsedStatusInput } from './input-fields.js';

const StatusInputSchema = z.looseObject({
  ...optionalStrings(STATUS_INPUT_STRINGS),
  workspace: z.optional(z.looseObject(optionalStrings(WORKSPACE_STRINGS))),
});

/** The validated input, or a one-line reason it was refused (for the log). */
export function parseStatusInput(value: unknown): ParsedStatusInput {
  const result = StatusInputSchema.safeParse(value);
  if (result.success) return { ok: true, input: result.data };
  return { ok: false, reason: `status-line input rejected: ${firstIssue(result.error, 'input')}` };
}
