// How adapters reach their servers: MCP endpoints (HTTP with the source's credentials, or a program over stdio)
// behind one tool session, and the programs a source runs, found where they are installed.
import path from 'node:path';
import { resolveAuth, NO_AUTH } from '../auth/index.js';
import type { AuthProvider } from '../auth/provider.js';
import { TaskSourceError } from '../errors/task-source.js';
import { openToolSession, type Endpoint, type ToolSession } from '../resilience/tool-session.js';
import { findOnPath, isExecutable } from '../util/executable.js';
import type { OpenContext } from './adapter-contract.js';
import { BUILT_IN_STORE } from './embedded/notes.js';
import { serverOf, type SourcePlan } from './plan.js';
import { definitionOf } from './registry.js';

type ProgramSourcePlan = Extract<SourcePlan, { kind: 'stdio' | 'cli' }>;

/**
 * A source's program as installed: the project's own (node_modules/.bin, only in a project the user trusted: it is
 * the repository's code), else on the PATH. Never downloaded: a download at run time runs whatever version is newest,
 * takes longer than any hook may, and leaves processes behind when it times out.
 */
export function installedProgram(plan: ProgramSourcePlan, projectRoot: string, env: NodeJS.ProcessEnv): string {
  const program = definitionOf(plan.adapter).program;
  if (plan.configured || !program) return plan.command;
  const projectBin = path.join(projectRoot, 'node_modules', '.bin', plan.command);
  if (plan.projectBin && isExecutable(projectBin)) return projectBin;
  const onPath = findOnPath(plan.command, env);
  if (onPath) return onPath;
  throw new TaskSourceError(
    'config',
    `${program.name} is not installed: no ${plan.command} ${plan.projectBin ? `in ${path.dirname(projectBin)} or ` : ''}on the PATH`,
    {
      short: `${program.name} is not installed`,
      place: serverOf(plan),
      fix: `install it (${program.install}), or set source.command to its program`,
    },
  );
}

export function httpEndpoint(url: string, auth: AuthProvider): Endpoint {
  return { server: url, auth, target: { kind: 'http', url, headers: () => auth.headers() } };
}

/** A tool session over these endpoints, which runs `cleanup` once closed. */
export function toolSessionOver(ctx: OpenContext, endpoints: Endpoint[], cleanup?: () => void): ToolSession {
  const inner = openToolSession({
    endpoints,
    cache: ctx.cache,
    log: ctx.log,
    rate: ctx.source.rate,
    policy: ctx.policy,
  });
  if (!cleanup) return inner;
  return {
    ...inner,
    close: async () => {
      await inner.close();
      cleanup();
    },
  };
}

/**
 * The tool session of a remote or stdio plan: its servers with the source's credentials, or its program (with `env`
 * added under the configured environment).
 */
export function mcpToolSession(ctx: OpenContext, env: Record<string, string> = {}): ToolSession {
  const { plan } = ctx;
  if (plan.kind === 'remote') {
    const endpoints = plan.servers.map((url) =>
      httpEndpoint(url, resolveAuth(ctx.source.auth, { cache: ctx.cache, log: ctx.log, url, env: ctx.env })),
    );
    return toolSessionOver(ctx, endpoints);
  }
  if (plan.kind === 'stdio') {
    const command = installedProgram(plan, ctx.projectRoot, ctx.env);
    const target = {
      kind: 'stdio',
      command,
      args: plan.args,
      env: { ...env, ...plan.env },
      cwd: ctx.projectRoot,
    } as const;
    return toolSessionOver(ctx, [{ server: serverOf(plan), target, auth: NO_AUTH }]);
  }
  throw new TaskSourceError(
    'config',
    `the ${ctx.plan.kind === 'embedded' ? BUILT_IN_STORE : `${ctx.plan.adapter} source`} speaks no MCP over ${plan.kind}`,
    {
      short: 'no MCP server configured',
      place: serverOf(plan),
      fix: 'set source.servers (an MCP URL) or source.command (a stdio MCP server)',
    },
  );
}
