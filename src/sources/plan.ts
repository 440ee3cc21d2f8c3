// What a task source is, once configuration has been resolved: which adapter speaks to which server, under which
// cache key, with which credentials, deadline and rate limit. src/config builds it; everything below takes it.
import type { AuthSettings } from '../auth/index.js';
import type { RateLimit } from '../resilience/rate-limit.js';
import type { TaskStatus } from '../tasks/task.js';
import type { LabelWords } from './github/words.js';

/**
 * The tool families taskhooks can read. `backlog` is Backlog.md through its own program; `mcp` is any MCP server,
 * read through one configured tool (see ToolQuery).
 */
export const SOURCE_ADAPTERS = ['agenthub', 'tracker', 'taskmaster', 'backlog', 'mcp', 'github'] as const;
export type SourceAdapter = (typeof SOURCE_ADAPTERS)[number];

/** A program taskhooks runs: the one configured, or the adapter's own found where it is installed. */
interface ProgramPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  /**
   * `configured`: the command was set by the user; otherwise it is the adapter's program, found where installed, and
   * `projectBin` says whether the project's own node_modules/.bin may provide it (a project the user trusted).
   */
  configured: boolean;
  projectBin: boolean;
}

export type SourcePlan =
  | { kind: 'remote'; adapter: 'agenthub' | 'tracker' | 'mcp'; servers: string[] }
  /** An MCP server over stdio. */
  | ({ kind: 'stdio'; adapter: Exclude<SourceAdapter, 'backlog' | 'github'> } & ProgramPlan)
  /** A command-line program run once per read, answering in machine-readable output. */
  | ({ kind: 'cli'; adapter: 'backlog' } & ProgramPlan)
  /** The built-in task server, in process; it speaks the agenthub protocol but is no agenthub server. */
  | { kind: 'embedded' }
  /** GitHub Issues over its REST API: the repository from the checkout's origin unless `repo` names one. */
  | ({ kind: 'github'; adapter: 'github' } & GitHubPlan);

/** Where GitHub is and which of a repository's issues are the user's tasks; the API only from the user's settings. */
export interface GitHubPlan {
  api: string;
  host: string;
  repo?: string | undefined;
  issues: 'assigned' | 'all';
  labels: readonly string[];
  milestone?: string | undefined;
  words: LabelWords;
}

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
  auth: AuthSettings;
  /** What the generic adapter calls (required by it, unused by the others). */
  tool?: ToolQuery | undefined;
  /** The server's own status words mapped to taskhooks' statuses, over the built-in ones (backlog and mcp). */
  statuses: Readonly<Record<string, TaskStatus>>;
  /** Who the user is on this server (`source.user`): tasks assigned to or claimed by that name are "you". */
  user?: string | undefined;
}

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
      return 'embedded';
    case 'github':
      return plan.api;
  }
}

/**
 * The key under which a plan's snapshots are cached: its server, and for the generic adapter the tool and arguments
 * too, since another tool of the same server answers something else.
 */
export function sourceKey(plan: SourcePlan, tool?: ToolQuery): string {
  const server = serverOf(plan);
  // Another filter reads other issues: its snapshots are its own.
  if (plan.kind === 'github')
    return [server, plan.repo, plan.issues, plan.labels.join(','), plan.milestone].filter((p) => p).join(' ');
  if (plan.kind === 'embedded' || plan.adapter !== 'mcp' || !tool) return server;
  return `${server} ${tool.name}${Object.keys(tool.args).length > 0 ? ` ${JSON.stringify(tool.args)}` : ''}`;
}

/** The servers whose circuit breakers guard this plan; the embedded store is in-process and has none. */
export function guardedServers(plan: SourcePlan): string[] {
  // GitHub's own rate limits, kept in the cache, stand in for a breaker there.
  return plan.kind === 'remote'
    ? plan.servers
    : plan.kind === 'embedded' || plan.kind === 'github'
      ? []
      : [serverOf(plan)];
}

/**
 * Whether the plan's server can keep claims: the embedded store, and the agenthub and tracker protocols (the reference
 * server has them; another server refuses the call and the monitor stops asking it). Task Master, Backlog.md and a
 * generic server have nowhere to keep one: sessions' claims stay in the cache of one machine.
 */
export const keepsClaims = (plan: SourcePlan): boolean =>
  plan.kind === 'embedded' || plan.adapter === 'agenthub' || plan.adapter === 'tracker';
