// Builds the configured task source: its plan says which adapter and where its server is; this turns the plan
// into endpoints (with their credentials) behind one resilient session.
import path from 'node:path';
import { findGitRoot } from '../git/repo.js';
import { sourceKey, type SourcePlan, type SourceSettings } from './plan.js';
import type { Store } from '../cache/store.js';
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
import { homeFiles } from '../home/files.js';
import { TaskSourceError } from '../errors/task-source.js';
import { findOnPath, isExecutable } from '../util/executable.js';
import type { TaskSource } from './source.js';

export interface OpenSourceArgs {
  source: SourceSettings;
  home: string;
  store: Store;
  log: Logger;
  /** The project the source is opened for: `.mcp.json` and Task Master's projectRoot are found from it. */
  projectRoot?: string | undefined;
  /** Tests shrink breaker thresholds and backoff; production uses the defaults. */
  policy?: Partial<ResiliencePolicy> | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** A specific reference-server database to use in-process (`taskhooks tasks --db FILE`), whatever is configured. */
  dbFile?: string | undefined;
}

/**
 * Task Master's MCP server as installed: the project's own (node_modules/.bin, only in a project the user trusted:
 * it is the repository's code), else on the PATH. Never downloaded: a download at run time runs whatever version is
 * newest, takes longer than any hook may, and leaves processes behind when it times out.
 */
function installedTaskMaster(plan: Extract<SourcePlan, { kind: 'stdio' }>, projectRoot: string, env: NodeJS.ProcessEnv): string {
  const projectBin = path.join(projectRoot, 'node_modules', '.bin', plan.command);
  if (plan.projectBin && isExecutable(projectBin)) return projectBin;
  const onPath = findOnPath(plan.command, env);
  if (onPath) return onPath;
  throw new TaskSourceError('config', `Task Master is not installed: no ${plan.command} ${plan.projectBin ? `in ${path.dirname(projectBin)} or ` : ''}on the PATH`, {
    short: 'Task Master is not installed',
    place: sourceKey(plan),
    fix: 'install it (`npm install -g task-master-ai`, or `npm install -D task-master-ai` in a project you trust), or set source.command to its MCP server',
  });
}

function httpEndpoint(url: string, auth: AuthProvider): Endpoint {
  return { server: url, auth, target: { kind: 'http', url, headers: () => auth.headers() } };
}

function endpointsFor(plan: SourcePlan, args: OpenSourceArgs, projectRoot: string): { endpoints: Endpoint[]; cleanup: () => void } {
  switch (plan.kind) {
    case 'remote':
      return {
        endpoints: plan.servers.map((url) =>
          httpEndpoint(url, resolveAuth(args.source.auth, { store: args.store, log: args.log, url, env: args.env })),
        ),
        cleanup: () => undefined,
      };
    case 'stdio': {
      const command = plan.adapter === 'taskmaster' && !plan.configured ? installedTaskMaster(plan, projectRoot, args.env ?? process.env) : plan.command;
      // Task Master's core tool set is all taskhooks uses, and registers much faster than the full one.
      const env = plan.adapter === 'taskmaster' ? { TASK_MASTER_TOOLS: 'core', ...plan.env } : plan.env;
      return {
        endpoints: [
          { server: sourceKey(plan), target: { kind: 'stdio', command, args: plan.args, env, cwd: projectRoot }, auth: NO_AUTH },
        ],
        cleanup: () => undefined,
      };
    }
    case 'embedded': {
      const local = inProcessEndpoint(args.dbFile ?? homeFiles(args.home).tasks, { home: args.home, log: args.log, store: args.store });
      const remote = args.dbFile ? undefined : readEmbedded(args.home, args.log);
      const endpoints: Endpoint[] = [];
      if (remote) {
        registerSecret(remote.token);
        endpoints.push(httpEndpoint(remote.url, staticHeaders('the embedded server token', { Authorization: `Bearer ${remote.token}` })));
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
  const plan: SourcePlan = args.dbFile ? { kind: 'embedded', adapter: 'agenthub' } : args.source.plan;
  const projectRoot = args.projectRoot ?? findGitRoot(process.cwd()) ?? process.cwd();
  const { endpoints, cleanup } = endpointsFor(plan, args, projectRoot);
  const { timeoutMs, rate } = args.source;
  const inner = openSession({
    endpoints,
    store: args.store,
    log: args.log,
    timeoutMs,
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
  switch (plan.adapter) {
    case 'agenthub':
      return agenthubSource(session, {
        store: args.store,
        defaultDeadlineMs: timeoutMs,
        unknownProjectNote: plan.kind === 'embedded' ? firstTaskNote : unregisteredProjectNote,
      });
    case 'tracker':
      return trackerSource(session, timeoutMs);
    case 'taskmaster':
      return taskmasterSource(session, projectRoot, timeoutMs);
  }
}
