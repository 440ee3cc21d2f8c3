// The hooks' deadlines by default: the config schema's defaults, and what a hook's watchdog assumes before the
// settings are read. A plain module, so a hook's entry can name them without the schema.
export const HOOK_DEADLINE_DEFAULTS = {
  sessionStartDeadlineMs: 1500,
  preToolUseDeadlineMs: 1000,
} as const;

export type HookDeadline = keyof typeof HOOK_DEADLINE_DEFAULTS;
