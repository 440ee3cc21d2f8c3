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
