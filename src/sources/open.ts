// Builds the configured task source: its plan says which adapter and where its server is; this turns the plan
// into endpoints (with their credentials) behind one resilient session.
import path from 'node:path';
import { findGitRoot } from '../git/repo.js';
import { serverOf, type SourcePlan, type SourceSettings } from './plan.js';
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { registerSecret } from '../log/redact.js';
import { resolveAuth, NO_AUTH } from '../auth/index.js';
import { staticHeaders, type AuthProvider } from '../auth/provider.js';
import { openSession, type Endpoint, type ToolSession } from '../resilience/session.js';
import type { ResiliencePolicy } from '../resilience/policy.js';
import { agenthubSource, unregisteredProjectNote } from './agenthub.js';
import { firstTaskNote, inProcessEndpoint, readEmbedded } from './embedded.js';
import { taskmasterSource } from './taskmaster.js';
import { trackerSource } from './tracker.js';
import { backlogSource } from './backlog.js';
import { genericSource } from './generic.js';
import { programRunner } from './program.js';
import { homeFiles } from '../home/files.js';
import { TaskSourceError } from '../errors/task-source.js';
import { findOnPath, isExecutable } from '../util/executable.js';
import type { TaskSource } from './source.js';

export interface OpenSourceArgs {
  source: SourceSettings;
  home: string;
  cache: Cache;
  log: Logger;
  /** The project the source is opened for: `.mcp.json` and Task Master's projectRoot are found from it. */
  projectRoot?: string | undefined;
  /** Tests shrink breaker thresholds and backoff; production uses the defaults. */
  policy?: Partial<ResiliencePolicy> | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** A specific reference-server database to use in-process (`taskhooks tasks --db FILE`), whatever is configured. */
  dbFile?: string | undefined;
  /** One id for the writes of one action (a CLI command, a board action): a retry of them is not written twice. */
  requestId?: string | undefined;
}

/**
 * How long a call may take when its caller names no deadline. The embedded store is a file on this machine: what a
 * write waits for is SQLite's busy wait behind other writers (and a monitor busy serving them), not a network that
 * may be down, so source.timeoutMs does not apply to it; this bound only ends a process wedged for good.
 */
export const LOCAL_STORE_DEADLINE_MS = 10 * 60_000;

export function callDeadlineMs(args: Pick<OpenSourceArgs, 'source' | 'dbFile'>): number {
  const local = args.dbFile !== undefined || args.source.plan.kind === 'embedded';
  return local ? Math.max(args.source.timeoutMs, LOCAL_STORE_DEADLINE_MS) : args.source.timeoutMs;
}

/** The programs adapters run when the user named none: what to call them in a message, and how to install them. */
const INSTALLED: Record<'taskmaster' | 'backlog', { name: string; install: string }> = {
  taskmaster: {
    name: 'Task Master',
    install: '`npm install -g task-master-ai`, or `npm install -D task-master-ai` in a project you trust',
  },
  backlog: {
    name: 'Backlog.md',
    install: '`npm install -g backlog.md`, or `npm install -D backlog.md` in a project you trust',
  },
};

/**
 * An adapter's program as installed: the project's own (node_modules/.bin, only in a project the user trusted: it is
 * the repository's code), else on the PATH. Never downloaded: a download at run time runs whatever version is newest,
 * takes longer than any hook may, and leaves processes behind when it times out.
 */
function installedProgram(
  plan: Extract<SourcePlan, { kind: 'stdio' | 'cli' }>,
  projectRoot: string,
  env: NodeJS.ProcessEnv,
): string {
  if (plan.configured || !(plan.adapter === 'taskmaster' || plan.adapter === 'backlog')) return plan.command;
  const projectBin = path.join(projectRoot, 'node_modules', '.bin', plan.command);
  if (plan.projectBin && isExecutable(projectBin)) return projectBin;
  const onPath = findOnPath(plan.command, env);
  if (onPath) return onPath;
  const { name, install } = INSTALLED[plan.adapter];
  throw new TaskSourceError(
    'config',
    `${name} is not installed: no ${plan.command} ${plan.projectBin ? `in ${path.dirname(projectBin)} or ` : ''}on the PATH`,
    {
      short: `${name} is not installed`,
      place: serverOf(plan),
      fix: `install it (${install}), or set source.command to its program`,
    },
  );
}

function httpEndpoint(url: string, auth: AuthProvider): Endpoint {
  return { server: url, auth, target: { kind: 'http', url, headers: () => auth.headers() } };
}

function endpointsFor(
  plan: Exclude<SourcePlan, { kind: 'cli' }>,
  args: OpenSourceArgs,
  projectRoot: string,
): { endpoints: Endpoint[]; cleanup: () => void } {
  switch (plan.kind) {
    case 'remote':
      return {
        endpoints: plan.servers.map((url) =>
          httpEndpoint(url, resolveAuth(args.source.auth, { cache: args.cache, log: args.log, url, env: args.env })),
        ),
        cleanup: () => undefined,
      };
    case 'stdio': {
      const command = installedProgram(plan, projectRoot, args.env ?? process.env);
      // Task Master's core tool set is all taskhooks uses, and registers much faster than the full one.
      const env = plan.adapter === 'taskmaster' ? { TASK_MASTER_TOOLS: 'core', ...plan.env } : plan.env;
      return {
        endpoints: [
          {
            server: serverOf(plan),
            target: { kind: 'stdio', command, args: plan.args, env, cwd: projectRoot },
            auth: NO_AUTH,
          },
        ],
        cleanup: () => undefined,
      };
    }
    case 'embedded': {
      const local = inProcessEndpoint(args.dbFile ?? homeFiles(args.home).tasks, {
        home: args.home,
        log: args.log,
        cache: args.cache,
      });
      const remote = args.dbFile ? undefined : readEmbedded(args.home, args.log);
      const endpoints: Endpoint[] = [];
      if (remote) {
        registerSecret(remote.token);
        endpoints.push({
          ...httpEndpoint(
            remote.url,
            staticHeaders('the embedded server token', { Authorization: `Bearer ${remote.token}` }),
          ),
          local: true,
        });
      }
      endpoints.push(local.endpoint);
      return { endpoints, cleanup: local.close };
    }
  }
}

/**
 * Opens the configured task source. Nothing touches the network here: the first call connects, so opening a
 * source for a breaker-open server costs nothing.
 */
export function openSource(args: OpenSourceArgs): TaskSource {
  const plan: SourcePlan = args.dbFile ? { kind: 'embedded' } : args.source.plan;
  const projectRoot = args.projectRoot ?? findGitRoot(process.cwd()) ?? process.cwd();
  const { timeoutMs, rate, statuses } = args.source;
  const defaultDeadlineMs = callDeadlineMs(args);
  if (plan.kind === 'cli') {
    const command = installedProgram(plan, projectRoot, args.env ?? process.env);
    const runner = programRunner({ server: serverOf(plan), command, args: plan.args, env: plan.env }, args);
    return backlogSource(runner, { root: projectRoot, defaultDeadlineMs: timeoutMs, statuses });
  }
  const { endpoints, cleanup } = endpointsFor(plan, args, projectRoot);
  const inner = openSession({
    endpoints,
    cache: args.cache,
    log: args.log,
    rate,
    policy: args.policy,
  });
  const session: ToolSession = {
    ...inner,
    close: async () => {
      await inner.close();
      cleanup();
    },
  };
  // The embedded server answers in the agenthub protocol, so the agenthub adapter reads it.
  switch (plan.kind === 'embedded' ? 'agenthub' : plan.adapter) {
    case 'agenthub':
      return agenthubSource(session, {
        cache: args.cache,
        defaultDeadlineMs,
        requestId: args.requestId,
        unknownProjectNote: plan.kind === 'embedded' ? firstTaskNote : unregisteredProjectNote,
      });
    case 'tracker':
      return trackerSource(session, { defaultDeadlineMs: timeoutMs });
    case 'taskmaster':
      return taskmasterSource(session, { root: projectRoot, defaultDeadlineMs: timeoutMs });
    case 'mcp': {
      const { tool } = args.source;
      if (!tool) {
        throw new TaskSourceError('config', 'The generic MCP adapter has no tool to call: source.tool is not set', {
          short: 'source.tool not set',
          place: serverOf(plan),
          fix: 'set source.tool.name (and source.tool.args) in your config.json: the tool that lists the tasks',
        });
      }
      return genericSource(session, { tool, defaultDeadlineMs: timeoutMs, statuses });
    }
  }
}
