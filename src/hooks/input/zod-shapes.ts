// What every zod/mini schema of Claude Code's JSON shares: its fields listed as optional strings, and a refusal said in
// one line. A module of its own, so the hook's and the status line's lazy schema files each compile it in, not the
// other's schema.
import * as z from 'zod/mini';

/** A zod/mini shape of optional strings, one per key: how every stdin schema of Claude Code's lists its fields. */
export function optionalStrings<K extends string>(
  keys: readonly K[],
): { [P in K]: z.ZodMiniOptional<z.ZodMiniString<string>> } {
  return Object.fromEntries(keys.map((k) => [k, z.optional(z.string())])) as {
    [P in K]: z.ZodMiniOptional<z.ZodMiniString<string>>;
  };
}

/** The first thing zod found wrong, as `where: what` (`whole` names the value itself when the problem is at its top). */
export function firstIssue(error: z.core.$ZodError, whole: string): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : whole;
  return `${where}: ${issue?.message ?? 'invalid'}`;
}
