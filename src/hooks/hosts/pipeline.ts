// The one path every hook run takes, whoever runs it. The hosts beside this file hand it in: the command hook (stdin,
// stdout, a watchdog and an exit), the monitor's served hook (the daemon's long-lived cache), the MCP-tool host and the
// idle watch. Outside this folder only `taskhooks context` (a preview) runs it. The hosts differ only in what they hand
// in; the input is parsed here once and the event gets it typed.
import type { Settings } from '../../config/settings.js';
import { newMarker } from '../../context/marker.js';
import { findGitRoot, readHeadBranch } from '../../git/repo.js';
import { toldBefore } from '../../told/told.js';
import { leaseKey } from '../input/event-key.js';
import type { Cache } from '../../cache/cache.js';
import type { Logger } from '../../log/logger.js';
import { loadTokenFormats, tokenFormatsLoaded, withoutTokens } from '../../log/redact.js';
import type { HookInput } from '../input/fields.js';
import { readHookInput } from '../input/read.js';
import type { CommandHook } from '../types.js';
import type { HookDeps, HookOutput, HookResult } from '../types.js';
import { NoSqliteError } from '../../sqlite/no-driver.js';

/** Where a run's input, settings and cache come from, and what it may do; the rest is the same for every host. */
export interface HookHost {
  /** The logger as of now (the command hook swaps it for the configured one once the settings are read). */
  log(): Logger;
  /** The settings for the input's directory; `cwd` is the input's or the host's default. */
  settings(cwd: string): Promise<Settings>;
  /** The cache, opened only for an input the hook wants under these settings. */
  openCache(settings: Settings): Cache;
  /** The directory to assume when the input names none (the run is told it is missing when this is undefined). */
  defaultCwd?(): string;
  /** The deps beside settings, cache and log; allowNetwork defaults to the hook's own. */
  deps: Omit<HookDeps, 'settings' | 'cache' | 'log' | 'allowNetwork'> & { allowNetwork?: boolean };
  /**
   * The command hook arms its watchdog's rescue here; without it, a run that throws is rescued in place (when the
   * hook has a rescue) and otherwise throws.
   */
  beforeRun?(rescue: (() => Promise<HookOutput | null>) | undefined, settings: Settings): void;
  /** Fields for the bad-input log line (the command hook's byte count). */
  logFields?: Record<string, unknown>;
}

/** Parses `raw` once, filters it, loads the settings, opens the cache and runs the event: one JSON object or null. */
export async function runHookPipeline(hook: CommandHook, raw: unknown, host: HookHost): Promise<HookResult> {
  const parsed = await readHookInput(raw);
  if (!parsed.ok) {
    host.log().warn({ ...host.logFields, reason: parsed.reason }, `${hook.name}: nothing injected`);
    return { output: null, trace: [{ kind: 'input-refused', reason: parsed.reason }] };
  }
  const input: HookInput = parsed.input;
  if (!hook.wants(input)) return { output: null, trace: [{ kind: 'not-wanted', hook: hook.name, under: 'input' }] };
  if (!input.cwd && host.defaultCwd) {
    // Claude Code starts hooks in the project directory; older or unusual callers may leave cwd out.
    input.cwd = host.defaultCwd();
    host.log().warn({ cwd: input.cwd }, `${hook.name}: input has no cwd; using the process's`);
  }
  const settings = await host.settings(input.cwd || process.cwd());
  if (hook.wantsWith && !hook.wantsWith(input, settings)) {
    return { output: null, trace: [{ kind: 'not-wanted', hook: hook.name, under: 'settings' }] };
  }
  // A branch name may hold a token, and a run names its scope in what it logs (a failed fetch, say) before its answer
  // is scrubbed: the rules that mask one are loaded first when the branch may hold one. The monitor has them already,
  // and its served hooks skip the repository walk and HEAD read.
  if (!tokenFormatsLoaded()) {
    const root = findGitRoot(input.cwd || process.cwd());
    await loadTokenFormats((root && readHeadBranch(root)) ?? '');
  }
  const { rescue: rescueHook } = hook;
  const rescue = rescueHook ? () => rescueHook(input, settings, host.deps.callerPid) : undefined;
  host.beforeRun?.(rescue, settings);
  const log = host.log();
  const { allowNetwork = hook.allowNetwork, ...rest } = host.deps;
  let cache: Cache;
  try {
    cache = host.openCache(settings);
  } catch (err) {
    if (err instanceof NoSqliteError) return (await import('./without-sqlite.js')).withoutSqlite(input, err, log);
    throw err;
  }
  const deps: HookDeps = { ...rest, settings, cache, log, allowNetwork };
  // A copy of the cache (a read-only state directory) could keep no fetch, and no monitor could start there.
  if (cache.copy) Object.assign(deps, { allowNetwork: false, ensureMonitor: false });
  // Before the event runs, the cache is read once (what the session was told and whether it arrived) and written once
  // (the event's lease, the session's liveness, those deliveries); after it, what it told is written once.
  const told = toldBefore(input, deps, leaseKey(input, deps.monitorLate));
  if (!told) return { output: null, trace: [{ kind: 'answered-elsewhere', hook: hook.name }] };
  if (!deps.dryRun && input.session_id) deps.marker = newMarker();
  if (host.beforeRun || !rescue) return told.after(await withoutTokens(await hook.run(input, deps)), deps.marker);
  try {
    return told.after(await withoutTokens(await hook.run(input, deps)), deps.marker);
  } catch (err) {
    log.error({ err }, `${hook.name} failed; answering from the settings alone`);
    return { output: await rescue(), trace: [{ kind: 'rescued' }] };
  }
}
