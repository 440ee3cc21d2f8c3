// Any MCP server, read through the one tool that lists its work (source.tool): the generic source, without code.
import { defineSource, mcpPlan } from '../contract.js';

export const definition = defineSource({
  name: 'mcp',
  summary: 'any MCP server, through the one tool that lists its work (source.tool)',
  capabilities: {
    writes: [],
    claims: 'none',
    pagination: 'one tool call, answered whole',
  },
  // The common words (src/sources/issues/vocabulary.ts) and source.statuses read its statuses.
  words: { statuses: {} },
  // Which of an arbitrary server's tools change tasks is not known: its snapshot follows by refresh only.
  changingTools: [],
  plan: mcpPlan,
  check: (shared) =>
    shared.tool !== undefined && (shared.command !== undefined || shared.servers.length > 0)
      ? undefined
      : 'the generic adapter (mcp) needs source.tool (the tool that lists the tasks) and its server: source.command or source.servers',
});
