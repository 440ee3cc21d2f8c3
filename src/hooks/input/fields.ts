// The fields the hooks read from what Claude Code sends on stdin, as plain lists and types: the zod schema
// (schema.ts) is built from them, and the usual well-formed input is read without it (read.ts).

/** Optional strings at the top level, plus tool_input, an object of the tool fields below. */
export const HOOK_INPUT_STRINGS = [
  'session_id',
  'transcript_path',
  'cwd',
  'hook_event_name',
  'source',
  'tool_name',
] as const;
export const TOOL_INPUT_STRINGS = ['file_path', 'notebook_path', 'command'] as const;

type Strings<K extends string> = { [P in K]?: string | undefined };

/** The input after checking: the listed fields are strings or absent; every other field is kept as it came. */
export type HookInput = Strings<(typeof HOOK_INPUT_STRINGS)[number]> & {
  tool_input?: (Strings<(typeof TOOL_INPUT_STRINGS)[number]> & Record<string, unknown>) | undefined;
  [key: string]: unknown;
};

export type ParsedHookInput = { ok: true; input: HookInput } | { ok: false; reason: string };
