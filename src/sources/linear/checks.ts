// The steps `doctor` shows for Linear, each a real call: where the key was found (never the key), whose it is, a
// list of the issues assigned to them, and what the rate limit has left.
import type { DoctorCheck } from '../adapter-contract.js';
import type { LinearApi } from './api.js';
import * as Q from './queries.js';
import { AssignedPage, Viewer } from './schema.js';
import type { LinearSettings } from './access.js';

const clock = (epochMs: number): string => new Date(epochMs).toISOString().slice(11, 16);

export function linearChecks(settings: LinearSettings, api: LinearApi): DoctorCheck[] {
  return [
    {
      name: 'Linear key',
      run: async () =>
        `${settings.credential.kind === 'oauth' ? 'OAuth token' : 'API key'} from ${settings.from}, for ${settings.url}`,
    },
    {
      name: 'Linear viewer',
      run: async (d) => {
        const { viewer } = await api.request('viewer', Q.VIEWER, {}, Viewer, d);
        return viewer.email ? `${viewer.name} <${viewer.email}>` : viewer.name;
      },
    },
    {
      name: 'Linear assigned issues',
      run: async (d) => {
        const filter = { state: { type: { nin: ['completed', 'canceled'] } } };
        const page = await api.request(
          'assignedIssues',
          Q.ASSIGNED,
          { first: 50, after: null, filter },
          AssignedPage,
          d,
        );
        const { nodes, pageInfo } = page.viewer.assignedIssues;
        return `${nodes.length}${pageInfo.hasNextPage ? '+' : ''} open issue${nodes.length === 1 ? '' : 's'} assigned to you`;
      },
    },
    {
      name: 'Linear rate limit',
      run: async () =>
        api.rate.remaining === undefined
          ? 'not reported in the last answer'
          : `${api.rate.remaining} requests left${api.rate.resetAt ? ` until ${clock(api.rate.resetAt)} UTC` : ''}`,
    },
  ];
}
