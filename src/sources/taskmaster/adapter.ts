// Task Master's network side: its MCP server over stdio, run in the project.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineAdapter } from '../adapter-contract.js';
import { mcpToolSession } from '../connect.js';
import { otherSourceFix } from '../fixes.js';
import { findOnPath } from '../../util/executable.js';
import { definition, PROGRAM } from './definition.js';
import { taskmasterSource } from './source.js';

/** Task Master starts slowly: the timeout install writes for it, and the one its failures suggest. */
const SLOW_START_MS = 20_000;
const UNANSWERED = `Task Master's MCP server did not answer: check that task-master-ai runs in this project (${PROGRAM.install}), and give it source.timeoutMs ${SLOW_START_MS} if it is just slow`;

export const adapter = defineAdapter({
  definition,
  open: (ctx) =>
    // Task Master's core tool set is all taskhooks uses, and registers much faster than the full one.
    taskmasterSource(mcpToolSession(ctx, { TASK_MASTER_TOOLS: 'core' }), {
      root: ctx.projectRoot,
      defaultDeadlineMs: ctx.source.timeoutMs,
    }),
  fixes: { unavailable: UNANSWERED, timeout: UNANSWERED, protocol: otherSourceFix('taskmaster') },
  detect: async ({ env, cwd, gitRoot }) => {
    const root = gitRoot ?? cwd;
    if (!existsSync(path.join(root, '.taskmaster')))
      return { found: false, missing: `no .taskmaster/ folder in ${root}: \`task-master init\` starts one` };
    if (!findOnPath('task-master-ai', env))
      return { found: false, missing: `Task Master is not on the PATH: ${PROGRAM.install}` };
    return { found: true, entries: { timeoutMs: SLOW_START_MS }, from: `${root}/.taskmaster` };
  },
});
