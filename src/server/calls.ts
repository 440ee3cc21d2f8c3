// Every tool call goes through here: permission check, timing, one log line (never the token or arguments' secrets).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log/logger.js';
import type { TaskStore } from '../store/index.js';
import { mayCall, mayUseProject, outOfScopeMessage, permissionDeniedMessage, type Principal } from './principal.js';
import { projectsTouched, type Touched } from './project-scope.js';
import { ledgerEntry, once, requestIdOf } from './idempotent.js';
import type { SessionPlace } from './tools/tool-families.js';

export interface ToolContext {
  store: TaskStore;
  log: Logger;
  principal: Principal;
  /** Where the session served works, where the server knows it (session-tools.ts). */
  sessionPlace?: () => Promise<SessionPlace | undefined>;
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
  if (outside) return outOfScopeMessage(principal, what, true);
  if (touched.length === 0 && !(tool === 'manage_project' && action === 'list'))
    return outOfScopeMessage(principal, what, false);
  return undefined;
}

/** One call as the guard sees it: the tool, its action if the tool has several, and its arguments. */
interface Call<A> {
  tool: string;
  action: string | undefined;
  args: A;
  run: (args: A) => Promise<CallToolResult>;
}

/** A call's answer and how the log line names it: ok, failure or denied. */
interface Answered {
  result: CallToolResult;
  outcome: string;
}

/**
 * A call that names a request id runs once per id, keyed by who wrote to which project with which tool and action.
 * The project by name: a write that creates its project (add_task) finds it by id only on its retry.
 */
function runOnce<A>(ctx: ToolContext, call: Call<A>, requestId: string, touched: Touched[]): Promise<CallToolResult> {
  const scope = {
    principal: ctx.principal.name,
    project: touched[0]?.name ?? '',
    tool: call.tool,
    action: call.action ?? '',
    id: requestId,
  };
  return once(
    ctx.store,
    ledgerEntry(scope, call.args as Record<string, unknown>),
    (r) => outcomeOf(r) === 'failure',
    () => call.run(call.args),
  );
}

/** The call run, or refused for its permissions or its projects; an error it throws is the family's failure. */
async function answer<A>(ctx: ToolContext, family: ToolFamily, call: Call<A>): Promise<Answered> {
  const { tool, action } = call;
  if (!mayCall(ctx.principal, tool, action))
    return {
      result: family.denied(action ?? tool, permissionDeniedMessage(ctx.principal, tool, action)),
      outcome: 'denied',
    };
  try {
    const requestId = requestIdOf(call.args);
    const scoped = ctx.principal.projects !== undefined;
    const touched =
      requestId || scoped ? await projectsTouched(ctx.store, ctx.principal, call.args as Record<string, unknown>) : [];
    const refused = outOfScope(ctx.principal, tool, action, touched);
    if (refused) return { result: family.denied(action ?? tool, refused), outcome: 'denied' };
    const result = requestId ? await runOnce(ctx, call, requestId, touched) : await call.run(call.args);
    return { result, outcome: outcomeOf(result) };
  } catch (err) {
    return { result: family.failed(action ?? tool, err, ctx.log), outcome: 'failure' };
  }
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
    const { result, outcome } = await answer(ctx, family, { tool, action, args, run });
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
