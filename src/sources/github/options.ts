// What GitHub and GitLab issues are opened with, from a source's own settings: they read issues alike (whose, which
// labels, which milestone, what the labels mean), each with its own endpoint and its own default label words.
import type { OpenContext } from '../adapter-contract.js';
import type { GitHubOptions } from './source.js';
import type { LabelWords } from './words.js';

/** The settings both sources take under their own name (`source.github.*`, `source.gitlab.*`). */
export interface IssueSettings {
  issues?: 'assigned' | 'all' | undefined;
  labels?: readonly string[] | undefined;
  milestone?: string | undefined;
  priorityLabels?: LabelWords['priority'] | undefined;
  inProgressLabel?: string | undefined;
  blockedLabel?: string | undefined;
}

/** The options of the issues at `at` (its API and web host), the labels' words over `defaults`. */
export function issueOptions(
  own: IssueSettings,
  at: { api: string; host: string },
  defaults: LabelWords,
  ctx: Pick<OpenContext, 'source'>,
): Omit<GitHubOptions, 'repo'> {
  return {
    ...at,
    issues: own.issues ?? 'assigned',
    labels: own.labels ?? [],
    milestone: own.milestone,
    words: {
      priority: own.priorityLabels ?? defaults.priority,
      inProgress: own.inProgressLabel ?? defaults.inProgress,
      blocked: own.blockedLabel ?? defaults.blocked,
    },
    timeoutMs: ctx.source.timeoutMs,
    listCap: ctx.source.listCap,
  };
}

/** A rate limit's reset for doctor: the time of day in UTC. */
export const resetLine = (at: number): string => new Date(at).toISOString().slice(11, 16);
