// Which tool calls PreToolUse speaks about: edits, and Bash commands that commit or push (or may: a git command whose
// subcommand cannot be known, or is not one git ships, is watched too, so the guards can ask about it).
import type { GitInvocation } from './bash.js';
import type { ReadPushConfig } from './push-config.js';
import type { HookInput } from '../input/fields.js';
import { EDIT_TOOLS, mayCommitOrPush } from './prefilter.js';

const REMINDED_GIT: ReadonlySet<string | null> = new Set(['commit', 'push', null]);

export type WatchedCall =
  | { kind: 'edit'; tool: string; file?: string /** More files one call edits (a Codex patch). */; others?: string[] }
  | {
      kind: 'git';
      invocations: GitInvocation[];
      /** Reads the push settings where a push runs (./push-config.ts), a file of its own loaded with the reader. */
      readConfig: ReadPushConfig;
    };

/** A call PreToolUse may speak about, told without reading a Bash command: reading it is left until it matters. */
export type Candidate = Extract<WatchedCall, { kind: 'edit' }> | { kind: 'bash'; command: string };

export function candidateCall(input: Pick<HookInput, 'tool_name' | 'tool_input'>): Candidate | undefined {
  const tool = input.tool_name ?? '';
  if (EDIT_TOOLS.has(tool)) {
    const file = input.tool_input?.file_path ?? input.tool_input?.notebook_path;
    const paths = input.tool_input?.file_paths;
    const others = Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
    if (!file) return { kind: 'edit', tool };
    return others.length > 0 ? { kind: 'edit', tool, file, others } : { kind: 'edit', tool, file };
  }
  const command = input.tool_input?.command;
  return tool === 'Bash' && command && mayCommitOrPush(command) ? { kind: 'bash', command } : undefined;
}

/** The commits and pushes a Bash command runs, or undefined when it runs none. */
export async function readGitCall(command: string): Promise<WatchedCall | undefined> {
  // The shell reader is a file of its own (dist/hooks/lazy/bash.js), required only here: an edit never parses it.
  const { gitInvocations, readPushConfig } = await import('./bash.js');
  // A subcommand git does not ship may be an alias for either.
  const invocations = gitInvocations(command).filter((g) => REMINDED_GIT.has(g.subcommand) || g.unlisted);
  return invocations.length > 0 ? { kind: 'git', invocations, readConfig: readPushConfig } : undefined;
}
