// Reading a command's arguments from its flag and argument specs: the same specs its help is written from.
import type { ParseArgsConfig } from 'node:util';
import { UserError } from '../errors/user.js';
import type { ArgSpec, Command, CommandInput, CommandSpec, FlagSpecs, FlagValues } from './command.js';

/**
 * How the command was called is wrong (an unknown flag, a missing value, an extra argument): the dispatcher prints it
 * as one line naming the command and its help, and exits 2.
 */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}

/** JSON quoting shows where a value begins and ends, and escapes whatever a terminal would obey. */
export const quoted = (v: unknown): string => JSON.stringify(v);

/** Edit distance, for "did you mean": a typo is a letter or two away. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The candidate `word` most likely meant, if one is close enough. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = c.startsWith(word) && word.length >= 2 ? 0.5 : distance(word, c);
    if (d <= Math.max(1, Math.min(2, Math.floor(c.length / 3))) && (!best || d < best.d)) best = { c, d };
  }
  return best?.c;
}

function checkPositionals(positionals: string[], specs: readonly ArgSpec[]): void {
  const variadic = specs.at(-1)?.variadic === true;
  if (!variadic && positionals.length > specs.length)
    throw new UsageError(`unexpected argument ${quoted(positionals[specs.length] as string)}`);
  const missing = specs.filter((s, i) => !s.optional && positionals[i] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((s) => s.name).join(' and ')}`);
}

/**
 * The flags and positionals of `args`, checked against the command's specs: every flag known, a value for each string
 * flag, none for a boolean, no argument the command does not take.
 */
export function parseCommandArgs<F extends FlagSpecs>(
  spec: { flags: F; args?: readonly ArgSpec[] | undefined },
  args: string[],
): CommandInput<F> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, f] of Object.entries(spec.flags)) {
    options[name] = {
      type: f.type,
      ...(f.multiple ? { multiple: true } : {}),
      ...(f.default !== undefined ? { default: f.default } : {}),
    } as (typeof options)[string];
  }
  // Not strict: an unknown flag or a missing value is reported below, in words that name the flag, not in parseArgs's.
  // Taken from the process: an ES import of node:util reads all its exports, which loads some thirty of Node's modules.
  const { values, positionals, tokens } = process.getBuiltinModule('node:util').parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const known = Object.keys(spec.flags).filter((n) => !spec.flags[n]?.hidden);
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const flag = spec.flags[t.name];
    if (!flag) {
      const near = closest(t.name, known);
      throw new UsageError(`unknown flag ${quoted(t.rawName)}${near ? `; did you mean --${near}?` : ''}`);
    }
    if (flag.type === 'boolean' && t.value !== undefined)
      throw new UsageError(`${t.rawName} takes no value (given ${quoted(t.value)})`);
    if (flag.type === 'string') {
      const placeholder = flag.placeholder ?? 'VALUE';
      if (t.value === undefined) throw new UsageError(`${t.rawName} needs a value (${t.rawName} ${placeholder})`);
      // `--note --json` is a forgotten value far more often than a note that starts with a dash.
      if (!t.inlineValue && t.value.startsWith('-') && t.value.length > 1) {
        throw new UsageError(
          `${t.rawName} needs a value, and ${quoted(t.value)} looks like a flag; write ${t.rawName}=${t.value} if it is the value`,
        );
      }
    }
  }
  checkPositionals(positionals, spec.args ?? []);
  return { values: values as FlagValues<F>, positionals };
}

/** A command whose `run` sees its flags typed from its specs (the dispatcher parses them with parseCommandArgs). */
export function defineCommand<const F extends FlagSpecs>(spec: CommandSpec<F>): Command {
  const { run, ...rest } = spec;
  // parseCommandArgs read the values from these very specs: they are FlagValues<F>.
  return { ...rest, run: (ctx, input) => run(ctx, input as CommandInput<F>) };
}
