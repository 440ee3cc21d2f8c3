// The steps `doctor` shows for Jira, each a real call: the site and where the credentials were found (never the
// token), whose account they are, the search the source runs, and the rate limit when the site reports it.
import type { DoctorCheck } from '../adapter-contract.js';
import { scopedJql, type JiraOptions } from './source.js';
import type { JiraApi } from './api.js';
import { Myself, SearchPage } from './schema.js';
import type { JiraSettings } from './access.js';

export function jiraChecks(settings: JiraSettings, api: JiraApi, opts: JiraOptions): DoctorCheck[] {
  return [
    { name: 'Jira credentials', run: async () => `${settings.site}, as ${settings.from}` },
    {
      name: 'Jira account',
      run: async (d) => {
        const me = await api.call('myself', { path: '/rest/api/3/myself' }, Myself, d);
        return me.displayName ?? me.accountId;
      },
    },
    {
      name: 'Jira search',
      run: async (d) => {
        const jql = scopedJql(opts);
        const body = { jql, fields: ['summary'], maxResults: 50 };
        const page = await api.call(
          'search/jql',
          { method: 'POST', path: '/rest/api/3/search/jql', body },
          SearchPage,
          d,
        );
        const n = page.issues?.length ?? 0;
        return `${n}${page.isLast === false ? '+' : ''} issue${n === 1 ? '' : 's'} for ${jql}`;
      },
    },
    {
      name: 'Jira rate limit',
      run: async () =>
        api.rate.remaining === undefined
          ? 'not reported by the site (a 429 is waited out as its Retry-After says)'
          : `${api.rate.remaining} left${api.rate.reset ? `, reset ${api.rate.reset}` : ''}`,
    },
  ];
}
