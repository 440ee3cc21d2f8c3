// Which tool calls PreToolUse speaks about: edits, and Bash commands that commit or push (or may: a git command whose
// subcommand cannot be known is watched too, so the guards can ask about it).
import { gitInvocations, type GitInvocation } from './bash.js';
import type { HookInput } from './input.js';
import { EDIT_TOOLS } from './prefilter.js';

const REMINDED_GIT: ReadonlySet<string | null> = new Set(['commit', 'push', null]);

export type WatchedCall = { kind: 'edit'; tool: string; file?: string } | { kind: 'git'; invocations: GitInvocation[] };

export function watchedCall(input: Pick<HookInput, 'tool_name' | 'tool_input'>): WatchedCall | undefined {
  const tool = input.tool_name ?? '';
  if (EDIT_TOOLS.has(tool)) {
    const file = input.tool_input?.file_path ?? input.tool_input?.notebook_path;
    return file ? { kind: 'edit', tool, file } : { kind: 'edit', tool };
  }
  if (tool === 'Bash' && input.tool_input?.command) {
    const invocations = gitInvocations(input.tool_input.command).filter((g) => REMINDED_GIT.has(g.subcommand));
    if (invocations.length > 0) return { kind: 'git', invocations };
  }
  return undefined;
}
