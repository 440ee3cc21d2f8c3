import type { z } from 'zod';
import { protocolError } from '../errors/task-source.js';

/** Parses a tool's answer with its schema; a mismatch names the tool and the first problems found. */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, tool: string, server: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(answer)'}: ${i.message}`);
  throw protocolError(server, tool, problems.join('; '));
}

/** A list whose items are read one by one: an item that does not read is left out and named, the rest kept. */
export function parseEach<S extends z.ZodType, T>(
  schema: S,
  items: readonly unknown[],
  map: (item: z.output<S>) => T,
): { items: T[]; skipped: string[] } {
  const out: T[] = [];
  const skipped: string[] = [];
  items.forEach((item, index) => {
    const result = schema.safeParse(item);
    if (result.success) {
      out.push(map(result.data));
      return;
    }
    const issue = result.error.issues[0];
    skipped.push(
      `item ${index + 1}: ${issue ? `${issue.path.join('.') || '(item)'}: ${issue.message}` : 'unreadable'}`,
    );
  });
  return { items: out, skipped };
}

/** What a list with unreadable items tells its reader, or undefined when every item read. */
export function skippedNote(what: string, skipped: readonly string[]): string | undefined {
  if (skipped.length === 0) return undefined;
  return `${skipped.length} ${what} could not be read and ${skipped.length === 1 ? 'is' : 'are'} not shown (${skipped.slice(0, 2).join('; ')})`;
}
