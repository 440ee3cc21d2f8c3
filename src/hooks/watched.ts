// Which tool calls PreToolUse speaks about: edits, and Bash commands that commit or push (or may: a git command whose
// subcommand cannot be known is watched too, so the guards can ask about it).
import type { GitInvocation } from './bash.js';
import type { HookInput } from './input.js';
import { EDIT_TOOLS, mayCommitOrPush } from './prefilter.js';

const REMINDED_GIT: ReadonlySet<string | null> = new Set(['commit', 'push', null]);

export type WatchedCall = { kind: 'edit'; tool: string; file?: string } | { kind: 'git'; invocations: GitInvocation[] };

export async function watchedCall(input: Pick<HookInput, 'tool_name' | 'tool_input'>): Promise<WatchedCall | undefined> {
  const tool = input.tool_name ?? '';
  if (EDIT_TOOLS.has(tool)) {
    const file = input.tool_input?.file_path ?? input.tool_input?.notebook_path;
    return file ? { kind: 'edit', tool, file } : { kind: 'edit', tool };
  }
  const command = input.tool_input?.command;
  if (tool === 'Bash' && command && mayCommitOrPush(command)) {
    const invocations = (await readCommand(command)).filter((g) => REMINDED_GIT.has(g.subcommand));
    if (invocations.length > 0) return { kind: 'git', invocations };
  }
  return undefined;
}

/** The command-line hook asks twice (is it wanted, then what to say): the second answer is the first one's. */
let last: { command: string; invocations: GitInvocation[] } | undefined;

async function readCommand(command: string): Promise<GitInvocation[]> {
  if (last?.command === command) return last.invocations;
  // Only a Bash command that may commit or push initialises the shell parser. It stays inside the hook's bundle (a
  // lazily initialised module): import() of a file of its own would start Node's ESM loader, ~15 ms.
  const { gitInvocations } = await import('./bash.js');
  last = { command, invocations: gitInvocations(command) };
  return last.invocations;
}
