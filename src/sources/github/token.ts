// The GitHub token, found where people already keep it: the environment (as gh and Actions set it), else the GitHub
// CLI's login for that host. Asked for the API's own host only: a repository's remote never picks where it goes.
import os from 'node:os';
import { TaskSourceError } from '../../errors/task-source.js';
import { scrubbedEnvironment } from '../../log/child-env.js';
import type { Logger } from '../../log/logger.js';
import { registerSecret } from '../../log/redact.js';
import type { Deadline } from '../../util/deadline.js';
import { findOnPath } from '../../util/executable.js';
import { runOnce } from '../program.js';

export interface GitHubToken {
  token: string;
  /** Where it came from, for doctor and messages: an environment variable's name or `gh auth token`. Never the token. */
  from: string;
}

/** The variables gh itself reads, in its order: the enterprise ones only for a host other than github.com. */
function tokenVariables(host: string): string[] {
  const plain = ['GH_TOKEN', 'GITHUB_TOKEN'];
  return host === 'github.com' ? plain : ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', ...plain];
}

export const noTokenFix = (host: string): string =>
  `set GH_TOKEN (or GITHUB_TOKEN) to a token that can read issues, or log in with \`gh auth login --hostname ${host}\``;

/** The token from the environment, or undefined. */
export function tokenFromEnv(host: string, env: NodeJS.ProcessEnv): GitHubToken | undefined {
  for (const name of tokenVariables(host)) {
    const token = env[name]?.trim();
    if (token) {
      registerSecret(token);
      return { token, from: name };
    }
  }
  return undefined;
}

/**
 * `gh auth token --hostname <host>`: the installed gh, run without a shell by the deadline in the environment git gets
 * (where gh finds its login: HOME, XDG_*, GH_CONFIG_DIR, the session bus of its keyring; no secret taskhooks knows of,
 * no GH_TOKEN, which was looked at first), its output a secret from the moment it is read. undefined when gh is not
 * installed or has no login there.
 */
export async function tokenFromGh(
  host: string,
  ctx: { env: NodeJS.ProcessEnv; log?: Logger | undefined; deadline: Deadline },
): Promise<GitHubToken | undefined> {
  const gh = findOnPath('gh', ctx.env);
  if (!gh) return undefined;
  const own = { GH_PROMPT_DISABLED: '1', NO_COLOR: '1', GH_NO_UPDATE_NOTIFIER: '1' };
  const env = scrubbedEnvironment(own, ctx.env);
  const target = { server: 'cli:gh auth token', command: gh, args: [], env, wholeEnv: true };
  const out = await runOnce(target, ['auth', 'token', '--hostname', host], os.homedir(), ctx.deadline);
  const token = out.stdout.trim();
  registerSecret(token);
  if (out.code !== 0 || !token || /\s/.test(token)) {
    ctx.log?.debug({ host, code: out.code }, 'gh has no token for this host');
    return undefined;
  }
  return { token, from: 'gh auth token' };
}

/** The token for `host`: the environment first, then gh; a config error naming both ways when neither has one. */
export async function findToken(
  host: string,
  ctx: { env: NodeJS.ProcessEnv; log: Logger; deadline: Deadline },
): Promise<GitHubToken> {
  const found = tokenFromEnv(host, ctx.env) ?? (await tokenFromGh(host, ctx));
  if (found) return found;
  throw new TaskSourceError('auth', `no GitHub token for ${host}: none in the environment and no gh login`, {
    short: 'no GitHub token',
    place: host,
    fix: noTokenFix(host),
  });
}
