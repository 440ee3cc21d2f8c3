import type { Config } from './schema.js';

/** Which task source a config means, after applying the "nothing configured" rules. */
export type SourcePlan =
  | { kind: 'remote'; adapter: 'agenthub' | 'tracker'; servers: string[] }
  | { kind: 'stdio'; adapter: 'agenthub' | 'tracker' | 'taskmaster'; command: string; args: string[]; env: Record<string, string> }
  | { kind: 'embedded'; adapter: 'agenthub' };

const TASKMASTER_DEFAULT = { command: 'npx', args: ['-y', '--package=task-master-ai', 'task-master-ai'] };

/**
 * The configured adapter wins. With none: MCP_SERVER_URL/source.servers means agenthub, TASK_TRACKING_URL means
 * tracker, and nothing at all means the embedded reference server.
 */
export function planSource(config: Config): SourcePlan {
  const s = config.source;
  const adapter = s.adapter;
  if (adapter === 'embedded') return { kind: 'embedded', adapter: 'agenthub' };
  if (adapter === 'taskmaster' || (adapter !== undefined && s.command)) {
    const command = s.command ?? TASKMASTER_DEFAULT.command;
    const args = s.command ? s.args : TASKMASTER_DEFAULT.args;
    return { kind: 'stdio', adapter, command, args, env: s.env };
  }
  if (adapter === 'tracker') {
    const servers = s.servers.length > 0 ? s.servers : s.trackingUrl ? [s.trackingUrl] : [];
    if (servers.length > 0) return { kind: 'remote', adapter: 'tracker', servers };
  }
  if (adapter === 'agenthub' && s.servers.length > 0) return { kind: 'remote', adapter: 'agenthub', servers: s.servers };
  if (adapter === undefined) {
    if (s.servers.length > 0) return { kind: 'remote', adapter: 'agenthub', servers: s.servers };
    if (s.trackingUrl) return { kind: 'remote', adapter: 'tracker', servers: [s.trackingUrl] };
  }
  return { kind: 'embedded', adapter: 'agenthub' };
}

/** The key under which a source's snapshots are cached: failover URLs of one source share it. */
export function sourceKey(plan: SourcePlan): string {
  switch (plan.kind) {
    case 'remote':
      return plan.servers[0] as string;
    case 'stdio':
      return `stdio:${[plan.command, ...plan.args].join(' ')}`;
    case 'embedded':
      return 'embedded';
  }
}
