// OpenAI Codex CLI's hooks have Claude Code's shape: the same event names and input fields (plus `turn_id`, `model`,
// `permission_mode`), `Bash` with `{command}` for its shell. Its edits come as `apply_patch`, whose input is the
// patch: the first file it adds, updates or deletes is the file edited.
import { FULL_REACH, type AgentHooks } from './agent.js';
import { renamedTool } from './tools.js';

const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/m;

/** The first file a patch of Codex's `apply_patch` touches. */
export function patchFile(patch: unknown): string | undefined {
  if (typeof patch !== 'string') return undefined;
  return PATCH_FILE.exec(patch)?.[1]?.trim() || undefined;
}

export const codexHooks: AgentHooks = {
  id: 'codex',
  label: 'Codex',
  toCommon(raw) {
    const out = renamedTool(raw, { apply_patch: 'Edit' }, (input) => patchFile(input.command));
    // A prompt's own id tells a second registration from the same words sent again; Codex's is the turn's.
    if (out.hook_event_name === 'UserPromptSubmit' && typeof out.turn_id === 'string' && out.prompt_id === undefined)
      return { ...out, prompt_id: out.turn_id };
    return out;
  },
  fromCommon: (output) => ({ ...output }),
  reach: () => FULL_REACH,
};
