import type { LoadedSettings, Settings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import type { Out } from './output.js';

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Out;
  /** The settings that apply in `cwd`. */
  settings: Settings;
  /** The same, with the merged config, where each value came from and the problems found. */
  loaded: LoadedSettings;
  /** The CLI's log file, opened at first use. */
  log(): Logger;
  /** Said by a command that leaves SQLite connections open: the process then ends by exit (process-end.ts). */
  endWithoutClosing(): void;
}

/** One flag: what parseArgs needs to read it, and what the help says about it. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  /** One line for the help: what the flag does, its values and its default. */
  description: string;
  /** The value's name in the usage line (`--db FILE`); string flags only, VALUE when unset. */
  placeholder?: string;
  /** May be given more than once; the values arrive as a list. */
  multiple?: boolean;
  default?: string | boolean;
  /** Still read, never shown: a deprecated spelling kept for old scripts. */
  hidden?: boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** A positional argument, in order. */
export interface ArgSpec {
  /** As the usage line shows it: ID, TITLE. */
  name: string;
  description: string;
  optional?: boolean;
  /** Takes every remaining word (the last argument only). */
  variadic?: boolean;
}

export interface Example {
  /** A whole command line, as typed. */
  command: string;
  /** What it does, when the command line alone does not say. */
  description?: string;
}

export interface Command {
  /** The command words, e.g. "cache stats". */
  name: string;
  /** One line: what the command does (the command lists and the docs/cli.md table show it). */
  summary: string;
  /** More lines for the command's own help: when to use it, what it changes, what it prints. */
  description?: string;
  /** The flags it reads: the one source of its parsing, its usage line and its help. */
  flags: FlagSpecs;
  /** The positional arguments it takes; none when unset. */
  args?: readonly ArgSpec[];
  examples?: readonly Example[];
  /** Commands that diagnose or show config still run when it is invalid. */
  allowInvalidConfig?: boolean;
  /** Runs it with its arguments, already parsed and checked against `flags` and `args`. */
  run(ctx: CliContext, input: CommandInput<FlagSpecs>): Promise<number>;
}

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : string;

/** The values parsed from `F`: a flag with a default always has a value. */
export type FlagValues<F extends FlagSpecs> = {
  -readonly [K in keyof F]: F[K] extends { default: string | boolean } ? FlagValue<F[K]> : FlagValue<F[K]> | undefined;
};

export interface CommandInput<F extends FlagSpecs> {
  values: FlagValues<F>;
  positionals: string[];
}

export interface CommandSpec<F extends FlagSpecs> extends Omit<Command, 'flags' | 'run'> {
  flags: F;
  run(ctx: CliContext, input: CommandInput<F>): Promise<number>;
}
