// Task Master's network side: its MCP server over stdio, run in the project.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineAdapter } from '../adapter-contract.js';
import { mcpToolSession } from '../connect.js';
import { findOnPath } from '../../util/executable.js';
import { definition, PROGRAM } from './definition.js';
import { taskmasterSource } from './source.js';

export const adapter = defineAdapter({
  definition,
  open: (ctx) =>
    // Task Master's core tool set is all taskhooks uses, and registers much faster than the full one.
    taskmasterSource(mcpToolSession(ctx, { TASK_MASTER_TOOLS: 'core' }), {
      root: ctx.projectRoot,
      defaultDeadlineMs: ctx.source.timeoutMs,
    }),
  detect: async ({ env, cwd, gitRoot }) => {
    const root = gitRoot ?? cwd;
    if (!existsSync(path.join(root, '.taskmaster')))
      return { found: false, missing: `no .taskmaster/ folder in ${root}: \`task-master init\` starts one` };
    if (!findOnPath('task-master-ai', env))
      return { found: false, missing: `Task Master is not on the PATH: ${PROGRAM.install}` };
    return { found: true, entries: { timeoutMs: 20000 }, from: `${root}/.taskmaster` };
  },
});
