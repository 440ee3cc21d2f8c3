// The task-tracking service's network side: a tool session that always carries the service's API key.
import { defineAdapter } from '../adapter-contract.js';
import { mcpToolSession } from '../connect.js';
import { otherSourceFix } from '../fixes.js';
import { definition } from './definition.js';
import { trackerSource } from './source.js';

const UNREACHED =
  'start the task-tracking service, or point TASK_TRACKING_URL (source.trackingUrl) at one that runs; raise source.timeoutMs if it is just slow';

export const adapter = defineAdapter({
  definition,
  open: (ctx) => trackerSource(mcpToolSession(ctx), { defaultDeadlineMs: ctx.source.timeoutMs }),
  fixes: {
    unavailable: UNREACHED,
    timeout: UNREACHED,
    auth: 'check TASK_TRACKING_API_KEY (auth.apiKey, sent in auth.apiKeyHeader)',
    protocol: otherSourceFix('tracker'),
  },
  detect: async ({ env, userSource }) => {
    const url =
      env.TASK_TRACKING_URL ?? (typeof userSource.trackingUrl === 'string' ? userSource.trackingUrl : undefined);
    const missing = [
      ...(url ? [] : ['TASK_TRACKING_URL=http://host:port']),
      ...(env.TASK_TRACKING_API_KEY ? [] : ['TASK_TRACKING_API_KEY=…']),
    ];
    if (missing.length === 0)
      return { found: true, entries: {}, from: env.TASK_TRACKING_URL ? 'TASK_TRACKING_URL' : 'source.trackingUrl' };
    return { found: false, missing: `the task-tracking service needs ${missing.join(' and ')} in the environment` };
  },
});
