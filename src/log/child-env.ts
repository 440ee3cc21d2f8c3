// The environment of every program taskhooks starts. This process's own environment holds the secrets it was given
// (MCP_API_TOKEN, a client secret, a database URL) and whatever else the user's shell exports; a child that needs none
// of them (git, gh, a task program) must not inherit them, where its hooks, aliases or a crash dump could show them.
import { childValue } from '../util/child-process.js';
import { namedLikeSecret, registeredSecrets } from './redact.js';

/**
 * What git and gh read from the environment to behave as the user's own: where to look, in which language, the
 * session bus their credential stores (libsecret, gh's keyring) answer on. Names match in any case, as Windows spells
 * them (`Path`, `SystemRoot`, `windir`): without those git is not found and Node's sockets do not start there.
 */
const KEPT_NAME =
  /^(PATH|HOME|USER|LOGNAME|SHELL|TERM|TZ|TMPDIR|LANG|LANGUAGE|LC_[A-Z_]+|XDG_[A-Z_]+|GIT_[A-Z0-9_]+|SSH_AUTH_SOCK|SSH_AGENT_PID|GNUPGHOME|DBUS_SESSION_BUS_ADDRESS|GH_HOST|GH_CONFIG_DIR|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|SYSTEMROOT|WINDIR|COMSPEC|PATHEXT|USERPROFILE|APPDATA|LOCALAPPDATA|TEMP|TMP)$/i;
/** gh's own settings, which the GH_ prefix of SECRET_ENV_NAME would otherwise drop: which host, which config folder. */
const GH_SETTING = /^(GH_HOST|GH_CONFIG_DIR)$/;
/** The least a task program needs to start: it gets these and what its own configuration names. */
const BASIC_NAME =
  /^(PATH|HOME|USER|LOGNAME|SHELL|TERM|TZ|TMPDIR|LANG|LANGUAGE|LC_[A-Z_]+|SYSTEMROOT|WINDIR|PATHEXT|TEMP|TMP)$/i;
/**
 * Names that hold credentials whatever the rest of the name says, beyond those namedLikeSecret knows: programs that
 * answer git's password prompt, database URLs, the usual service keys.
 */
const SECRET_ENV_NAME =
  /(_TOKEN|_SECRET|_API_?KEY|_PASS|_PAT|_CREDENTIALS?|_ASKPASS)$|PASSWORD|PASSWD|^(GH_|GITHUB_|LINEAR_|JIRA_|GITLAB_|AZURE_DEVOPS_)|DATABASE_URL$|^PG.*PASS/i;
/** A URL carrying a user and password (`http://user:pass@proxy`, `postgres://user:pw@db`). */
const URL_WITH_PASSWORD = /:\/\/[^/@\s:]*:[^/@\s]+@/;
const CREDENTIAL_VALUE = /\b(Bearer|Basic)\s+\S{4,}/i;

/** Whether a variable may hold a secret: by its name, or by a value that holds one taskhooks knows or looks like one. */
function secretVariable(name: string, value: string): boolean {
  if ((SECRET_ENV_NAME.test(name) && !GH_SETTING.test(name)) || namedLikeSecret(name)) return true;
  if (URL_WITH_PASSWORD.test(value) || CREDENTIAL_VALUE.test(value)) return true;
  for (const secret of registeredSecrets()) if (value.includes(secret)) return true;
  return false;
}

function pick(from: NodeJS.ProcessEnv, keep: RegExp, platform: NodeJS.Platform): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    // A value starting `()` is a bash exported function, which a shell the child starts would run.
    if (value === undefined || value.startsWith('()') || !keep.test(name) || secretVariable(name, value)) continue;
    const kept = childValue(name, value, platform);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
}

/**
 * The environment for git and gh: the user's locale, paths, git settings and SSH agent, with no variable that holds a
 * secret taskhooks knows of or one named like a secret. `own` is added as given: a caller that means a child to have a
 * credential (gh's GH_TOKEN) names it there. `platform` says how the PATH is written.
 */
export function scrubbedEnvironment(
  own: Record<string, string> = {},
  from: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): Record<string, string> {
  return { ...pick(from, KEPT_NAME, platform), ...own };
}

/** The environment for a task program or stdio server: the basics to start (PATH, HOME, locale) and what its config names. */
export function programEnvironment(
  own: Record<string, string> = {},
  from: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): Record<string, string> {
  return { ...pick(from, BASIC_NAME, platform), ...own };
}

/**
 * What the monitor needs, and nothing else of whoever started it (a SessionStart hands it a coding session's whole
 * environment: model API keys, CLAUDE_PID, the session's git variables): the basics, git's config location, TLS and
 * proxies, where each agent keeps its config, taskhooks' own settings (src/config/env.ts) and the task sources'
 * credentials.
 */
const MONITOR_NAME = new RegExp(
  [
    '^(PATH|HOME|USER|LOGNAME|SHELL|TERM|TZ|TMPDIR|LANG|LANGUAGE|LC_[A-Z_]+|XDG_[A-Z_]+|GIT_CONFIG_(GLOBAL|SYSTEM|NOSYSTEM)',
    'SSH_AUTH_SOCK|DBUS_SESSION_BUS_ADDRESS|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR)',
    'MALLOC_ARENA_MAX|TASKHOOKS_[A-Z0-9_]+|MCP_SERVER_URL|MCP_API_TOKEN|TASK_TRACKING_[A-Z_]+|TASK_CACHE_TTL|GIT_CACHE_TTL',
    'KEYCLOAK_[A-Z_]+|OIDC_ISSUER|GH_TOKEN|GH_ENTERPRISE_TOKEN|GH_HOST|GH_CONFIG_DIR|GITHUB_TOKEN|GITHUB_ENTERPRISE_TOKEN',
    'GITHUB_API_URL|LINEAR_[A-Z_]+|JIRA_[A-Z_]+|GITLAB_[A-Z_]+|GLAB_CONFIG_DIR|OAUTH_TOKEN|AZURE_DEVOPS_[A-Z_]+',
    'CLAUDE_CONFIG_DIR|CODEX_HOME|QWEN_HOME|COPILOT_HOME',
    '(GEMINI_CLI|QWEN_CODE)_TRUSTED_FOLDERS_PATH|SYSTEMROOT|WINDIR|COMSPEC|PATHEXT|USERPROFILE|APPDATA|LOCALAPPDATA|TEMP|TMP)$',
  ].join('|'),
  'i',
);

/** The environment a monitor is started with: the names it reads (MONITOR_NAME) from `from`, as childValue keeps them. */
export function monitorEnvironment(from: NodeJS.ProcessEnv, platform = process.platform): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    const kept =
      value === undefined || value.startsWith('()') || !MONITOR_NAME.test(name)
        ? undefined
        : childValue(name, value, platform);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
}
