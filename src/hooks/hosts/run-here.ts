// The command hook's run without its process: no watchdog, exit or stdout, and a failure answered as the process
// answers it (the rescue, else nothing). What tests of what a hook answers call in their own process; a file of its
// own, so that no hook entry's bundle carries it.
import { resolveHome } from '../../home/dir.js';
import { hookLogger } from '../../log/logger.js';
import { agentAnswer, answer, type CommandRun, type EntryParams, safeLog } from './run.js';
import type { HookStdin } from './stdin.js';
import type { CommandHook } from '../types.js';

export async function answerCommandHook(
  hook: CommandHook,
  stdin: HookStdin,
  entry: EntryParams,
): Promise<object | null> {
  const { env } = entry;
  const run: CommandRun = {
    hook,
    stdin,
    log: hookLogger(hook.name, resolveHome(env), env.TASKHOOKS_LOG_LEVEL ?? 'info'),
    finished: false,
    failed: false,
  };
  try {
    return agentAnswer(stdin, await answer(run, entry));
  } catch (err) {
    const { rescue } = run;
    safeLog(run, (l) =>
      l.error({ err }, `${hook.name}: failed; ${rescue ? 'answering from the settings alone' : 'nothing injected'}`),
    );
    return agentAnswer(stdin, rescue ? await rescue() : null);
  } finally {
    // Unlike the process, the caller lives on: its connection must not hold the test's home.
    run.cache?.close();
  }
}
