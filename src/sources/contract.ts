// What a task source is, declared once per source in src/sources/<name>/definition.ts: the light half of the
// contract. Hooks, the config schema, install, doctor and docs read these declarations, so a definition imports no
// network code and no zod at run time (its config entries are built with the zod/mini handed to `config`).
import type * as ZodMini from 'zod/mini';
import type { TaskPriority, TaskStatus } from '../tasks/task.js';

/** What a person can change through a source; `operation()` refuses the others in one line. */
export const SOURCE_WRITES = ['start', 'done', 'block', 'reopen', 'note', 'add', 'edit', 'remove'] as const;
export type SourceWrite = (typeof SOURCE_WRITES)[number];

export interface SourceCapabilities {
  writes: readonly SourceWrite[];
  /** Who keeps a session's claim: the server (claim/release tools), the assignee field, or nobody ('none'). */
  claims: 'server' | 'assignee' | 'none';
  /** Answers conditional requests (ETag / If-None-Match), so an unchanged list costs no quota. */
  conditional: boolean;
  /** Pushes changes (a resource subscription or webhook relay) instead of waiting for the next poll. */
  push: boolean;
  /** Reads every page of a long list; a string says why the source has no pages to read. */
  pagination: true | string;
}

/** The source's own words, mapped to taskhooks' statuses and priorities (exact words; other ones are read loosely). */
export interface SourceWords {
  statuses: Readonly<Record<string, TaskStatus>>;
  priorities?: Readonly<Record<string, TaskPriority>> | undefined;
}

/** The `source` entries several sources share (the flat keys of `source`), as a plan reads them. */
export interface SharedEntries {
  servers: readonly string[];
  trackingUrl?: string | undefined;
  command?: string | undefined;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  tool?: unknown;
}

/** A program a source runs: the one configured, or the source's own, found where it is installed. */
export interface ProgramPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  /**
   * `configured`: the command was set by the user; otherwise it is the source's program, found where installed, and
   * `projectBin` says whether the project's own node_modules/.bin may provide it (a project the user trusted).
   */
  configured: boolean;
  projectBin: boolean;
}

/** How a source is reached, before the registry names its adapter (src/sources/plan.ts adds it). */
export type PlanShape =
  /** Servers over HTTP, in failover order (an MCP endpoint, or an API base URL for a source that speaks REST). */
  | { kind: 'remote'; servers: string[] }
  /** An MCP server over stdio. */
  | ({ kind: 'stdio' } & ProgramPlan)
  /** A command-line program run once per read, answering in machine-readable output. */
  | ({ kind: 'cli' } & ProgramPlan)
  /** The built-in task server, in process. */
  | { kind: 'embedded' };

export interface PlanContext {
  /** The project's config file is trusted: its node_modules/.bin may provide the source's program. */
  projectTrusted: boolean;
  /** The source's own entries (`source.<name>`), as its `config` validated them: a REST source's API URL is there. */
  own: Readonly<Record<string, unknown>>;
}

/** The program a source runs when the user names none: found installed, never downloaded. */
export interface InstalledProgram {
  bin: string;
  /** What to call it in a message. */
  name: string;
  /** How to install it, for the message that says it is missing. */
  install: string;
}

/** A program published on npm as `pkg`: installed for every project, or in one the user trusts. */
export const npmProgram = (name: string, bin: string, pkg: string): InstalledProgram => ({
  bin,
  name,
  install: `\`npm install -g ${pkg}\`, or \`npm install -D ${pkg}\` in a project you trust`,
});

/** The zod/mini module, handed to `config` so a definition loads no zod of its own. */
export type Zm = typeof ZodMini;
export type ConfigShape = Record<string, ZodMini.ZodMiniType>;

export interface SourceDefinition<N extends string = string, C extends ConfigShape = ConfigShape> {
  /** `source.adapter`, the folder's name, and the key of its own entries (`source.<name>`). */
  readonly name: N;
  /** One line for docs, `install` and `doctor`: what the source reads. */
  readonly summary: string;
  /** The entries of `source.<name>`, built with zod/mini; the config schema runs this only when it loads. */
  readonly config?: ((z: Zm) => C) | undefined;
  /** Keys of `source.<name>` holding secrets: registered with the log scrubber, never kept by the config cache. */
  readonly secrets?: readonly string[] | undefined;
  /** Environment variables that set keys of `source.<name>` as they are: `{GITHUB_API_URL: 'api'}`. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly capabilities: SourceCapabilities;
  readonly words: SourceWords;
  /** MCP tools whose calls change this source's tasks: PostToolUse marks the snapshot stale after one. */
  readonly changingTools: readonly string[];
  /** Its program, when it runs one (Task Master, Backlog.md). */
  readonly program?: InstalledProgram | undefined;
  /**
   * How it is reached with these settings; undefined when they do not say where (the embedded store stands in).
   * `ctx.own` is `source.<name>`, already validated: a REST source's API URL is there.
   */
  plan(shared: SharedEntries, ctx: PlanContext): PlanShape | undefined;
  /** With no `source.adapter`, whether these settings mean this source (MCP_SERVER_URL means agenthub). */
  implied?: ((shared: SharedEntries) => boolean) | undefined;
  /** Why these settings cannot work for this source, in one line, or undefined. */
  check?: ((shared: SharedEntries) => string | undefined) | undefined;
}

/** A definition as a source declares it: what most sources lack (conditional requests, push, task-changing tools) may be left out. */
export type SourceDeclaration<N extends string, C extends ConfigShape> = Omit<
  SourceDefinition<N, C>,
  'capabilities' | 'changingTools' | 'secrets'
> & {
  readonly capabilities: Omit<SourceCapabilities, 'conditional' | 'push'> &
    Partial<Pick<SourceCapabilities, 'conditional' | 'push'>>;
  readonly changingTools?: readonly string[] | undefined;
  readonly secrets?: readonly (keyof C & string)[] | undefined;
};

/**
 * Declares a source: keeps the literal name and the config's type, checks the secrets' keys, and fills in what was
 * left out (no conditional requests, no push, no task-changing tools).
 */
export const defineSource = <const N extends string, C extends ConfigShape = Record<never, never>>(
  declared: SourceDeclaration<N, C>,
): SourceDefinition<N, C> => ({
  ...declared,
  capabilities: { conditional: false, push: false, ...declared.capabilities },
  changingTools: declared.changingTools ?? [],
});

/** The program plan a source's settings mean: `source.command` when set, else the source's own `bin`. */
export function programPlan(shared: SharedEntries, ctx: PlanContext, bin: string): ProgramPlan {
  const configured = shared.command !== undefined;
  return {
    command: shared.command ?? bin,
    args: configured ? [...shared.args] : [],
    env: { ...shared.env },
    configured,
    projectBin: ctx.projectTrusted,
  };
}

/** The plan of an MCP source: `source.command` over stdio, else its servers; undefined with neither. */
export function mcpPlan(shared: SharedEntries, ctx: PlanContext): PlanShape | undefined {
  if (shared.command !== undefined) return { kind: 'stdio', ...programPlan(shared, ctx, shared.command) };
  return shared.servers.length > 0 ? { kind: 'remote', servers: [...shared.servers] } : undefined;
}

/** The environment bindings definitions declare, as config keys (`source.<name>.<key>`). */
export const envBindingsOf = (definitions: readonly SourceDefinition[]) =>
  definitions.flatMap((d) =>
    Object.entries(d.env ?? {}).map(
      ([name, key]) => ({ name, key: `source.${d.name}.${key}`, kind: 'string' }) as const,
    ),
  );

/** The config keys definitions mark secret, as patterns of dotted keys. */
export const secretKeysOf = (definitions: readonly SourceDefinition[]): RegExp[] =>
  definitions.flatMap((d) => (d.secrets ?? []).map((k) => new RegExp(`^source\\.${d.name}\\.${k}$`)));

/** Each definition's own entries as the optional `source.<name>` object of the config schema. */
export function ownEntriesOf(definitions: readonly SourceDefinition[], z: Zm): Record<string, ZodMini.ZodMiniType> {
  return Object.fromEntries(
    definitions.flatMap((d) => (d.config ? [[d.name, z.optional(z.strictObject(d.config(z)))]] : [])),
  );
}
