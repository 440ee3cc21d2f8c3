// Linear's network side: its GraphQL client with the key found in the environment or the user's config, the
// source over it, what install finds by itself and the steps doctor shows.
import { optionsOf, defineAdapter } from '../adapter-contract.js';
import { linearApi } from './api.js';
import { definition } from './definition.js';
import { linearChecks } from './checks.js';
import { LINEAR_MISSING, linearSettings, type LinearEntries } from './access.js';
import { linearSource } from './source.js';

const entriesOf = (own: unknown): LinearEntries =>
  typeof own === 'object' && own !== null ? (own as LinearEntries) : {};

export const adapter = defineAdapter({
  definition,
  open: (ctx) => {
    const settings = linearSettings(optionsOf(definition, ctx.source), ctx.env);
    return linearSource(linearApi(settings), {
      defaultDeadlineMs: ctx.source.timeoutMs,
      team: settings.team,
      project: settings.project,
      listCap: ctx.source.listCap,
    });
  },
  detect: async ({ env, userSource }) => {
    const own = entriesOf(userSource.linear);
    const key = env.LINEAR_API_KEY ?? own.apiKey ?? own.oauthToken;
    if (!key) return { found: false, missing: LINEAR_MISSING };
    return {
      found: true,
      entries: {},
      from: env.LINEAR_API_KEY ? 'LINEAR_API_KEY' : own.apiKey ? 'source.linear.apiKey' : 'source.linear.oauthToken',
    };
  },
  doctorSteps: (_source, ctx) => {
    const settings = linearSettings(optionsOf(definition, ctx.source), ctx.env);
    return linearChecks(settings, linearApi(settings));
  },
});
