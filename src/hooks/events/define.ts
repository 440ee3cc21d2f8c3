// The one way a hook event is declared: its spec, filters, runner, rescue and watchdog together, so an event is one
// file. The watchdog is derived from the configured deadline it runs under (its default before the settings are read).
import type { Settings } from '../../config/settings.js';
import { HOOK_DEADLINE_DEFAULTS, type HookDeadline } from '../../config/hook-deadlines.js';
import type { CommandHook } from '../types.js';

/** What an event is unless its declaration says otherwise: run for every call, within 5 s, and waited for. */
const USUAL = { matcher: '', timeout: 5, async: false } as const;

export type HookDefinition<N extends string, E extends string> = Omit<
  CommandHook,
  'watchdogMs' | 'name' | 'event' | keyof typeof USUAL
> &
  Partial<Pick<CommandHook, keyof typeof USUAL>> & {
    name: N;
    event: E;
    /** The configured deadline the run may spend on a live fetch; none for a hook that never fetches. */
    deadline?: HookDeadline;
    /** What the watchdog allows beyond that deadline (or in all, without one). */
    marginMs: number;
  };

/** Deadline plus margin; the deadline's default while the settings are not read yet. */
function watchdogMsOf(def: { deadline?: HookDeadline; marginMs: number }, settings: Settings | undefined): number {
  const { deadline, marginMs } = def;
  if (!deadline) return marginMs;
  return (settings?.hooks[deadline] ?? HOOK_DEADLINE_DEFAULTS[deadline]) + marginMs;
}

export function defineHook<const N extends string, const E extends string>(
  def: HookDefinition<N, E>,
): CommandHook & { name: N; event: E } {
  return { ...USUAL, ...def, watchdogMs: (settings) => watchdogMsOf(def, settings) };
}
