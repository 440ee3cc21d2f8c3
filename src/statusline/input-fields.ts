// The fields the status line reads from what Claude Code sends it, as plain lists and types: the zod schema
// (input-schema.ts) is built from them, and the usual well-formed input is read without it (input.ts).

/** Optional strings at the top level and in `workspace`; every other field (model, cost, …) is left alone. */
export const STATUS_INPUT_STRINGS = ['cwd'] as const;
export const WORKSPACE_STRINGS = ['current_dir', 'project_dir'] as const;

export interface StatusInput {
  cwd?: string | undefined;
  workspace?: { current_dir?: string | undefined; project_dir?: string | undefined } | undefined;
}

export type ParsedStatusInput = { ok: true; input: StatusInput } | { ok: false; reason: string };
