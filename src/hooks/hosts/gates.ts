// The entries' gates for the hosts that run in a long-lived process (the MCP-tool host, the monitor's served hooks):
// the same cheap checks a command entry makes before loading more, so most tool calls answer at once.
import { mayChangeTasks } from '../events/task-tools.js';
import { mayBeWatched, mayHoldEdits } from '../guards/prefilter.js';
import { mayHaveNews } from '../news/news-gate.js';
import type { CommandHook } from '../types.js';

/**
 * The gates keyed `module.check` as the definitions name them (`gates` in src/hooks/events/*.ts). A key that names no
 * gate lets every call through.
 */
export const GATES: Record<string, (raw: unknown, env: NodeJS.ProcessEnv) => boolean> = {
  'guards/prefilter.mayBeWatched': (raw) => mayBeWatched(raw),
  'guards/prefilter.mayHoldEdits': (raw) => mayHoldEdits(raw),
  'events/task-tools.mayChangeTasks': (raw) => mayChangeTasks(raw),
  'news/news-gate.mayHaveNews': mayHaveNews,
};

/** Whether the event's run may say anything for `raw`: one of its gates lets it on, or it has none. */
export function passesGates(hook: CommandHook, raw: unknown, env: NodeJS.ProcessEnv): boolean {
  const gates = hook.gates ?? [];
  return gates.length === 0 || gates.some((g) => GATES[`${g.module}.${g.check}`]?.(raw, env) ?? true);
}
