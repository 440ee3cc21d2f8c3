// PreToolUse's refusal of an input the command hook could not read, loaded only then (src/hooks/hosts/run.ts).
import { anyGuard, loadSettings } from '../../config/settings.js';
import type { HookOutput } from '../types.js';
import { MAX_HOOK_INPUT_BYTES } from './stdin.js';

/**
 * PreToolUse's answer to an input it could not read (none came, as from a hook command with no `cat` on the PATH; one
 * past the limit; not JSON): refused while a guard is on, or when the settings cannot tell, since a guard that cannot
 * read a call must not let it through. With no guard on, nothing is said.
 */
export async function unreadRefusal(
  error: string,
  env: NodeJS.ProcessEnv,
  warn: (err: unknown, message: string) => void,
): Promise<HookOutput | null> {
  try {
    const { settings } = await loadSettings({ cwd: env.CLAUDE_PROJECT_DIR || process.cwd(), env });
    if (!anyGuard(settings.hooks.guards)) return null;
  } catch (err) {
    warn(err, 'the settings could not be read to tell whether a guard is on; the call is refused');
  }
  return {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: `taskhooks: this tool call's input could not be read (${error}), so hooks.guards cannot check it; split a call over ${MAX_HOOK_INPUT_BYTES / 1048576} MiB into smaller ones, or check that \`cat\` is on the PATH of the agent's hook commands.`,
    },
  };
}
