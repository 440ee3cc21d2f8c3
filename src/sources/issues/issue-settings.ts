// The settings of the sources whose tasks are labelled issues (GitHub's, GitLab's), for their definitions: light, so
// the hooks that read every definition take in only this, not the label words' code.
import type { PlanContext, PlanShape, Zm } from '../contract.js';

/** The labels that mark an issue in progress and blocked. */
export interface Workflow {
  inProgress: string;
  blocked: string;
}

/** The in-progress and blocked labels most repositories use. */
export const PLAIN_WORKFLOW: Workflow = { inProgress: 'in progress', blocked: 'blocked' };

/**
 * The settings of a source whose tasks are labelled issues (GitHub's, GitLab's): which issues, and what their labels
 * mean; `words` gives the in-progress and blocked labels' defaults.
 */
export const issueSettings = (z: Zm, words: Workflow) => ({
  /** The REST API's base URL. */
  api: z.optional(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })),
  /** `assigned`: the open issues assigned to you; `all`: every open issue. */
  issues: z._default(z.enum(['assigned', 'all']), 'assigned'),
  labels: z._default(z.array(z.string().check(z.minLength(1))), []),
  milestone: z.optional(z.string().check(z.minLength(1))),
  /** A label and the priority it means, instead of `priority: high` and P0–P3. */
  priorityLabels: z.optional(
    z.record(z.string().check(z.minLength(1)), z.enum(['low', 'medium', 'high', 'urgent', 'critical'])),
  ),
  inProgressLabel: z._default(z.string().check(z.minLength(1)), words.inProgress),
  blockedLabel: z._default(z.string().check(z.minLength(1)), words.blocked),
});

/**
 * The plan of a source over a REST API worked out from the user's settings alone (`api`, `host`): a repository's
 * remote never picks where the token goes.
 */
export const apiPlan =
  (endpoint: (own: { api?: string | undefined; host?: string | undefined }) => { api: string }) =>
  (_shared: unknown, { own }: PlanContext): PlanShape => ({
    kind: 'remote',
    servers: [
      endpoint({
        api: typeof own.api === 'string' ? own.api : undefined,
        host: typeof own.host === 'string' ? own.host : undefined,
      }).api,
    ],
  });
