// Backlog.md's network side: its own program, run once per read in the project.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineAdapter } from '../adapter-contract.js';
import { installedProgram } from '../connect.js';
import { BUILT_IN_STORE } from '../embedded/notes.js';
import { serverOf } from '../plan.js';
import { programRunner } from '../program.js';
import { TaskSourceError } from '../../errors/task-source.js';
import { findOnPath } from '../../util/executable.js';
import { definition, PROGRAM } from './definition.js';
import { backlogSource, RELEASE_FIX } from './source.js';

export const adapter = defineAdapter({
  definition,
  open: (ctx) => {
    const { plan } = ctx;
    if (plan.kind !== 'cli')
      throw new TaskSourceError('config', 'Backlog.md is read through its program, not an MCP server', {
        short: 'Backlog.md needs its program',
        place: plan.kind === 'embedded' ? BUILT_IN_STORE : serverOf(plan),
        fix: 'remove source.servers, or set source.command to the backlog program',
      });
    const command = installedProgram(plan, ctx.projectRoot, ctx.env);
    const runner = programRunner({ server: serverOf(plan), command, args: plan.args, env: plan.env }, ctx);
    return backlogSource(runner, {
      root: ctx.projectRoot,
      defaultDeadlineMs: ctx.source.timeoutMs,
      statuses: ctx.source.statuses,
    });
  },
  fixes: {
    unavailable: 'Backlog.md stopped: run the same `backlog` command in the repository to see why',
    protocol: RELEASE_FIX,
  },
  detect: async ({ env, cwd, gitRoot }) => {
    const root = gitRoot ?? cwd;
    if (!existsSync(path.join(root, 'backlog')))
      return { found: false, missing: `no backlog/ folder in ${root}: \`backlog init\` starts one` };
    if (!findOnPath('backlog', env))
      return { found: false, missing: `Backlog.md is not on the PATH: ${PROGRAM.install}` };
    return { found: true, entries: {}, from: `${root}/backlog` };
  },
});
