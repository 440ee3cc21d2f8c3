// 200 writes with request ids sent at once to a real `serve` while something is killed mid-way (its pooler, serve
// itself), then replayed: what team-pooler.test.ts and process.test.ts check on each engine.
import { expect } from 'vitest';
import { postToolCall } from '../helpers/serve.js';

export const WRITES = 200;

/** The i-th write of `tag`, with its own request id: every other one through add_task, into project `crash`. */
function write(tag: string, i: number): { tool: string; args: Record<string, unknown> } {
  const title = `${tag} ${i}`;
  const request_id = `${tag}-${i}`;
  return i % 2 === 0
    ? { tool: 'manage_task', args: { action: 'create', project_id: 'crash', title, request_id } }
    : { tool: 'add_task', args: { tasks: [{ project_id: 'crash', title }], request_id } };
}

/** An answer that says to retry: the store unreachable, or 'lost', serve gone before it answered. */
export const retryable = (a: any): boolean =>
  a === 'lost' || a?.error?.code === 'UNAVAILABLE' || /could not be reached/.test(String(a?.toolError));
export const succeeded = (a: any): boolean => a?.success === true;

const send = (url: string, token: string, tag: string, i: number): Promise<any> => {
  const { tool, args } = write(tag, i);
  return postToolCall(url, token, tool, args).catch(() => 'lost');
};

/** Sends every write of `tag` at once; once `after` of them have answered, `kill` runs. Answers each answer. */
export async function underKill(
  url: string,
  token: string,
  tag: string,
  after: number,
  kill: () => Promise<void>,
): Promise<any[]> {
  let answered = 0;
  let killed: Promise<void> | undefined;
  const answers = await Promise.all(
    Array.from({ length: WRITES }, async (_, i) => {
      const answer = await send(url, token, tag, i);
      if (++answered === after) killed = kill();
      return answer;
    }),
  );
  await killed;
  return answers;
}

/** Sends every write of `tag` again, each retried (up to five times) while its answer says to; the last answers. */
export function replay(url: string, token: string, tag: string): Promise<any[]> {
  return Promise.all(
    Array.from({ length: WRITES }, async (_, i) => {
      let answer = await send(url, token, tag, i);
      for (let attempt = 1; attempt < 5 && retryable(answer); attempt++) answer = await send(url, token, tag, i);
      return answer;
    }),
  );
}

/**
 * Every replayed write succeeded, each first answer that succeeded came back as it was (its operation id and time
 * too: the kept answer, not a new one), and `counted` finds one row per write.
 */
export async function expectLandedOnce(
  first: any[],
  again: any[],
  counted: () => Promise<{ rows: number; distinct: number }>,
): Promise<void> {
  expect(again.filter((a) => !succeeded(a))).toEqual([]);
  for (const [i, a] of first.entries()) if (succeeded(a)) expect(again[i]).toEqual(a);
  expect(await counted()).toEqual({ rows: WRITES, distinct: WRITES });
}
