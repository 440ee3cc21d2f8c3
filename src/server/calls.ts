// Every tool call goes through here: permission check, timing, one log line (never the token or arguments' secrets).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log/logger.js';
import type { TaskStore } from './db/index.js';
import { mayCall, mayUseProject, outOfScopeMessage, permissionDeniedMessage, type Principal } from './principal.js';
import { projectsTouched, type Touched } from './project-scope.js';
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
 * A scoped principal's refusal of a call outside its projects, or of one that names no project (but the listing of
 * projects, which answers its own projects only); undefined when the call may run.
 */
function outOfScope(
  principal: Principal,
  tool: string,
  action: string | undefined,
  touched: Touched[],
): string | undefined {
  if (principal.projects === undefined) return undefined;
  const what = action ? `${tool} ${action}` : tool;
  const outside = touched.find((p) => !mayUseProject(principal, p.name));
  if (outside) return outOfScopeMessage(principal, what, outside.name);
  if (touched.length === 0 && !(tool === 'manage_project' && action === 'list'))
    return outOfScopeMessage(principal, what, undefined);
  return undefined;
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
    const fields = args as Record<string, unknown>;
    if (!mayCall(ctx.principal, tool, action)) {
      result = family.denied(action ?? tool, permissionDeniedMessage(ctx.principal, tool, action));
      outcome = 'denied';
    } else {
      try {
        const requestId = requestIdOf(args);
        const scoped = ctx.principal.projects !== undefined;
        const touched = requestId || scoped ? await projectsTouched(ctx.store, fields) : [];
        const refused = outOfScope(ctx.principal, tool, action, touched);
        if (refused) {
          result = family.denied(action ?? tool, refused);
          outcome = 'denied';
        } else {
          result = requestId
            ? await once(
                ctx.store,
                ledgerEntry(
                  {
                    principal: ctx.principal.name,
                    project: touched[0]?.id ?? touched[0]?.name ?? '',
                    tool,
                    action: action ?? '',
                    id: requestId,
                  },
                  fields,
                ),
                (r) => outcomeOf(r) === 'failure',
                () => run(args),
              )
            : await run(args);
          outcome = outcomeOf(result);
        }
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
