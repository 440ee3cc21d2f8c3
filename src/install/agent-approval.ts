// The one line install prints on how the user lets the agent run what it just wrote: Codex runs hooks only once the
// user has reviewed them (their hashes trusted in its config.toml), and Gemini CLI reads a project's settings only
// in a folder the user trusts, as does Qwen Code once its folder trust is on. Claude Code runs its settings' hooks as
// they are.
import type { AgentAdapter } from '../agents/agent.js';
import type { SettingsScope } from './paths.js';

/** `forDoctor`: the line as doctor's own fix, which cannot send the reader back to doctor to check. */
export function approvalLine(
  agent: AgentAdapter,
  at: { dir: string; scope: SettingsScope; file: string },
  forDoctor = false,
): string | undefined {
  const check = (line: string): string => (forDoctor ? '' : line);
  switch (agent.id) {
    case 'claude':
      return undefined;
    case 'codex':
      return (
        `approve the hooks in Codex: start \`codex\` in ${at.dir}${at.scope === 'project' ? ', trust the folder,' : ''} ` +
        'and choose "Trust all and continue" when it says "Hooks need review" (or review them with /hooks); ' +
        `until then Codex skips them${check('. `taskhooks doctor` tells whether they are trusted')}`
      );
    case 'gemini':
      return at.scope === 'project'
        ? `approve the hooks in Gemini CLI: it reads ${at.file} only in a trusted folder, so trust ${at.dir} when it asks ` +
            `(or with /permissions)${check('. `taskhooks doctor` tells whether it is trusted')}`
        : `Gemini CLI runs the hooks of ${at.file} in every folder you trust (it asks when you start it in a new one, or ` +
            `/permissions)${check('. `taskhooks doctor` tells whether this one is')}`;
    case 'qwen':
      return at.scope === 'project'
        ? `Qwen Code reads ${at.file} in a folder it trusts: with its folder trust on (security.folderTrust.enabled), trust ${at.dir} when it asks ` +
            `(or with /permissions)${check('. `taskhooks doctor` tells whether it is trusted')}`
        : `Qwen Code runs the hooks of ${at.file} in every folder it trusts${check('. `taskhooks doctor` tells whether this one is')}`;
    case 'copilot':
      return (
        `approve the hooks in Copilot CLI: it loads ${at.file} only in a folder it trusts, so trust ${at.dir} when it asks ` +
        `(in \`copilot -p\`, GITHUB_COPILOT_PROMPT_MODE_REPO_HOOKS=true loads them too)${check('. `taskhooks doctor` tells whether it is trusted')}`
      );
  }
}
