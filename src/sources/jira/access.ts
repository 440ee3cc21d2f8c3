// What the Jira source is opened with, from its entries (`source.jira`, which JIRA_BASE_URL, JIRA_EMAIL and
// JIRA_API_TOKEN set): the site, the credential and where they were found (never the token itself).
import { TaskSourceError } from '../../errors/task-source.js';
import { registerSecret } from '../../log/redact.js';
import { JIRA_WORDS, type JiraCredential } from './api.js';
import { shownHome } from '../../home/dir.js';

export interface JiraEntries {
  url?: string | undefined;
  email?: string | undefined;
  token?: string | undefined;
  project?: string | undefined;
  jql?: string | undefined;
  issueType?: string | undefined;
}

export interface JiraSettings {
  site: string;
  credential: JiraCredential;
  /** Where the site and the credential came from, for doctor. */
  from: string;
  /** JIRA_BASE_URL and source.jira.url are the person's own (a project file cannot set them): plain http allowed. */
  setByPerson: true;
}

/** What is missing, in one line naming how to give it; undefined when nothing is. */
export function jiraMissing(entries: JiraEntries): string | undefined {
  const missing = [
    ...(entries.url ? [] : ['JIRA_BASE_URL=https://your-site.atlassian.net']),
    ...(entries.token ? [] : ['JIRA_EMAIL and JIRA_API_TOKEN (id.atlassian.com → Security → API tokens)']),
  ];
  if (missing.length === 0) return undefined;
  return `Jira needs ${missing.join(' and ')}: set them in the environment or as source.jira.url / source.jira.email / source.jira.token in ${shownHome(['config.json'])}`;
}

export function jiraSettings(entries: JiraEntries, env: NodeJS.ProcessEnv): JiraSettings {
  const missing = jiraMissing(entries);
  if (missing || !entries.url || !entries.token) {
    throw new TaskSourceError('config', missing ?? 'Jira is not configured', {
      short: 'Jira not configured',
      place: entries.url ?? 'source.jira',
      fix: JIRA_WORDS.authFix,
    });
  }
  let site: URL;
  try {
    site = new URL(entries.url);
  } catch {
    throw new TaskSourceError('config', `JIRA_BASE_URL (source.jira.url) is not a URL: ${entries.url}`, {
      short: 'bad Jira URL',
      place: 'source.jira.url',
      fix: 'set it to your site, e.g. https://your-site.atlassian.net',
    });
  }
  registerSecret(entries.token);
  const credential: JiraCredential = entries.email
    ? { kind: 'basic', email: entries.email, token: entries.token }
    : { kind: 'bearer', token: entries.token };
  const tokenFrom = env.JIRA_API_TOKEN === entries.token ? 'JIRA_API_TOKEN' : 'source.jira.token';
  const how = entries.email
    ? `${entries.email} with the API token from ${tokenFrom}`
    : `a bearer token from ${tokenFrom}`;
  return { site: site.origin + site.pathname.replace(/\/+$/, ''), credential, from: how, setByPerson: true };
}
