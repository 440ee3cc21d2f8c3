// The steps `doctor` shows for Azure DevOps, each a real call: the project and where it was found, where the token
// came from (never the token) and where it goes, whose it is, the query the source runs, the rate limit when told.
import type { DoctorCheck } from '../adapter-contract.js';
import { API_VERSION, type AzureApi, type AzureRate } from './api.js';
import type { AzureToken } from './access.js';
import { ConnectionData, WiqlResult } from './schema.js';
import { DEFAULT_WIQL, type AzureOptions } from './source.js';

/** The limit as the last answer told it: Azure DevOps tells it only once it slows a token down. */
function rateLine(rate: AzureRate): string {
  if (rate.remaining === undefined)
    return 'not delayed (Azure DevOps tells its limit only once it slows a token down; its Retry-After is waited out)';
  const reset = Number(rate.reset);
  const at = reset > 0 ? `, resets at ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : '';
  return `${rate.remaining} of ${rate.limit ?? '?'} left${at}`;
}

export function azureChecks(api: AzureApi, token: AzureToken, opts: AzureOptions): DoctorCheck[] {
  const { where } = api;
  return [
    { name: 'Azure DevOps project', run: async () => `${where.project} at ${where.orgUrl} (from ${where.from})` },
    {
      name: 'Azure DevOps token',
      run: async () => `found in ${token.from}, sent only to ${new URL(where.orgUrl).origin}`,
    },
    {
      name: 'Azure DevOps account',
      run: async (d) => {
        const req = { path: '/_apis/connectionData', org: true, version: API_VERSION.connectionData } as const;
        const { authenticatedUser: me } = await api.call('connectionData', req, ConnectionData, d);
        const account = me.properties?.Account?.$value;
        return `${me.providerDisplayName ?? me.id}${account ? ` (${account})` : ''}`;
      },
    },
    {
      name: 'Azure DevOps query',
      run: async (d) => {
        const query = opts.wiql ?? DEFAULT_WIQL;
        const req = { method: 'POST', path: '/_apis/wit/wiql', body: { query }, version: API_VERSION.wit } as const;
        const n = (await api.call('wiql', req, WiqlResult, d)).workItems.length;
        return `${n} work item${n === 1 ? '' : 's'} for ${opts.wiql ? 'source.azure-devops.wiql' : 'yours not closed'}`;
      },
    },
    { name: 'Azure DevOps rate limit', run: async () => rateLine(api.rate) },
  ];
}
