// The embedded store's network side: the monitor's loopback server when it serves the store, else the store in
// process. It answers in the agenthub protocol, so the agenthub reader reads it.
import { staticHeaders } from '../../auth/provider.js';
import { homeFiles } from '../../home/files.js';
import { registerSecret } from '../../log/redact.js';
import type { Endpoint } from '../../resilience/tool-session.js';
import { defineAdapter } from '../adapter-contract.js';
import { agenthubSource } from '../agenthub/source.js';
import { httpEndpoint, toolSessionOver } from '../connect.js';
import { callDeadlineMs } from '../adapter-contract.js';
import { definition } from './definition.js';
import { BUILT_IN_VIA_MONITOR, firstTaskNote } from './notes.js';
import { inProcessEndpoint, readStoreServer } from './store-access.js';

export const adapter = defineAdapter({
  definition,
  open: (ctx) => {
    const local = inProcessEndpoint(ctx.dbFile ?? homeFiles(ctx.home).tasks, ctx);
    const remote = ctx.dbFile ? undefined : readStoreServer(ctx.home, ctx.log);
    const endpoints: Endpoint[] = [];
    if (remote) {
      registerSecret(remote.token);
      const auth = staticHeaders('the store server token', { Authorization: `Bearer ${remote.token}` });
      // The monitor's own copy of this store: local like the one in process, so no shared breaker. Named for what it
      // serves, not its loopback port, which dies with that monitor and would mislead the context and the status.
      // The reader speaks agenthub's tools, which the store server offers only to a client that asks for them.
      const url = `${remote.url}?tools=agenthub`;
      endpoints.push({ ...httpEndpoint(url, auth), server: BUILT_IN_VIA_MONITOR, local: true });
    }
    endpoints.push(local.endpoint);
    return agenthubSource(toolSessionOver(ctx, endpoints, local.close), {
      cache: ctx.cache,
      defaultDeadlineMs: callDeadlineMs(ctx),
      unknownProjectNote: firstTaskNote,
      projectListing: true,
      requestId: ctx.requestId,
      waitOutBusy: true,
    });
  },
  detect: async () => ({ found: true, entries: {}, from: 'the state directory (nothing to configure)' }),
});
