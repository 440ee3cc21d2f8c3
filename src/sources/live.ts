// A source's pushed changes: a task server that offers resource subscriptions (`taskhooks serve`, at `<url>/live`)
// tells a subscriber of every change to a project's tasks. Other servers answer that they cannot, and are polled.
import type { Cache } from '../cache/cache.js';
import type { Logger } from '../log/logger.js';
import { resolveAuth } from '../auth/index.js';
import { subscribeResources, type SubscribeOutcome } from '../mcp/subscribe.js';
import { projectOfUri, projectTasksUri } from '../server/resource-uri.js';
import type { Deadline } from '../util/deadline.js';
import type { SourceSettings } from './plan.js';

export interface SubscribeArgs {
  source: SourceSettings;
  home: string;
  cache: Cache;
  log: Logger;
  env?: NodeJS.ProcessEnv | undefined;
  /** The projects (names on the task server) to hear about. */
  projects: readonly string[];
  /**
   * A change to `project`'s tasks; `sequence` is the server's change sequence after it, when it numbers changes, and
   * `carried` what the notification carried of the changes themselves (unchecked: see the adapter's `pushed`).
   */
  onChange(project: string, sequence?: number, carried?: unknown): void;
  deadline: Deadline;
}

/** Where a server that serves MCP at `…/mcp` pushes changes; undefined for a URL of another shape. */
export function liveUrlOf(url: string): string | undefined {
  const u = new URL(url);
  if (!/\/mcp\/?$/.test(u.pathname)) return undefined;
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/live`;
  return u.href;
}

export async function subscribeToChanges(args: SubscribeArgs): Promise<SubscribeOutcome> {
  const { plan } = args.source;
  if (plan.kind !== 'remote') return { subscribed: false, why: `a ${plan.kind} source cannot push changes` };
  const [url] = plan.servers;
  const live = url === undefined ? undefined : liveUrlOf(url);
  if (url === undefined || live === undefined) return { subscribed: false, why: 'the server URL does not end in /mcp' };
  const auth = resolveAuth(args.source.auth, { cache: args.cache, log: args.log, url, env: args.env });
  return subscribeResources(
    { kind: 'http', url: live, headers: () => auth.headers() },
    args.projects.map(projectTasksUri),
    (uri, sequence, carried) => {
      const project = projectOfUri(uri);
      if (project !== undefined) args.onChange(project, sequence, carried);
    },
    args.deadline,
  );
}
