/**
 * Who is calling, and what they may call: '*' = every tool, a tool's name = that tool, `read` = every operation that
 * only reads (listing, getting, searching tasks, projects and branches; the next task). stdio callers are local and
 * trusted.
 */
export interface Principal {
  name: string;
  tools: readonly string[];
  via: 'static' | 'jwt' | 'local' | 'anonymous';
  /** The projects (by name) a scoped token may read and write; every project when absent. */
  projects?: readonly string[];
}

export const LOCAL_PRINCIPAL: Principal = { name: 'local', tools: ['*'], via: 'local' };

/** The grant that allows reading and nothing else (a static token's `tools: ["read"]`, a JWT's `tasks:read` scope). */
export const READ_GRANT = 'read';

/**
 * The operations that change nothing. An action not named here counts as a write, so an action added later is
 * refused to a read-only caller until it is listed.
 */
const READ_OPERATIONS: Record<string, ReadonlySet<string | undefined>> = {
  manage_task: new Set(['list', 'get', 'next', 'search', 'list_work_records']),
  manage_project: new Set(['list', 'get']),
  manage_git_branch: new Set(['list', 'get']),
  get_next_task: new Set([undefined]),
  list_tasks: new Set([undefined]),
};

function isReadOperation(tool: string, action: string | undefined): boolean {
  return READ_OPERATIONS[tool]?.has(action) ?? false;
}

export function mayCall(principal: Principal, tool: string, action?: string): boolean {
  if (principal.tools.includes('*') || principal.tools.includes(tool)) return true;
  return principal.tools.includes(READ_GRANT) && isReadOperation(tool, action);
}

export function permissionDeniedMessage(principal: Principal, tool: string, action?: string): string {
  const granted = principal.tools.length ? principal.tools.join(', ') : 'none';
  if (principal.tools.includes(READ_GRANT)) {
    const what = action ? `${tool} ${action}` : tool;
    return `Permission denied: principal "${principal.name}" may only read, and ${what} writes (granted: ${granted}; a token with "${tool}" or "*" may write)`;
  }
  return `Permission denied: principal "${principal.name}" may not call ${tool} (missing permission "${tool}"; granted: ${granted})`;
}

/**
 * Who a claim names: an authenticated caller is the person their token or JWT stands for, and what they pass as
 * claimant is their session (`dana/session-7`); a caller nobody authenticated (stdio, --no-auth) is taken at its word.
 * Undefined when neither says who.
 */
export function claimantOf(principal: Principal, given: string | undefined): string | undefined {
  const session = given?.trim() || undefined;
  if (principal.via === 'local' || principal.via === 'anonymous') return session;
  if (session === undefined || session === principal.name || session.startsWith(`${principal.name}/`))
    return session ?? principal.name;
  return `${principal.name}/${session}`;
}

/** The person an authenticated caller is; undefined for local and anonymous callers, who name no one. */
export function personOf(principal: Principal): string | undefined {
  return principal.via === 'static' || principal.via === 'jwt' ? principal.name : undefined;
}

/** Whether `principal` may read or write project `name`. */
export function mayUseProject(principal: Principal, name: string): boolean {
  return principal.projects === undefined || principal.projects.includes(name);
}

/**
 * The one line a scoped principal gets for a call outside its projects (or one that names none). It never names the
 * other project: a task id of another tenant's would otherwise tell its project's name.
 */
export function outOfScopeMessage(principal: Principal, what: string, touchesAnother: boolean): string {
  const allowed = (principal.projects ?? []).join(', ') || 'none';
  return !touchesAnother
    ? `Permission denied: principal "${principal.name}" may only use the projects ${allowed}, and ${what} names none: name one of them`
    : `Permission denied: principal "${principal.name}" may only use the projects ${allowed}, and ${what} touches another one`;
}
