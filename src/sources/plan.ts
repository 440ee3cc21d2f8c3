// What a task source is, once configuration has been resolved: which adapter speaks to which server, under which source
// key (what its snapshots are kept under in the cache), with which credentials, deadline and rate limit. src/config
// builds it; everything below takes it.
import type { AuthSettings } from '../auth/index.js';
import type { RateLimit } from '../resilience/rate-limit.js';
import type { ListCap } from './list-cap.js';
import type { TaskStatus } from '../tasks/task.js';
import type { PlanShape } from './contract.js';
import { definitionOf, type SourceName } from './registry.js';

/** The sources reached through an adapter of their own; the embedded store's plan names none. */
export type SourceAdapter = Exclude<SourceName, 'embedded'>;

export type SourcePlan =
  | (Exclude<PlanShape, { kind: 'embedded' }> & { adapter: SourceAdapter })
  /** The built-in task server, in process; it speaks the agenthub protocol but is no agenthub server. */
  | { kind: 'embedded' };

/** The source's name as config takes it (`source.adapter`): the embedded store is "embedded", not its protocol's. */
export const sourceName = (plan: SourcePlan): SourceName => (plan.kind === 'embedded' ? 'embedded' : plan.adapter);

/**
 * Where, in the JSON of a tool's answer, the task list and each task's fields are: RFC 6901 pointers, the list's from
 * the answer's root, the fields' from each item.
 */
export interface TaskPointers {
  list: string;
  id: string;
  title: string;
  status: string;
  priority: string;
  description: string;
}

/** The generic adapter's one read: a tool, its arguments, and, for a JSON answer, where its tasks are. */
export interface ToolQuery {
  name: string;
  /** String values may hold {projectRoot}, {project} and {branch}, replaced with the scope's. */
  args: Record<string, unknown>;
  /** Without it the answer is shown as the server words it. */
  tasks?: TaskPointers | undefined;
}

export interface SourceSettings {
  plan: SourcePlan;
  /** The key its snapshots are cached under: failover URLs of one source share it. */
  key: string;
  /** A call's deadline when its caller gives none. */
  timeoutMs: number;
  rate: RateLimit;
  /** How far a paged list is read (source.maxPages, source.maxItems). */
  listCap: ListCap;
  auth: AuthSettings;
  /** What the generic adapter calls (required by it, unused by the others). */
  tool?: ToolQuery | undefined;
  /** The server's own status words mapped to taskhooks' statuses, over the built-in ones (backlog and mcp). */
  statuses: Readonly<Record<string, TaskStatus>>;
  /** Who the user is on this server (`source.user`): tasks assigned to or claimed by that name are "you". */
  user?: string | undefined;
  /** The source's own entries (`source.<name>`), as its definition's config schema validated them. */
  options: Readonly<Record<string, unknown>>;
}

/** The key the built-in store's snapshots are cached under (the home's own store; a --db file is not cached). */
export const EMBEDDED_SOURCE_KEY = 'embedded';

/** The server a plan reaches, as its breaker, metrics and messages name it. */
export function serverOf(plan: SourcePlan): string {
  switch (plan.kind) {
    case 'remote':
      return plan.servers[0] as string;
    case 'stdio':
      return `stdio:${[plan.command, ...plan.args].join(' ')}`;
    case 'cli':
      return `cli:${[plan.command, ...plan.args].join(' ')}`;
    case 'embedded':
      return EMBEDDED_SOURCE_KEY;
  }
}

/**
 * The key under which a plan's snapshots are cached: its server, and for the generic adapter the tool and arguments
 * too, since another tool of the same server answers something else.
 */
export function sourceKey(plan: SourcePlan, tool?: ToolQuery): string {
  const server = serverOf(plan);
  if (plan.kind === 'embedded' || plan.adapter !== 'mcp' || !tool) return server;
  return `${server} ${tool.name}${Object.keys(tool.args).length > 0 ? ` ${JSON.stringify(tool.args)}` : ''}`;
}

/** The servers whose circuit breakers guard this plan; the embedded store is in-process and has none. */
export function guardedServers(plan: SourcePlan): string[] {
  return plan.kind === 'remote' ? plan.servers : plan.kind === 'embedded' ? [] : [serverOf(plan)];
}

/**
 * Whether the plan's server can keep claims, as its definition says (taskhooks' own MCP task server has the claim
 * tools; another server refuses the call and the monitor stops asking it). Elsewhere sessions' claims stay in one
 * machine's cache.
 */
export const keepsClaims = (plan: SourcePlan): boolean =>
  definitionOf(sourceName(plan)).capabilities.claims === 'server';
