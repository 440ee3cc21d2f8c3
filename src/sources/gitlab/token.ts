// The GitLab token, found where people already keep it: the environment (as the GitLab CLI reads it), else glab's
// login for that host. Asked for the API's own host only: a repository's remote never picks where it goes.
import os from 'node:os';
import { TaskSourceError } from '../../errors/task-source.js';
import { scrubbedEnvironment } from '../../log/child-env.js';
import type { Logger } from '../../log/logger.js';
import { registerSecret } from '../../log/redact.js';
import type { Deadline } from '../../util/deadline.js';
import { findOnPath } from '../../util/executable.js';
import { runOnce } from '../program.js';

export interface GitLabToken {
  token: string;
  /** `private`: a personal, project or group access token (`PRIVATE-TOKEN`); `oauth`: an OAuth token (`Bearer`). */
  kind: 'private' | 'oauth';
  /** Where it came from, for doctor and messages: an environment variable's name or glab. Never the token. */
  from: string;
}

/** The variables glab itself reads, in its order, and the kind of token each holds. */
const VARIABLES: ReadonlyArray<[string, GitLabToken['kind']]> = [
  ['GITLAB_TOKEN', 'private'],
  ['GITLAB_ACCESS_TOKEN', 'private'],
  ['OAUTH_TOKEN', 'oauth'],
];

export const noTokenFix = (host: string): string =>
  `set GITLAB_TOKEN to a token with the api scope, or log in with \`glab auth login --hostname ${host}\``;

/** The token from the environment, or undefined. */
export function tokenFromEnv(env: NodeJS.ProcessEnv): GitLabToken | undefined {
  for (const [name, kind] of VARIABLES) {
    const token = env[name]?.trim();
    if (token) {
      registerSecret(token);
      return { token, kind, from: name };
    }
  }
  return undefined;
}

/** glab's hosts are named without the web host's scheme or a port it does not keep. */
const glabHost = (host: string): string => host.replace(/^https?:\/\//, '');

/**
 * glab's login for `host`: `glab config get token --host HOST` (glab has no `auth token`), run as the GitHub source
 * runs gh: without a shell, by the deadline, in the environment git gets (no secret taskhooks knows of), its output a
 * secret from the moment it is read. A token that is no access token (`glpat-…` and the like) is asked `is_oauth2`:
 * glab's browser login keeps an OAuth token, sent as Bearer. undefined when glab is not installed or has no login.
 */
export async function tokenFromGlab(
  host: string,
  ctx: { env: NodeJS.ProcessEnv; log?: Logger | undefined; deadline: Deadline },
): Promise<GitLabToken | undefined> {
  const glab = findOnPath('glab', ctx.env);
  if (!glab) return undefined;
  const env = scrubbedEnvironment({ NO_COLOR: '1', GLAB_CHECK_UPDATE: 'false', NO_PROMPT: 'true' }, ctx.env);
  const target = { server: 'cli:glab config get token', command: glab, args: [], env, wholeEnv: true };
  const get = (key: string) =>
    runOnce(target, ['config', 'get', key, '--host', glabHost(host)], os.homedir(), ctx.deadline);
  const out = await get('token');
  const token = out.stdout.trim();
  registerSecret(token);
  if (out.code !== 0 || !token || /\s/.test(token)) {
    ctx.log?.debug({ host, code: out.code }, 'glab has no token for this host');
    return undefined;
  }
  const oauth = !/^gl[a-z]+-/.test(token) && (await get('is_oauth2')).stdout.trim() === 'true';
  return { token, kind: oauth ? 'oauth' : 'private', from: 'glab config get token' };
}

/** The token for `host`: the environment first, then glab; an auth error naming both ways when neither has one. */
export async function findToken(
  host: string,
  ctx: { env: NodeJS.ProcessEnv; log: Logger; deadline: Deadline },
): Promise<GitLabToken> {
  const found = tokenFromEnv(ctx.env) ?? (await tokenFromGlab(host, ctx));
  if (found) return found;
  throw new TaskSourceError('auth', `no GitLab token for ${host}: none in the environment and no glab login`, {
    short: 'no GitLab token',
    place: host,
    fix: noTokenFix(host),
  });
}
