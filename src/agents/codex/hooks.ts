// OpenAI Codex CLI's hooks have Claude Code's shape: the same event names and input fields (plus `turn_id`, `model`,
// `permission_mode`), `Bash` with `{command}` for its shell. Its edits come as `apply_patch`, whose input is the
// patch: the first file it touches is the file edited, the others are checked by the guards too.
import { FULL_REACH, type AgentHooks } from '../agent.js';
import { isObject, patchFiles, renamedTool } from '../tools.js';

export const codexHooks: AgentHooks = {
  id: 'codex',
  label: 'Codex',
  toCommon(raw) {
    const files = patchFiles(isObject(raw.tool_input) ? raw.tool_input.command : undefined);
    const out = renamedTool(raw, { apply_patch: 'Edit' }, () => files[0], files.slice(1));
    // A prompt's own id tells a second registration from the same words sent again; Codex's is the turn's.
    if (out.hook_event_name === 'UserPromptSubmit' && typeof out.turn_id === 'string' && out.prompt_id === undefined)
      return { ...out, prompt_id: out.turn_id };
    return out;
  },
  fromCommon: (output) => ({ ...output }),
  reach: () => FULL_REACH,
};
