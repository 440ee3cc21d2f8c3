// agenthub's network side: the tool session to its servers, read by the agenthub protocol.
import { defineAdapter } from '../adapter-contract.js';
import { mcpToolSession } from '../connect.js';
import { mcpServerFixes } from '../fixes.js';
import { definition } from './definition.js';
import { pushedPatch } from './pushed.js';
import { agenthubSource, unregisteredProjectNote } from './source.js';

export const adapter = defineAdapter({
  definition,
  open: (ctx) =>
    agenthubSource(mcpToolSession(ctx), {
      cache: ctx.cache,
      defaultDeadlineMs: ctx.source.timeoutMs,
      requestId: ctx.requestId,
      unknownProjectNote: unregisteredProjectNote,
    }),
  fixes: mcpServerFixes('agenthub'),
  pushed: pushedPatch,
  detect: async ({ env, userSource }) => {
    if (env.MCP_SERVER_URL) return { found: true, entries: {}, from: 'MCP_SERVER_URL' };
    if (Array.isArray(userSource.servers) && userSource.servers.length > 0)
      return { found: true, entries: {}, from: 'source.servers in your config.json' };
    return {
      found: false,
      missing:
        'no agenthub server found: set MCP_SERVER_URL=http://host:8000 (and its credentials, see docs/sources.md), or pass --server URL',
    };
  },
});
