// Every tool call goes through here: permission check, timing, one log line (never the token or arguments' secrets).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log/logger.js';
import type { TaskStore } from './db/index.js';
import { mayCall, permissionDeniedMessage, type Principal } from './principal.js';
import { ledgerEntry, once, requestIdOf } from './idempotent.js';

export interface ToolContext {
  store: TaskStore;
  log: Logger;
  principal: Principal;
}

export interface ToolFamily {
  /** How this family answers a principal that may not call the tool; `operation` is the action, else the tool. */
  denied(operation: string, message: string): CallToolResult;
  /** How this family answers an error thrown while running the tool. */
  failed(operation: string, err: unknown, log: Logger): CallToolResult;
}

const FAILURE_PREFIX = '{"status":"failure"';

function outcomeOf(result: CallToolResult): 'ok' | 'failure' {
  if (result.isError) return 'failure';
  const first = result.content[0];
  return first?.type === 'text' && first.text.startsWith(FAILURE_PREFIX) ? 'failure' : 'ok';
}

/**
 * The project a write names: its own id, or that of the branch or task it writes to; '' when it names none (the write
 * itself then refuses). Part of a request id's key, so two projects' writes never share an answer.
 */
async function projectWritten(store: TaskStore, args: Record<string, unknown>): Promise<string> {
  const given = (name: string): string | undefined => {
    const v = args[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const project = given('project_id');
  if (project) return (await store.getProject(project))?.id ?? project;
  const branch = given('git_branch_id');
  if (branch) return (await store.getBranch(branch))?.projectId ?? `branch:${branch}`;
  const task = given('task_id');
  if (task) return (await store.getTask(task))?.projectId ?? `task:${task}`;
  return '';
}

export function guarded<A>(
  ctx: ToolContext,
  family: ToolFamily,
  tool: string,
  run: (args: A) => Promise<CallToolResult>,
): (args: A) => Promise<CallToolResult> {
  return async (args: A) => {
    const started = performance.now();
    const action =
      typeof (args as { action?: unknown }).action === 'string' ? (args as { action: string }).action : undefined;
    let result: CallToolResult;
    let outcome: string;
    if (!mayCall(ctx.principal, tool, action)) {
      result = family.denied(action ?? tool, permissionDeniedMessage(ctx.principal, tool, action));
      outcome = 'denied';
    } else {
      try {
        const requestId = requestIdOf(args);
        result = requestId
          ? await once(
              ctx.store,
              ledgerEntry(
                {
                  principal: ctx.principal.name,
                  project: await projectWritten(ctx.store, args as Record<string, unknown>),
                  tool,
                  action: action ?? '',
                  id: requestId,
                },
                args as Record<string, unknown>,
              ),
              (r) => outcomeOf(r) === 'failure',
              () => run(args),
            )
          : await run(args);
        outcome = outcomeOf(result);
      } catch (err) {
        result = family.failed(action ?? tool, err, ctx.log);
        outcome = 'failure';
      }
    }
    // A read since a sequence is a delta: the log tells them from whole lists.
    const since = (args as { since?: unknown }).since;
    ctx.log.info(
      {
        tool,
        action,
        ...(typeof since === 'number' ? { since } : {}),
        principal: ctx.principal.name,
        ms: Math.round((performance.now() - started) * 100) / 100,
        outcome,
      },
      'tool call',
    );
    return result;
  };
}
