// OpenAI Codex CLI's hooks have Claude Code's shape: the same event names and input fields (plus `turn_id`, `model`,
// `permission_mode`), `Bash` with `{command}` for its shell. Its edits come as `apply_patch`, whose input is the
// patch: the first file it touches is the file edited, the others are checked by the guards too.
import { FULL_REACH, type AgentHooks } from '../agent.js';
import { isObject, renamedTool } from '../tools.js';

/**
 * The markers of the files a patch touches. Codex's parser (codex-rs/apply-patch, lenient by default) reads a hunk's
 * header from the line trimmed of white space, so a marker padded with spaces or a tab names a file all the same: each
 * line is read trimmed here too, and Move to likewise (Codex wants that one unpadded: reading more is the safe side).
 */
const FILE_MARKERS = ['*** Add File: ', '*** Update File: ', '*** Delete File: ', '*** Move to: '] as const;

/** Every file a patch of Codex's `apply_patch` adds, updates, deletes or moves to, in its order. */
export function patchFiles(patch: unknown): string[] {
  if (typeof patch !== 'string') return [];
  const files: string[] = [];
  // Codex splits on LF (dropping a CR before it); one pass, linear in the patch's length however large.
  for (const line of patch.split('\n')) {
    const header = line.trim();
    if (!header.startsWith('***')) continue;
    const marker = FILE_MARKERS.find((m) => header.startsWith(m));
    const file = marker ? header.slice(marker.length).trim() : '';
    if (file !== '') files.push(file);
  }
  return files;
}

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
