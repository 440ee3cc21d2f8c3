// Azure DevOps Boards: the work items a WIQL query finds, by default yours that are not closed, in the checkout's
// project (its origin on dev.azure.com, ssh.dev.azure.com or ORG.visualstudio.com, or AZURE_DEVOPS_ORG_URL's
// collection), with a personal access token from AZURE_DEVOPS_EXT_PAT or AZURE_DEVOPS_TOKEN.
import type { TaskStatus } from '../../tasks/task.js';
import { defineSource } from '../contract.js';

/** The state categories every work item type's states belong to, whatever the process names its states. */
export const AZURE_STATE_CATEGORIES: Readonly<Record<string, TaskStatus>> = {
  Proposed: 'todo',
  InProgress: 'in_progress',
  Resolved: 'review',
  Completed: 'done',
  Removed: 'cancelled',
};

/** Azure DevOps Services: an organization's API is https://dev.azure.com/ORG. */
export const AZURE_SERVICES = 'https://dev.azure.com';

export const definition = defineSource({
  name: 'azure-devops',
  summary:
    'Azure DevOps Boards work items from a WIQL query, by default yours not closed (the origin, AZURE_DEVOPS_EXT_PAT)',
  config: (z) => ({
    /**
     * The organization (https://dev.azure.com/ORG) or collection URL (Azure DevOps Server, a proxy): the only origin
     * the token is sent to.
     */
    orgUrl: z.optional(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })),
    /** The project, instead of the one the checkout's origin names. */
    project: z.optional(z.string().check(z.minLength(1))),
    /** A personal access token; AZURE_DEVOPS_EXT_PAT and AZURE_DEVOPS_TOKEN are read first. */
    token: z.optional(z.string().check(z.minLength(1))),
    /** The WIQL query, replacing the default one (yours, not closed, in the project). */
    wiql: z.optional(z.string().check(z.minLength(1))),
    /** The type of new work items, instead of the project's default task type. */
    workItemType: z.optional(z.string().check(z.minLength(1))),
  }),
  secrets: ['token'],
  env: { AZURE_DEVOPS_ORG_URL: 'orgUrl' },
  capabilities: {
    writes: ['start', 'done', 'block', 'reopen', 'note', 'add', 'edit'],
    claims: 'assignee',
    pagination: true,
  },
  words: { statuses: AZURE_STATE_CATEGORIES, priorities: { '1': 'high', '2': 'medium', '3': 'low', '4': 'low' } },
  // The API is the user's organization URL, else Azure DevOps Services; the organization itself comes from the origin.
  plan: (_shared, { own }) => ({
    kind: 'remote',
    servers: [typeof own.orgUrl === 'string' ? own.orgUrl.replace(/\/+$/, '') : AZURE_SERVICES],
  }),
});
