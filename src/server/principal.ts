/** Who is calling, and which tools they may call ('*' = every tool). stdio callers are local and trusted. */
export interface Principal {
  name: string;
  tools: readonly string[];
  via: 'static' | 'jwt' | 'local' | 'anonymous';
}

export const LOCAL_PRINCIPAL: Principal = { name: 'local', tools: ['*'], via: 'local' };

export function mayCall(principal: Principal, tool: string): boolean {
  return principal.tools.includes('*') || principal.tools.includes(tool);
}

export function permissionDeniedMessage(principal: Principal, tool: string): string {
  const granted = principal.tools.length ? principal.tools.join(', ') : 'none';
  return `Permission denied: principal "${principal.name}" may not call ${tool} (missing permission "${tool}"; granted: ${granted})`;
}
