// One doctor step: run, timed, and recorded as passed, unknown or failed with its fix; and what every step of one
// `doctor` run shares.
import type { LoadedSettings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import { scrubString } from '../log/redact.js';
import { DamagedStoreError } from '../errors/damaged-store.js';
import { describeError, isTaskSourceError } from '../errors/task-source.js';
import { shownHome } from '../home/dir.js';
import type { MonitorProbe } from '../home/monitor-probe.js';
import type { Scope } from '../tasks/scope.js';
import { StepFailure } from './step-failure.js';

export interface DoctorStep {
  name: string;
  ok: boolean;
  unknown?: true; // it could not tell (an agent not on the PATH to ask): no failure, and no ✓ either
  ms: number;
  detail: string;
  fix?: string;
}

export interface DoctorArgs {
  loaded: LoadedSettings;
  log: Logger;
  cwd: string;
  env: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** What every step of one `doctor` run shares. */
export interface DoctorRun {
  args: DoctorArgs;
  steps: DoctorStep[];
  scope: Scope;
  gitRoot: string | undefined;
  /** Whether the monitor answers, asked once when a step first needs it (./monitor-step.ts). */
  monitor?: Promise<MonitorProbe>;
}

/** What to do about a failure: the error's own fix when it knows one. */
export function fixFor(err: unknown, what: string): string {
  if (err instanceof StepFailure) return err.fix;
  if (isTaskSourceError(err) || err instanceof DamagedStoreError) return err.fix;
  return `see ${what}; run with TASKHOOKS_LOG_LEVEL=debug and read ${shownHome(['logs', 'cli.log'])}`;
}

export async function step(
  steps: DoctorStep[],
  name: string,
  what: string,
  fn: () => Promise<string | { unknown: string }> | string | { unknown: string },
): Promise<boolean> {
  const started = performance.now();
  try {
    const answer = await fn();
    const [detail, unknown] = typeof answer === 'string' ? [answer, {}] : [answer.unknown, { unknown: true as const }];
    const ms = Math.round(performance.now() - started);
    // A detail may quote a URL or a file a secret sits in (an origin with credentials): shown scrubbed.
    steps.push({ name, ok: true, ...unknown, ms, detail: scrubString(detail) });
    return true;
  } catch (err) {
    steps.push({
      name,
      ok: false,
      ms: Math.round(performance.now() - started),
      detail: scrubString(describeError(err)),
      fix: scrubString(fixFor(err, what)),
    });
    return false;
  }
}
