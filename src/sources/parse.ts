import { z } from 'zod';
import { protocolError } from '../errors/task-source.js';
import type { ToolSession } from '../resilience/tool-session.js';
import type { Deadline } from '../util/deadline.js';

/** What zod and zod/mini errors share: the issues, each with its path and message. */
interface Problems {
  issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>;
}

const problemsOf = (error: Problems): string[] =>
  error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.map(String).join('.') : '(answer)'}: ${i.message}`);

/** How a left-out item is named in `LenientList.left`: its place in the list and its first problem. */
export const leftOutItem = (index: number, error: Problems): string =>
  `item ${index}: ${problemsOf(error)[0] ?? 'does not fit'}`;

/** Parses a tool's answer with its schema; a mismatch names the tool and the first problems found. */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, tool: string, server: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw protocolError(server, tool, problemsOf(result.error).join('; '));
}

/** One tool call whose answer is checked by `schema`. */
export type ToolCall = <S extends z.ZodType>(
  tool: string,
  args: Record<string, unknown>,
  schema: S,
  deadline: Deadline,
) => Promise<z.output<S>>;

/** A tool called through `toolSession` as it is, its answer checked: for tools that answer with what was asked. */
export const checkedCall =
  (toolSession: ToolSession): ToolCall =>
  async (tool, args, schema, deadline) =>
    parseAnswer(schema, await toolSession.call(tool, args, { deadline }), tool, toolSession.server());

/** A list read item by item: what `left` names (an item that does not fit, with its first problem) is left out. */
export interface LenientList<T> {
  items: T[];
  left: string[];
}

/**
 * A list answer whose items are read one by one: one task the schema refuses (a priority no one knows, a missing
 * title) is left out and said, and the good ones are still shown.
 */
export const lenientList = <S extends z.ZodType>(item: S) =>
  z.array(z.unknown()).transform((list): LenientList<z.output<S>> => {
    const items: z.output<S>[] = [];
    const left: string[] = [];
    list.forEach((raw, i) => {
      const result = item.safeParse(raw);
      if (result.success) items.push(result.data);
      else left.push(leftOutItem(i, result.error));
    });
    return { items, left };
  });

/** An id a server sends as a string or a number, read as a string. */
export const anyId = z.union([z.string().min(1), z.number()]).transform(String);

/** The lists of names a task tool's task may carry, each as the task takes it (absent: none). */
export const taskNameLists = {
  assignees: z.array(z.string()).nullish(),
  labels: z.array(z.string()).nullish(),
  dependencies: z.array(z.string()).nullish(),
};

/**
 * A listing from a server that may number its changes (a taskhooks server, for either tool family): its tasks read
 * item by item, and `sequence`, and asked `since`, `full`, `why` and `deleted_task_ids`.
 */
export const numberedList = <S extends z.ZodType>(item: S) =>
  z.looseObject({
    tasks: lenientList(item),
    sequence: z.number().int().nonnegative().optional(),
    full: z.boolean().optional(),
    why: z.string().optional(),
    deleted_task_ids: z.array(anyId).optional(),
  });

/** One line for the context about the items a list left out, or undefined when it kept them all. */
export function leftOutNote(left: readonly string[]): string | undefined {
  if (left.length === 0) return undefined;
  return `${left.length} ${left.length === 1 ? 'task' : 'tasks'} left out: the server's answer did not fit (${left[0]})`;
}

/** Notes joined into one, or undefined when there are none. */
export const joinNotes = (...notes: Array<string | undefined>): string | undefined =>
  notes.filter((n): n is string => n !== undefined).join('; ') || undefined;
