// The agenthub/dhafnck answer shape: the payload is a JSON string inside the first text content.
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TaskDbErrorCode } from '../store/errors.js';

// BUSY: the store stayed locked by other writers past its busy wait; nothing was written, and a retry may pass.
export type FailureCode = TaskDbErrorCode | 'PERMISSION_DENIED' | 'INTERNAL_ERROR' | 'BUSY';

export interface SuccessEnvelope {
  status: 'success';
  success: true;
  operation: string;
  operation_id: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface FailureEnvelope {
  status: 'failure';
  success: false;
  error: { message: string; code: FailureCode; operation: string; timestamp: string };
}

export function textResult(text: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text }], isError };
}

export function success(operation: string, data: Record<string, unknown>): CallToolResult {
  return successOfJson(operation, JSON.stringify(data));
}

/** success() with its data already serialized (a kept listing): the same text, `data` being the envelope's last key. */
export function successOfJson(operation: string, dataJson: string): CallToolResult {
  const head: Omit<SuccessEnvelope, 'data'> = {
    status: 'success',
    success: true,
    operation,
    operation_id: randomUUID(),
    timestamp: new Date().toISOString(),
  };
  return textResult(`${JSON.stringify(head).slice(0, -1)},"data":${dataJson}}`);
}

/**
 * agenthub answers refusals as a normal result whose envelope says failure; only a refusal outside the
 * controller (a missing permission) is flagged isError as well.
 */
export function failure(operation: string, code: FailureCode, message: string, isError = false): CallToolResult {
  const envelope: FailureEnvelope = {
    status: 'failure',
    success: false,
    error: { message, code, operation, timestamp: new Date().toISOString() },
  };
  return textResult(JSON.stringify(envelope), isError);
}
