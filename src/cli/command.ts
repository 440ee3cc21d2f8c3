import type { LoadedSettings, Settings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import type { Out } from './output.js';

export interface CliContext {
  /** Arguments after the command words. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Out;
  /** The settings that apply in `cwd`. */
  settings: Settings;
  /** The same, with the merged config, where each value came from and the problems found. */
  loaded: LoadedSettings;
  /** The CLI's log file, opened at first use. */
  log(): Logger;
}

export interface Command {
  /** The command words, e.g. "cache stats". */
  name: string;
  summary: string;
  usage?: string;
  /** Commands that diagnose or show config still run when it is invalid. */
  allowInvalidConfig?: boolean;
  run(ctx: CliContext): Promise<number>;
}
