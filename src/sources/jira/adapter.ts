// Jira Cloud's network side: its REST client for the configured site with the credentials found in the environment
// or the user's config, the source over it, what install finds by itself and the steps doctor shows.
import { optionsOf, defineAdapter } from '../adapter-contract.js';
import { jiraApi } from './api.js';
import { definition } from './definition.js';
import { jiraChecks } from './checks.js';
import { jiraMissing, jiraSettings, type JiraEntries } from './access.js';
import { jiraSource, type JiraOptions } from './source.js';
import type { OpenContext } from '../adapter-contract.js';

const entriesOf = (own: unknown): JiraEntries => (typeof own === 'object' && own !== null ? (own as JiraEntries) : {});

function opened(ctx: OpenContext) {
  const entries = optionsOf(definition, ctx.source);
  const settings = jiraSettings(entries, ctx.env);
  const options: JiraOptions = {
    defaultDeadlineMs: ctx.source.timeoutMs,
    project: entries.project,
    jql: entries.jql,
    issueType: entries.issueType,
    statuses: ctx.source.statuses,
    listCap: ctx.source.listCap,
  };
  return { settings, options, api: jiraApi(settings) };
}

export const adapter = defineAdapter({
  definition,
  open: (ctx) => {
    const { api, options } = opened(ctx);
    return jiraSource(api, options);
  },
  detect: async ({ env, userSource }) => {
    const own = entriesOf(userSource.jira);
    const found: JiraEntries = {
      url: env.JIRA_BASE_URL ?? own.url,
      email: env.JIRA_EMAIL ?? own.email,
      token: env.JIRA_API_TOKEN ?? own.token,
    };
    const missing = jiraMissing(found);
    if (missing) return { found: false, missing };
    const from = [
      env.JIRA_BASE_URL ? 'JIRA_BASE_URL' : 'source.jira.url',
      env.JIRA_API_TOKEN ? 'JIRA_API_TOKEN' : 'source.jira.token',
    ];
    return { found: true, entries: {}, from: from.join(', ') };
  },
  doctorSteps: (_source, ctx) => {
    const { settings, options, api } = opened(ctx);
    return jiraChecks(settings, api, options);
  },
});
