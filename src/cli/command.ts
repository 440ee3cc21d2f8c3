import type { LoadedConfig } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import type { Out } from './output.js';

export interface CliContext {
  /** Arguments after the command words. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Out;
  /** Loaded lazily: `taskhooks --help` must not touch the state dir. */
  config(): LoadedConfig;
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
