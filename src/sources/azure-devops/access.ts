// Where the Azure DevOps source reads and with what: the organization or collection URL (AZURE_DEVOPS_ORG_URL, else the
// origin's organization) and the project (config, else the origin's), and the personal access token with where it
// was found (never the token itself). The token goes to that URL's origin only.
import { TaskSourceError } from '../../errors/task-source.js';
import { registerSecret } from '../../log/redact.js';
import { parseAzureRemote } from './remote.js';
import { shownHome } from '../../home/dir.js';

export interface AzureEntries {
  orgUrl?: string | undefined;
  project?: string | undefined;
  token?: string | undefined;
  wiql?: string | undefined;
  workItemType?: string | undefined;
}

export interface AzureWhere {
  /** The organization or collection URL, no trailing slash: the API is under it and the token goes nowhere else. */
  orgUrl: string;
  project: string;
  /** Where both came from, for doctor and install. */
  from: string;
  /** Where the URL came from: the person's own settings, or the repository's origin (then never plain http). */
  orgUrlSetBy: 'settings' | 'origin';
}

export interface AzureToken {
  token: string;
  /** An environment variable's name or the config key. */
  from: string;
}

export const AZURE_TOKEN_FIX =
  'set AZURE_DEVOPS_EXT_PAT (or AZURE_DEVOPS_TOKEN) to a personal access token with the Work Items (Read & write) scope: User settings → Personal access tokens';

const SERVICES_HOST = /^(?:dev\.azure\.com|[A-Za-z0-9-]+\.visualstudio\.com)$/i;

/** The token: AZURE_DEVOPS_EXT_PAT (as the az devops extension reads it), AZURE_DEVOPS_TOKEN, then the config's. */
export function azureToken(entries: AzureEntries, env: NodeJS.ProcessEnv): AzureToken | undefined {
  const found =
    [
      { token: env.AZURE_DEVOPS_EXT_PAT?.trim(), from: 'AZURE_DEVOPS_EXT_PAT' },
      { token: env.AZURE_DEVOPS_TOKEN?.trim(), from: 'AZURE_DEVOPS_TOKEN' },
      { token: entries.token?.trim(), from: 'source.azure-devops.token' },
    ].find((t) => t.token) ?? undefined;
  if (!found?.token) return undefined;
  registerSecret(found.token);
  return { token: found.token, from: found.from };
}

const refused = (message: string, short: string, fix: string): TaskSourceError =>
  new TaskSourceError('config', message, { short, place: 'source.azure-devops', fix });

/**
 * The organization and project from the settings and the checkout's origin (`origin`, its URL, undefined when none):
 * a config error naming the line to set when they do not say, or when the origin is on a host the URL is not.
 */
export function azureWhere(entries: AzureEntries, origin: string | undefined, env: NodeJS.ProcessEnv): AzureWhere {
  const remote = origin ? parseAzureRemote(origin) : undefined;
  const set = entries.orgUrl
    ?.replace(/\/+$/, '')
    .replace(/^http:\/\/(?=[^/]+\.visualstudio\.com|dev\.azure\.com)/i, 'https://');
  const orgUrl = set ?? (remote?.services ? remote.base : undefined);
  if (!orgUrl) {
    if (remote)
      throw refused(
        `origin is on ${new URL(remote.base).host}, not Azure DevOps Services`,
        'no organization URL',
        `if it is an Azure DevOps Server, set AZURE_DEVOPS_ORG_URL=${remote.base} (its collection URL)`,
      );
    throw refused(
      `no Azure DevOps origin${origin ? ` (origin is ${origin})` : ''} and no AZURE_DEVOPS_ORG_URL`,
      'no organization',
      'set AZURE_DEVOPS_ORG_URL=https://dev.azure.com/ORG and source.azure-devops.project, or run in a checkout cloned from Azure Repos',
    );
  }
  if (remote && set && !entries.project) {
    const orgHost = new URL(set).host;
    const otherServer = !remote.services && new URL(remote.base).host !== orgHost;
    const otherOrg = remote.services && SERVICES_HOST.test(new URL(set).hostname) && remote.base !== set;
    if (otherServer || otherOrg)
      throw refused(
        `origin is on ${remote.base}, AZURE_DEVOPS_ORG_URL (source.azure-devops.orgUrl) names ${set}`,
        'origin elsewhere',
        `set AZURE_DEVOPS_ORG_URL=${remote.base}, or source.azure-devops.project to read a project of ${set}`,
      );
  }
  const project = entries.project ?? remote?.project;
  if (!project)
    throw refused(
      `no Azure DevOps project: origin names none${origin ? ` (${origin})` : ''}`,
      'no project',
      `set source.azure-devops.project in ${shownHome(['config.json'])}, or run in a checkout cloned from Azure Repos`,
    );
  const from = [
    set ? (env.AZURE_DEVOPS_ORG_URL ? 'AZURE_DEVOPS_ORG_URL' : 'source.azure-devops.orgUrl') : 'origin',
    entries.project ? 'source.azure-devops.project' : 'origin',
  ];
  const orgUrlSetBy = set ? 'settings' : 'origin';
  return { orgUrl, project, from: from[0] === from[1] ? 'origin' : `${from[0]} and ${from[1]}`, orgUrlSetBy };
}
