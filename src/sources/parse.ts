import type { z } from 'zod';
import { protocolError } from '../errors/task-source.js';

/** Parses a tool's payload with its schema; a mismatch names the tool and the first problems found. */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, tool: string, server: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(answer)'}: ${i.message}`);
  throw protocolError(server, tool, problems.join('; '));
}

/** Splits a deadline between the several calls of one operation. */
export function budget(deadlineMs: number): () => number {
  const end = Date.now() + deadlineMs;
  return () => Math.max(1, end - Date.now());
}
