// Azure DevOps Boards' network side: the REST client for the organization and project the settings or the checkout's
// origin name, with the token the environment or the user's config holds; what `install --source azure-devops` finds
// by itself; the steps doctor shows.
import { defineAdapter, optionsOf, type OpenContext } from '../adapter-contract.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { readOriginUrl } from '../github/remote.js';
import { AZURE_TOKEN_FIX, azureToken, azureWhere, type AzureEntries, type AzureToken } from './access.js';
import { azureApi } from './api.js';
import { azureChecks } from './checks.js';
import { definition } from './definition.js';
import { azureSource, type AzureOptions } from './source.js';

const INSTEAD = 'source.azure-devops.project (and AZURE_DEVOPS_ORG_URL)';

function tokenOf(entries: AzureEntries, env: NodeJS.ProcessEnv, place: string): AzureToken {
  const token = azureToken(entries, env);
  if (token) return token;
  throw new TaskSourceError('auth', `no Azure DevOps token for ${place}`, {
    short: 'no Azure DevOps token',
    place,
    fix: AZURE_TOKEN_FIX,
  });
}

function opened(ctx: OpenContext) {
  const entries = optionsOf(definition, ctx.source);
  const where = azureWhere(entries, readOriginUrl(ctx.projectRoot, INSTEAD), ctx.env);
  const token = tokenOf(entries, ctx.env, where.orgUrl);
  const api = azureApi(where, token, { cache: ctx.cache, log: ctx.log });
  const options: AzureOptions = {
    defaultDeadlineMs: ctx.source.timeoutMs,
    wiql: entries.wiql,
    workItemType: entries.workItemType,
    statuses: ctx.source.statuses,
    listCap: ctx.source.listCap,
    cache: ctx.cache,
  };
  return { api, token, options };
}

export const adapter = defineAdapter({
  definition,
  open: (ctx) => {
    const { api, options } = opened(ctx);
    return azureSource(api, options);
  },
  detect: async ({ env, cwd, gitRoot, userSource }) => {
    const own = (userSource['azure-devops'] ?? {}) as AzureEntries;
    const entries: AzureEntries = { ...own, orgUrl: env.AZURE_DEVOPS_ORG_URL ?? own.orgUrl };
    try {
      const where = azureWhere(entries, readOriginUrl(gitRoot ?? cwd, INSTEAD), env);
      const token = azureToken(entries, env);
      if (!token) return { found: false, missing: `no Azure DevOps token for ${where.orgUrl}: ${AZURE_TOKEN_FIX}` };
      return {
        found: true,
        entries: {},
        from: `${where.project} at ${where.orgUrl} (${where.from}), token from ${token.from}`,
      };
    } catch (err) {
      if (!(err instanceof TaskSourceError)) throw err;
      return { found: false, missing: `${err.message}: ${err.fix}` };
    }
  },
  doctorSteps: (_source, ctx) => {
    const { api, token, options } = opened(ctx);
    return azureChecks(api, token, options);
  },
});
