// The generic source's network side: the one configured tool, on the configured MCP server.
import { defineAdapter } from '../adapter-contract.js';
import { mcpToolSession } from '../connect.js';
import { BUILT_IN_STORE } from '../embedded/notes.js';
import { mcpServerFixes } from '../fixes.js';
import { serverOf } from '../plan.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { definition } from './definition.js';
import { genericSource } from './source.js';

export const adapter = defineAdapter({
  definition,
  open: (ctx) => {
    const { tool, timeoutMs, statuses } = ctx.source;
    if (!tool) {
      throw new TaskSourceError('config', 'The generic MCP adapter has no tool to call: source.tool is not set', {
        short: 'source.tool not set',
        place: ctx.plan.kind === 'embedded' ? BUILT_IN_STORE : serverOf(ctx.plan),
        fix: 'set source.tool.name (and source.tool.args) in your config.json: the tool that lists the tasks',
      });
    }
    return genericSource(mcpToolSession(ctx), { tool, defaultDeadlineMs: timeoutMs, statuses });
  },
  fixes: {
    ...mcpServerFixes('mcp'),
    protocol: 'check source.tool.name and source.tool.args: the tool that lists the tasks, as the server names it',
  },
  detect: async ({ userSource }) =>
    userSource.tool !== undefined && (userSource.command !== undefined || Array.isArray(userSource.servers))
      ? { found: true, entries: {}, from: 'source.tool in your config.json' }
      : {
          found: false,
          missing:
            'the generic source needs the tool that lists your tasks and its server: set source.tool and source.command (or source.servers) in your config.json (docs/sources.md)',
        },
});
