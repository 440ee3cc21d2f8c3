// Running SQL on the pool or a transaction's client.
import type { PoolClient } from 'pg';

/** A query runner: the pool (one autocommitted statement) or a transaction's client. */
export type Q = Pick<PoolClient, 'query'>;

export async function one<T>(q: Q, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await q.query(sql, params)).rows[0] as T | undefined;
}

export async function all<T>(q: Q, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await q.query(sql, params)).rows as T[];
}

const UNIQUE_VIOLATION = '23505';
export const isUnique = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
