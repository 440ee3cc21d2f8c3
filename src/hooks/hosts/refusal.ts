// What PreToolUse answers when no guard could decide a call: a refusal that says why, since a guard that cannot read
// the call or its settings, or finish its check, must not let the call through. Every other event says nothing on a
// failure. Loaded only then: no hook's usual run carries it.
import { anyGuard, loadSettings, type Settings } from '../../config/settings.js';
import type { CommandHook, HookOutput } from '../types.js';
import { MAX_HOOK_INPUT_BYTES } from './stdin-read.js';

/** PreToolUse's refusal, with the reason the session is shown. */
export function refusal(reason: string): HookOutput {
  return {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: `taskhooks: ${reason}`,
    },
  };
}

/** Why a call whose check failed is refused: `why` says what failed, the rest where to look. */
function failedReason(why: string, settingsRead: boolean): string {
  const unread = settingsRead ? '' : ' (its settings could not be read)';
  return `the guard check of this call ${why}${unread}, so hooks.guards could not decide it and it is refused; the hooks log in the state directory says why (\`taskhooks doctor\` checks the setup), then try again`;
}

/**
 * A failed run's answer: for PreToolUse a refusal while a guard may apply (any is on, or the settings were never
 * read), else nothing.
 */
export function failedAnswer(hook: CommandHook, settings: Settings | undefined, why: string): HookOutput | null {
  if (hook.event !== 'PreToolUse' || (settings && !anyGuard(settings.hooks.guards))) return null;
  return refusal(failedReason(why, settings !== undefined));
}

/** PreToolUse's answer to a call it could not check: `refusal` unless the settings say no guard is on. */
async function unlessUnguarded(
  refused: HookOutput,
  env: NodeJS.ProcessEnv,
  warn: (err: unknown, message: string) => void,
): Promise<HookOutput | null> {
  try {
    const { settings } = await loadSettings({ cwd: env.CLAUDE_PROJECT_DIR || process.cwd(), env });
    if (!anyGuard(settings.hooks.guards)) return null;
  } catch (err) {
    warn(err, 'the settings could not be read to tell whether a guard is on; the call is refused');
  }
  return refused;
}

/**
 * PreToolUse's answer to an input it could not read (none came, as from a hook command with no `cat` on the PATH; one
 * past the limit; not JSON): refused while a guard is on, or when the settings cannot tell.
 */
export function unreadRefusal(
  error: string,
  env: NodeJS.ProcessEnv,
  warn: (err: unknown, message: string) => void,
): Promise<HookOutput | null> {
  const reason = `this tool call's input could not be read (${error}), so hooks.guards cannot check it; split a call over ${MAX_HOOK_INPUT_BYTES / 1048576} MiB into smaller ones, or check that \`cat\` is on the PATH of the agent's hook commands.`;
  return unlessUnguarded(refusal(reason), env, warn);
}

/** PreToolUse's answer when its run failed before its settings were read: refused unless they say no guard is on. */
export function failedRefusal(
  env: NodeJS.ProcessEnv,
  warn: (err: unknown, message: string) => void,
): Promise<HookOutput | null> {
  return unlessUnguarded(refusal(failedReason('failed', false)), env, warn);
}
