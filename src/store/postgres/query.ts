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

/** Node's words for a connection refused, cut or never made. */
const LOST_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** The driver's own, which carry no code. */
const LOST_CLIENT = /Connection terminated|not queryable|timeout exceeded when trying to connect/i;

/**
 * Whether `err` says the connection to the database or its pooler was lost or never made (SQLSTATE class 08, a
 * server shutting down 57P01-03), not that a statement was refused.
 */
export function isConnectionLoss(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return LOST_SOCKET.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code);
  return typeof message === 'string' && LOST_CLIENT.test(message);
}
